# Earthquakes: the two commands a new user types are `make video` and `make test`.
# Both set the machine up first (Debian packages, .venv, the browser for the deck tests).
PY := .venv/bin/python

.PHONY: help setup video video-fast clips deck deck-fast storyboard script test test-fast bench clean

help:
	@echo "make video        set up, then build the whole narrated video at 1080p60 (media/earthquakes.mp4)"
	@echo "make test         set up, then run the test suite"
	@echo "make video-fast   quick preview: 480p15, espeak voice, in media/480p15-espeak/"
	@echo "                  (cheapest first look: make video-fast ARGS=\"--only mystery\")"
	@echo "make deck         the lecture deck (builds first): media/lecture/earthquakes.html, .pptx"
	@echo "make deck-fast    a preview deck (480p15, espeak voice) in media/480p15-espeak/lecture/"
	@echo "make storyboard   review sheets, printable PDF and still-picture report of the last build (media/storyboard/)"
	@echo "make script       the narration script, for recording your own voice (media/narration_script.md)"
	@echo "make bench        measure quake_math and render speed (frames per second, render/video time)"
	@echo "make test-fast    the tests that do not render"
	@echo "make setup        only install what is missing"
	@echo "make clean        delete everything rendered"
	@echo "Options go through ARGS, e.g. make video ARGS=\"--quality l --only map\" (python -m scenes build --help)"

setup:
	@bash tools/setup.sh

video: setup
	$(PY) -m scenes build $(ARGS)

# a quick preview: 480p15 with the fast espeak voice, beside the final video
video-fast: setup
	$(PY) -m scenes build --quality l --voice espeak $(ARGS)

clips: video

deck: setup
	$(PY) -m scenes deck $(ARGS)

# a quick preview deck, beside the final one
deck-fast: setup
	$(PY) -m scenes deck --quality l --voice espeak $(ARGS)

storyboard: setup
	$(PY) -m scenes storyboard $(ARGS)

script: setup
	$(PY) -m scenes script $(ARGS)

test: setup
	$(PY) -m pytest -q $(ARGS)

test-fast: setup
	$(PY) -m pytest -q -m "not render and not browser" $(ARGS)

bench: setup  ## ARGS="render surface mystery" to choose
	$(PY) -m bench $(ARGS)

clean:
	rm -rf media/videos media/images media/texts media/Tex media/voiceovers media/clips media/build media/logs \
	       media/bench media/earthquakes.* media/storyboard media/lecture media/narration media/narration_script.md \
	       media/[0-9]*p[0-9]*-*
