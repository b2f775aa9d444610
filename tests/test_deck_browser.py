"""The offline HTML deck in a real browser: Debian's chromium-headless-shell
(installed by make setup), driven by playwright with ``executable_path``
(playwright downloads nothing), every network request blocked and counted.

On the tiny build of tests/test_deck.py: no request leaves the page, one
slide per beat (after short ones joined), → moves on, each slide's video
plays with its sound decoded (the silent deck has no sound at all), the
caption track loads its cues and the cue showing is the slide's narration,
and the chapter titles are in the deck's navigation."""

from __future__ import annotations

import io

import av
import pytest

from tests.fixtures.deck_helpers import CHAPTERS, beats, browser_path, data_urls, record, tiny_build, words

pytestmark = [pytest.mark.render, pytest.mark.browser]

DEADLINE = 20.0  # seconds for the page to do one thing (it takes well under a second)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_build(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    exe = browser_path()
    if exe is None:
        pytest.fail("no chromium-headless-shell or chromium: run `make setup` (it installs Debian's "
                    "chromium-headless-shell)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # autoplay with sound, as after a click in a lecture hall
        b = p.chromium.launch(executable_path=exe, args=["--autoplay-policy=no-user-gesture-required"])
        yield b
        b.close()


class Page:
    """A deck opened with every request that leaves the page blocked and counted."""

    def __init__(self, browser, html):
        self.url = html.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 960, "height": 540})
        self.left: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: None if r.url == self.url or r.url.startswith(("data:", "blob:"))
                     else self.left.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.url)
        self.wait("window.Reveal && Reveal.isReady()")

    def _route(self, route):
        if route.request.url == self.url:
            route.continue_()
        else:
            self.left.append(route.request.url)
            route.abort()

    def js(self, expr):
        return self.page.evaluate(expr)

    def wait(self, expr, timeout=DEADLINE):
        self.page.wait_for_function(expr, timeout=timeout * 1000)

    def close(self):
        self.context.close()


def expected_notes(tiny, silent):
    texts = {ch.name: [b["text"] for b in beats(tiny.out, ch)] for ch in CHAPTERS}
    return [(ch.title, words(" ".join(texts[ch.name][b] for b in s["beats"])))
            for ch in CHAPTERS for s in record(tiny.out, ch, silent)["slides"]]


@pytest.mark.parametrize("silent", [False, True], ids=["narrated", "silent"])
def test_the_offline_deck_plays_every_slide_with_sound_and_captions(tiny, browser, silent):
    html = tiny.out.lecture_dir / ("earthquakes-silent.html" if silent else "earthquakes.html")
    slides = expected_notes(tiny, silent)
    page = Page(browser, html)
    try:
        assert page.js("Reveal.getTotalSlides()") == len(slides) == 4
        # chapter titles in the deck's navigation (the chapter menu), in order
        page.page.keyboard.press("m")
        page.wait("!document.getElementById('deck-menu').hidden")
        menu = page.js("Array.from(document.querySelectorAll('#deck-chapters li')).map(li => li.textContent)")
        assert [m.split(". ", 1)[1] for m in menu] == [ch.title for ch in CHAPTERS]
        page.page.keyboard.press("m")
        page.page.keyboard.press("c")  # captions on
        for i, (title, narration) in enumerate(slides):
            assert page.js("Reveal.getIndices().h") == i
            assert page.js("Reveal.getCurrentSlide().querySelector('.deck-title').textContent") == title
            assert words(page.js("Reveal.getCurrentSlide().querySelector('aside.notes').textContent")) == narration
            # the video plays
            page.wait("(() => { const v = deck.currentVideo(); return v && v.currentTime > 0.4; })()")
            assert page.js("deck.currentVideo().muted") is False
            # its caption track: loaded, showing, and the cue on screen is this slide's words
            page.wait("(() => { const t = deck.currentVideo().textTracks[0];"
                      " return t.mode === 'showing' && t.cues && t.cues.length > 0; })()")
            cues = page.js("Array.from(deck.currentVideo().textTracks[0].cues).map(c => c.text)")
            assert words(" ".join(cues)) == narration
            page.wait("deck.currentVideo().textTracks[0].activeCues.length > 0")
            active = words(page.js("deck.currentVideo().textTracks[0].activeCues[0].text"))
            assert active and active in narration
            if silent:  # a second of video played, and not one byte of sound decoded
                page.wait("deck.currentVideo().currentTime > 1.0 || deck.currentVideo().ended")
                assert page.js("deck.currentVideo().webkitAudioDecodedByteCount") == 0
            else:
                page.wait("deck.currentVideo().webkitAudioDecodedByteCount > 0")
            page.page.keyboard.press("ArrowRight")
            if i + 1 < len(slides):
                page.wait(f"Reveal.getIndices().h === {i + 1}")
        assert page.left == [], f"requests left the page: {page.left}"
        assert page.errors == []
    finally:
        page.close()
    # and the videos inside the page: sound only in the narrated deck
    videos = data_urls(html, "video/mp4")
    assert len(videos) == 4
    for v in videos:
        with av.open(io.BytesIO(v)) as c:
            assert len(c.streams.video) == 1 and len(c.streams.audio) == (0 if silent else 1)
