#!/bin/sh
# Starts the kernel: `launch.sh NODE CONNECTION_FILE` (kernel.json's argv, see install.js).
# A shell step because V8's heap cap is a start-up flag and Jupyter's argv cannot read the
# environment: TSCNN_KERNEL_MAX_OLD_SPACE_MB (MiB, set by the hub's config per single-user
# server) becomes --max-old-space-size. `exec` keeps one process, so SIGINT (the stop button)
# and Jupyter's kill reach node itself.
node="$1"
shift
here=$(dirname "$0")
max="${TSCNN_KERNEL_MAX_OLD_SPACE_MB:-}"
case "$max" in
  '') exec "$node" "$here/kernel.js" "$@" ;;
  *[!0-9]* | 0*)
    echo "tscnn kernel: TSCNN_KERNEL_MAX_OLD_SPACE_MB must be a whole number of MiB > 0 (e.g. 1536), got '$max'" >&2
    exit 2 ;;
  *) exec "$node" "--max-old-space-size=$max" "$here/kernel.js" "$@" ;;
esac
