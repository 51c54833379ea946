#!/usr/bin/env bash
# Set-up for `npm start`, `npm test` and CI. Idempotent: it only does what is missing.
#   1. system  Debian packages from scripts/deps.sh (installed when root and missing; otherwise
#              it prints the exact apt / pip / brew command), then checks that Jupyter, the
#              cairo/pango headers and Chromium are usable.
#   2. npm     `npm ci` when node_modules is missing or was installed from another package-lock.
#   2b. wasm   the WebAssembly SIMD kernels (src/ops/wasm/build.js) into src/ops/wasm/tscnn-ops.wasm.
#   3. kernel  the Jupyter kernel spec "tscnn" into $ROOT/.jupyter-local (found via JUPYTER_PATH),
#              and the library bundle the kernel loads (build/kernel/tscnn.cjs).
# Usage: bash scripts/setup.sh [--check]
#   --check  install nothing; report what is missing and how to get it.
# Exit status: non-zero only when something essential is missing or an install step failed.
# Environment: TSCNN_PYTHON (Python with Jupyter), TSCNN_CHROMIUM, TSCNN_PKG_CONFIG (probes);
#   TSCNN_FAKE_NONROOT=1 / TSCNN_FAKE_NODEBIAN=1 act as a non-root / non-Debian machine (tests).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deps.sh
source "$ROOT/scripts/deps.sh"

CHECK=0
for arg in "$@"; do
  case "$arg" in
    --check) CHECK=1 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

log() { echo "[setup] $*"; }
warn() { echo "[setup] WARNING: $*" >&2; }

# Milliseconds since the epoch; bash 5 has EPOCHREALTIME, macOS's bash 3.2 falls back to seconds.
now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000));
  else echo $(($(date +%s) * 1000)); fi
}
PHASE_START=0
phase_begin() { PHASE_START=$(now_ms); }
phase_end() { # NAME
  local ms=$(($(now_ms) - PHASE_START))
  printf '[setup] phase %-7s %d.%02d s\n' "$1" $((ms / 1000)) $((ms % 1000 / 10))
}
SETUP_START=$(now_ms)

is_root() { [ "${TSCNN_FAKE_NONROOT:-0}" != 1 ] && [ "$(id -u)" = 0 ]; }
is_debian() {
  [ "${TSCNN_FAKE_NODEBIAN:-0}" != 1 ] && command -v dpkg-query >/dev/null 2>&1 \
    && command -v apt-get >/dev/null 2>&1
}
# deb_missing PKG...: print those of PKG that are not installed. One dpkg-query for the lot
# (-W per package name; unknown names go to stderr): ~10x faster than one call each.
deb_missing() {
  local installed p
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null | awk '/ install ok installed$/ {print $1}' || true)
  for p in "$@"; do
    case $'\n'"$installed"$'\n' in *$'\n'"$p"$'\n'*) ;; *) echo "$p" ;; esac
  done
}

