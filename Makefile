# Earthquakes: the two commands a new user types are `make video` and `make test`.
# Both set the machine up first (Debian packages, then .venv).
PY := .venv/bin/python

.PHONY: setup video video-fast clips test test-fast bench script clean help

help:
	@echo "make video   set up, then build the whole narrated video at 1080p60 (media/earthquakes.mp4)"
	@echo "make test    set up, then run the test suite"
	@echo "make video-fast   quick preview build (480p15, espeak voice)"
	@echo "make bench   measure quake_math and render speed"
	@echo "make script  write the narration script (for recording your own voice)"
	@echo "make setup   only install what is missing"

setup:
	@bash tools/setup.sh

video: setup
	$(PY) -m scenes build $(ARGS)

# a quick preview: 480p15 with the fast espeak voice
video-fast: setup
	$(PY) -m scenes build --quality l --voice espeak $(ARGS)

clips: video

test: setup
	$(PY) -m pytest -q $(ARGS)

test-fast: setup
	$(PY) -m pytest -q -m "not render" $(ARGS)

bench: setup  ## ARGS="render surface mystery" to choose
	$(PY) -m bench $(ARGS)

script: setup
	$(PY) -m scenes.kit.narration script -o media/narration_script.md

clean:
	rm -rf media/videos media/images media/texts media/Tex media/voiceovers media/clips media/build media/logs media/bench media/earthquakes.*
