"""Nothing a user does to a running build destroys the finished video:
Ctrl-C (SIGINT), SIGTERM and SIGKILL leave the previous video byte-identical
and no render process behind; a second build of the same output while one
runs is refused with a clear message."""

import os
import signal
import subprocess
import sys
import time

import pytest

from scenes.production import BuildError
from scenes.production.build import lock
from scenes.production.outputs import Outputs
from tests.fixtures.build_helpers import ONE, PREVIEW, ROOT, SLOW, partials, quake_env, run_build

__all__ = ["quake_env"]

CODE = (
    # Ctrl-C as in a terminal: a suite started in the background (nohup, &) ignores
    # SIGINT, and Python leaves an ignored SIGINT ignored in every child it starts
    "import signal\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "import sys\n"
    "from scenes.production.cli import main\n"
    "from scenes.chapters import Chapter\n"
    "chapters = [Chapter(*c) for c in {chapters!r}]\n"
    "sys.exit(main(sys.argv[1:], chapters=chapters))\n"
)


def gone(pgid: int, seconds: float = 15) -> bool:
    """Whether no process of group ``pgid`` is left, polling until a deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.render
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_interrupted_build_keeps_the_previous_video_and_leaves_no_process(quake_env, tmp_path, sig):
    out = tmp_path / "media" / PREVIEW
    out.mkdir(parents=True)
    previous = {"earthquakes.mp4": b"the previous video", "earthquakes.srt": b"1\n00:00:00,000 --> 00:00:01,000\nx\n"}
    for name, data in previous.items():
        (out / name).write_bytes(data)
    chapters = [ONE, SLOW] if sig == signal.SIGTERM else [SLOW]  # SIGTERM: after a finished chapter
    pidfile = tmp_path / "slow.pid"
    code = CODE.format(chapters=[tuple(vars(c).values()) for c in chapters])
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "build", "--quality", "l", "--voice", "espeak", "--jobs", "1",
         "--media-dir", str(tmp_path / "media")],
        cwd=ROOT, env=dict(os.environ, TINY_SLOW_PIDFILE=str(pidfile)),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not (pidfile.is_file() and pidfile.read_text()) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(0.1)
        assert pidfile.is_file(), "the slow chapter never started"
        render = int(pidfile.read_text())
        if sig == signal.SIGINT:
            # two builds at once: the second is refused at once, naming the output
            with pytest.raises(BuildError) as err:
                run_build(chapters, tmp_path / "media")
            assert "Another build is writing" in str(err.value) and str(out) in str(err.value)
        proc.send_signal(sig)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert gone(render), f"render process {render} (or its group) still running after the build ended"
    assert {name: (out / name).read_bytes() for name in previous} == previous
    assert not (out / "earthquakes.json").exists()
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
        lock(Outputs.for_build("l", "espeak", tmp_path / "media")).release()  # the lock died with it
    else:
        assert proc.returncode == {signal.SIGINT: 130, signal.SIGTERM: 143}[sig], output
        assert "previous video was left as it was" in output
        assert partials(out) == []
    if sig == signal.SIGTERM:
        assert (out / "clips" / "01-one.mp4").is_file()  # finished work is kept