# ---------------------------------------------------------------- 1. system packages
phase_begin
MISSING_DEBS=()
if is_debian; then
  while read -r p; do [ -n "$p" ] && MISSING_DEBS+=("$p"); done < <(deb_missing "${TSCNN_DEB_PACKAGES[@]}")
  if [ ${#MISSING_DEBS[@]} -gt 0 ] && [ "$CHECK" = 0 ] && is_root; then
    log "installing Debian packages: ${MISSING_DEBS[*]}"
    export DEBIAN_FRONTEND=noninteractive
    retry() { # a mirror hiccup should not fail a 90-minute CI run: 3 tries, 10 s apart
      local i; for i in 1 2 3; do "$@" </dev/null && return 0; [ $i = 3 ] || { warn "retrying: $*"; sleep 10; }; done; return 1
    }
    retry apt-get update
    retry apt-get install -y --no-install-recommends "${MISSING_DEBS[@]}"
    STILL=()
    while read -r p; do [ -n "$p" ] && STILL+=("$p"); done < <(deb_missing "${MISSING_DEBS[@]}")
    MISSING_DEBS=(${STILL[@]+"${STILL[@]}"})
  fi
fi

# What the project actually needs, probed directly (the package names differ off Debian).
ESSENTIAL=()   # without these the course cannot run: exit non-zero
OPTIONAL=()    # some tests/lessons skip or fail without these: warn
NEED_JUPYTER=0; NEED_CANVAS=0; NEED_CHROMIUM=0
PY=$(tscnn_find_python || true)
if [ -z "$PY" ]; then
  NEED_JUPYTER=1
  ESSENTIAL+=("Jupyter: no python3 with ${TSCNN_PY_MODULES[*]} (tried /usr/bin/python3 and python3 on PATH)")
elif ! tscnn_python_ok "$PY"; then
  NEED_JUPYTER=1
  ESSENTIAL+=("Jupyter: TSCNN_PYTHON=$PY cannot import ${TSCNN_PY_MODULES[*]}")
fi
# canvas compiles against cairo/pango (pkg-config names from canvas's binding.gyp); once it is
# built the headers are no longer needed.
if [ ! -f "$ROOT/node_modules/canvas/build/Release/canvas.node" ] \
   && ! "${TSCNN_PKG_CONFIG:-pkg-config}" --exists pixman-1 cairo pangocairo libpng freetype2 >/dev/null 2>&1; then
  NEED_CANVAS=1
  ESSENTIAL+=("cairo/pango development files (pkg-config cannot find pixman-1 cairo pangocairo libpng freetype2): npm package 'canvas' builds from source")
fi
CHROMIUM=$(tscnn_find_chromium || true)
if [ -z "$CHROMIUM" ]; then
  NEED_CHROMIUM=1
  OPTIONAL+=("Chromium: headless-browser tests (notebook rendering, slides) need it")
fi
if is_debian && [ ${#MISSING_DEBS[@]} -gt 0 ]; then
  OPTIONAL+=("Debian packages not installed: ${MISSING_DEBS[*]}")
fi

if [ ${#ESSENTIAL[@]} -gt 0 ] || [ ${#OPTIONAL[@]} -gt 0 ]; then
  {
    echo
    echo "[setup] Missing:"
    for m in ${ESSENTIAL[@]+"${ESSENTIAL[@]}"}; do echo "  - (essential) $m"; done
    for m in ${OPTIONAL[@]+"${OPTIONAL[@]}"}; do echo "  - (optional)  $m"; done
    echo "[setup] To install it:"
    if is_debian; then
      want=(${MISSING_DEBS[@]+"${MISSING_DEBS[@]}"})
      if [ ${#want[@]} -eq 0 ]; then   # packages are there but a probe failed: name the group
        [ "$NEED_JUPYTER" = 1 ] && want+=("${TSCNN_DEB_JUPYTER[@]}")
        [ "$NEED_CANVAS" = 1 ] && want+=("${TSCNN_DEB_CANVAS[@]}")
        [ "$NEED_CHROMIUM" = 1 ] && want+=("${TSCNN_DEB_BROWSER[@]}")
      fi
      sudo=""; is_root || sudo="sudo "
      echo "  ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${want[*]}"
      if [ -n "${TSCNN_PYTHON:-}" ] && [ "$NEED_JUPYTER" = 1 ]; then
        echo "  (or unset TSCNN_PYTHON: Debian's Jupyter runs under /usr/bin/python3)"
      fi
    else
      if [ "$NEED_JUPYTER" = 1 ]; then
        echo "  Jupyter:  python3 -m pip install ${TSCNN_PIP_PACKAGES[*]}"
        echo "            (then, if that python3 is not the first on PATH: export TSCNN_PYTHON=/path/to/it)"
      fi
      if [ "$NEED_CANVAS" = 1 ]; then
        echo "  canvas:   macOS: brew install ${TSCNN_BREW_PACKAGES[*]}"
        echo "            Debian/Ubuntu: sudo apt-get install -y --no-install-recommends ${TSCNN_DEB_CANVAS[*]}"
        echo "            Fedora: sudo dnf install gcc-c++ cairo-devel pango-devel libjpeg-turbo-devel giflib-devel librsvg2-devel"
      fi
      if [ "$NEED_CHROMIUM" = 1 ]; then
        echo "  Chromium: install Chromium or Google Chrome, or export TSCNN_CHROMIUM=/path/to/chrome"
      fi
    fi
    echo "  (environment.md explains every dependency)"
    echo
  } >&2
fi
phase_end system
if [ ${#ESSENTIAL[@]} -gt 0 ]; then
  echo "[setup] FAILED: essential dependencies are missing (see above)." >&2
  exit 1
fi

# ---------------------------------------------------------------- 2. npm packages
phase_begin
LOCK_HASH=$(node -e 'process.stdout.write(require("crypto").createHash("sha256").update(require("fs").readFileSync(process.argv[1])).digest("hex"))' "$ROOT/package-lock.json")
STAMP="$ROOT/node_modules/.tscnn-lock-hash"
npm_current() {
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$LOCK_HASH" ] && return 0
  # No stamp (installed by hand): accept the tree when npm's own record of it
  # (node_modules/.package-lock.json) has every non-optional package of package-lock.json at
  # the locked version; then stamp it, so a developer's node_modules is not reinstalled.
  [ -f "$ROOT/node_modules/.package-lock.json" ] || return 1
  node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).packages || {};
    const have = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).packages || {};
    for (const [k, v] of Object.entries(want)) {
      if (k === "" || v.optional || v.devOptional && !have[k]) continue;
      if (!have[k] || have[k].version !== v.version) process.exit(1);
    }' "$ROOT/package-lock.json" "$ROOT/node_modules/.package-lock.json" || return 1
  [ "$CHECK" = 1 ] || echo "$LOCK_HASH" > "$STAMP"
}
if npm_current; then
  log "node_modules matches package-lock.json"
elif [ "$CHECK" = 1 ]; then
  log "node_modules is missing or stale: 'npm ci' would run"
else
  log "npm ci (node_modules missing or stale; canvas builds from source, ~1 min)"
  (cd "$ROOT" && npm ci --no-audit --no-fund </dev/null)
  echo "$LOCK_HASH" > "$STAMP.tmp" && mv "$STAMP.tmp" "$STAMP"
fi
if [ -d "$ROOT/node_modules/canvas" ]; then
  if ! err=$(cd "$ROOT" && node -e 'require("canvas")' 2>&1); then
    echo "[setup] FAILED: npm package 'canvas' does not load:" >&2
    echo "$err" | head -5 >&2
    echo "[setup] Install the cairo/pango headers (see above / environment.md), then: npm rebuild canvas" >&2
    [ "$CHECK" = 1 ] || exit 1
  fi
fi
if [ -d "$ROOT/node_modules/@tensorflow/tfjs-node" ]; then
  log "optional @tensorflow/tfjs-node is installed (native TensorFlow backend)"
fi
phase_end npm

# ---------------------------------------------------------------- 2b. WebAssembly kernels
# The SIMD GEMM/conv kernels (src/ops/wasm) compile from AssemblyScript with the npm
# devDependency, offline, into src/ops/wasm/tscnn-ops.wasm, beside their sources (git-ignored; not
# under build/, which `rm -rf build` may clean), skipped when up to date. The first use rebuilds a
# missing or stale module too; without one the ops run the plain-JS fast path and warn once, so a
# failure here is a warning, not an error.
phase_begin
if [ "$CHECK" = 1 ]; then
  log "wasm kernels: 'node src/ops/wasm/build.js --quiet' would run"
elif [ -x "$ROOT/node_modules/.bin/asc" ]; then
  if ! (cd "$ROOT" && node src/ops/wasm/build.js --quiet </dev/null); then
    warn "building the WebAssembly kernels failed: the ops will use the plain-JavaScript fast path"
  fi
else
  warn "assemblyscript is not installed: the ops will use the plain-JavaScript fast path"
fi
phase_end wasm

# ---------------------------------------------------------------- 3. Jupyter kernel spec
phase_begin
SPEC="$ROOT/.jupyter-local/share/jupyter/kernels/tscnn/kernel.json"
if [ ! -f "$ROOT/kernels/install.js" ]; then
  warn "kernels/install.js is missing: the TypeScript kernel 'tscnn' is NOT installed; notebooks cannot run."
elif [ "$CHECK" = 1 ]; then
  if [ -f "$SPEC" ]; then log "kernel spec present: $SPEC"; else log "kernel spec missing: 'node kernels/install.js --prefix .jupyter-local' would run"; fi
else
  (cd "$ROOT" && TSCNN_PYTHON="$PY" node kernels/install.js --prefix "$ROOT/.jupyter-local" </dev/null)
  if [ -f "$SPEC" ]; then log "kernel spec: $SPEC"
  else warn "kernels/install.js ran but $SPEC does not exist"; fi
  # The library as the kernel loads it (kernels/lib/library-bundle.js, ~0.3 s): built here so a
  # class hub's read-only checkout has it; a kernel rebuilds it when a source is newer.
  (cd "$ROOT" && node kernels/lib/library-bundle.js </dev/null) || warn "building the kernel's library bundle failed: each kernel builds it on first import (node kernels/lib/library-bundle.js)"
fi
phase_end kernel

ms=$(($(now_ms) - SETUP_START))
printf '[setup] done in %d.%02d s%s\n' $((ms / 1000)) $((ms % 1000 / 10)) "$([ "$CHECK" = 1 ] && echo ' (check only: nothing installed)')"
