# shellcheck shell=bash
# The one list of system dependencies, and how to detect them. Sourced by setup.sh, serve.sh,
# test.sh and .ci/run; environment.md describes the same list (test/setup checks they agree).
# `bash scripts/deps.sh` prints the lists.

# Debian packages, by reason. Jupyter: serve the course, execute notebooks in tests.
TSCNN_DEB_JUPYTER=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-jupyter-kernel-test jupyter-client)
# canvas 3 builds from source here (its prebuilt download fails offline): cairo/pango headers.
TSCNN_DEB_CANVAS=(pkg-config libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev)
# Headless-browser tests (playwright-core drives the Debian binary; it cannot download one).
TSCNN_DEB_BROWSER=(chromium)
# Fashion-MNIST IDX files for the data loader.
TSCNN_DEB_DATA=(dataset-fashion-mnist)
# Offline slides: require.js, jQuery and MathJax copied next to the exported reveal.js decks
# (python3-notebook depends on them already; listed because the slides build reads their files).
TSCNN_DEB_SLIDES=(libjs-requirejs libjs-jquery libjs-mathjax)
# A CJK font, so the course's Chinese terms (卷积核, 特征图, …) render in Chromium and canvas text.
TSCNN_DEB_FONTS=(fonts-wqy-zenhei)
# The class hub (`npm run hub`): JupyterHub 3.0. Its packaged proxy fails under Node 20 ("Cannot
# find module 'commander'"); the hub runs npm's configurable-http-proxy from package-lock instead.
TSCNN_DEB_HUB=(jupyterhub)
# Live widgets in `npm start`'s Notebook 6: Debian's ipywidgets 6 front end (jupyter-js-widgets
# 2.1.4, enabled for every Notebook server by /etc/jupyter/nbconfig/notebook.d/jupyter-js-widgets.json).
TSCNN_DEB_WIDGETS=(jupyter-nbextension-jupyter-js-widgets)
TSCNN_DEB_PACKAGES=("${TSCNN_DEB_JUPYTER[@]}" "${TSCNN_DEB_HUB[@]}" "${TSCNN_DEB_WIDGETS[@]}" "${TSCNN_DEB_CANVAS[@]}" "${TSCNN_DEB_BROWSER[@]}" "${TSCNN_DEB_DATA[@]}" "${TSCNN_DEB_SLIDES[@]}" "${TSCNN_DEB_FONTS[@]}")

# Equivalents elsewhere.
TSCNN_PIP_PACKAGES=(notebook nbconvert nbclient jupyter_client jupyter_kernel_test)
TSCNN_BREW_PACKAGES=(pkg-config cairo pango libpng jpeg giflib librsvg)
# Python modules the course and the tests import (one per pip package above).
TSCNN_PY_MODULES=(notebook nbconvert nbclient jupyter_client jupyter_kernel_test)

# tscnn_python_ok PY: PY runs and can import every module in TSCNN_PY_MODULES (found with
# importlib's find_spec, which does not import them: 30 ms instead of ~1 s).
tscnn_python_ok() {
  "$1" -c 'import sys, importlib.util as u; sys.exit(0 if all(u.find_spec(m) for m in sys.argv[1:]) else 1)' \
    "${TSCNN_PY_MODULES[@]}" >/dev/null 2>&1
}

# tscnn_find_python: print the Python that has Jupyter: $TSCNN_PYTHON if set (even if it lacks
# Jupyter, so the caller can say so), else /usr/bin/python3 (Debian's Jupyter lives there, and
# the first python3 on PATH may be a pyenv without it), else the first python3 on PATH that has
# it. Returns 1 (printing nothing) when none has it.
tscnn_find_python() {
  if [ -n "${TSCNN_PYTHON:-}" ]; then echo "$TSCNN_PYTHON"; return 0; fi
  local py
  for py in /usr/bin/python3 $(type -ap python3 2>/dev/null); do
    if tscnn_python_ok "$py"; then echo "$py"; return 0; fi
  done
  return 1
}

# tscnn_find_chromium: print a Chromium/Chrome binary ($TSCNN_CHROMIUM if set), or return 1.
tscnn_find_chromium() {
  if [ -n "${TSCNN_CHROMIUM:-}" ]; then
    [ -x "$TSCNN_CHROMIUM" ] && { echo "$TSCNN_CHROMIUM"; return 0; }
    return 1
  fi
  local c
  for c in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  c="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
  [ -x "$c" ] && { echo "$c"; return 0; }
  c="/Applications/Chromium.app/Contents/MacOS/Chromium"
  [ -x "$c" ] && { echo "$c"; return 0; }
  return 1
}

# tscnn_widgets_nbextension: print the directory of Debian's widgets nbextension, or return 1.
tscnn_widgets_nbextension() {
  local d=/usr/share/jupyter/nbextensions/jupyter-js-widgets
  [ -f "$d/extension.js" ] && { echo "$d"; return 0; }
  return 1
}

# tscnn_jupyter_path ROOT: the JUPYTER_PATH that finds the project-local kernel spec first.
tscnn_jupyter_path() {
  echo "$1/.jupyter-local/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "debian: ${TSCNN_DEB_PACKAGES[*]}"
  echo "pip:    ${TSCNN_PIP_PACKAGES[*]}"
  echo "brew:   ${TSCNN_BREW_PACKAGES[*]}"
fi
