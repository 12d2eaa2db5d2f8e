#!/usr/bin/env bash
# Build tflite-probe for one or both rids and copy it beside the library in native/out/<rid>/.
# Re-runs are cheap: the CMake build dir is reused and the copy happens only on change.
# usage: native/build-probe.sh [linux-x64|linux-arm64|all]   (default: all)
set -euo pipefail

NATIVE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { echo "build-probe.sh: error: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 not found; run: apt-get install -y $2"; }

case "${1:-all}" in
  all) rids=(linux-x64 linux-arm64) ;;
  linux-x64|linux-arm64) rids=("$1") ;;
  -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
  *) die "unknown rid '$1' (expected linux-x64, linux-arm64 or all)" ;;
esac
need cmake cmake
need make make

host_rid=linux-x64; [[ "$(uname -m)" == aarch64 ]] && host_rid=linux-arm64
for rid in "${rids[@]}"; do
  out="$NATIVE_DIR/out/$rid"
  # The probe links the provisioned library; provision it first if this rid lacks it.
  if [[ ! -f "$out/libtensorflowlite_c.so" || ! -f "$NATIVE_DIR/out/include/tensorflow/lite/c/c_api.h" ]]; then
    "$NATIVE_DIR/build-tflite.sh" --rid "$rid"
  fi
  bdir="$NATIVE_DIR/build/$rid"
  args=()
  if [[ "$rid" != "$host_rid" ]]; then
    [[ "$rid" == linux-arm64 ]] || die "cross-building $rid from $host_rid is not supported"
    need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
    args=(-DCMAKE_TOOLCHAIN_FILE="$NATIVE_DIR/toolchains/aarch64-linux-gnu.cmake")
  else
    need gcc gcc
  fi
  # Configure once; afterwards `cmake --build` re-runs configure itself if CMakeLists changes.
  [[ -f "$bdir/CMakeCache.txt" ]] || cmake -S "$NATIVE_DIR" -B "$bdir" "${args[@]}" >/dev/null
  cmake --build "$bdir" -j "$(nproc)" >/dev/null
  cmp -s "$bdir/tflite-probe" "$out/tflite-probe" || install -m 0755 "$bdir/tflite-probe" "$out/tflite-probe"
  echo "build-probe.sh: $rid -> native/out/$rid/tflite-probe"
done
