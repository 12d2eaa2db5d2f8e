#!/usr/bin/env bash
# Provision the TFLite 2.9.0 C library (libtensorflowlite_c.so + C headers) into native/out/.
#
# Default: take Google's official prebuilt 2.9.0 build from the npm package
# tfjs-tflite-node@0.0.2 (fetched only through `npm pack`, so registry mirrors and npm
# config apply), verify pinned sha256s, install. The tarball is cached in native/cache/,
# so re-runs need no network; a re-run with everything in place only verifies checksums.
# --from-source builds the same library from a TensorFlow checkout with CMake instead.
set -euo pipefail

NATIVE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="$NATIVE_DIR/cache"
OUT_DIR="$NATIVE_DIR/out"
HDR_DIR="$OUT_DIR/include/tensorflow/lite/c"

PKG="tfjs-tflite-node@0.0.2"
TARBALL="tfjs-tflite-node-0.0.2.tgz"
TARBALL_SHA=3be1632328a76a2475e5b6833253763c802c859433becb4d879ee1860e3b5284
# rid -> directory inside the package, and the pinned hash of its .so
declare -A PKG_DIR=([linux-x64]=linux_amd64 [linux-arm64]=linux_arm64)
declare -A SO_SHA=(
  [linux-x64]=dc89b4cd86d956516570bd483668e6dd98907f49901d0567dedc69a29a56b7f7
  [linux-arm64]=ec0dee4fb3418e680d010248ac1e304d9656cc5c8de54caaf91d666712e2f633
)
# Headers are covered by the tarball hash; pinning them too lets a re-run verify the
# installed copies without unpacking anything.
declare -A HDR_SHA=(
  [c_api.h]=7b4b0e05b9d82a9c9bdc75d83e5fb12c09686a3ee0f73e7686706ee5762faae5
  [common.h]=b19c1f2ae6fd049ed159fc857e4d0e214d72fe6c0a12e69739078c01a5a7e5be
  [c_api_types.h]=1ad66312ea5f89471436b77d9395f747ee789a6a7afecacf0214ce0bfa16c4cd
)

usage() {
  cat <<EOF
usage: native/build-tflite.sh [--rid linux-x64|linux-arm64|all]
       native/build-tflite.sh --from-source <tensorflow checkout> [--rid linux-x64|linux-arm64|all]

Installs native/out/<rid>/libtensorflowlite_c.so and native/out/include/tensorflow/lite/c/*.h.
Default: prebuilt TFLite 2.9.0 from npm '$PKG' (sha256-pinned, cached in native/cache/).
--from-source: CMake build of <dir>/tensorflow/lite/c with XNNPACK (Release); arm64 is
cross-compiled with native/toolchains/aarch64-linux-gnu.cmake. Note: a later default run
treats a source-built .so as a checksum mismatch (deletes it, fails; the next run re-installs
the pinned prebuilt).
EOF
}

die() { echo "build-tflite.sh: error: $*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# Verify $1 against $2; on mismatch delete it so the next run starts clean.
verify() {
  local got; got="$(sha "$1")"
  if [[ "$got" != "$2" ]]; then
    rm -f -- "$1"
    die "checksum mismatch for $1: expected $2, got $got (file deleted)"
  fi
}

rids=(linux-x64 linux-arm64)
src=""
while (($#)); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --rid)
      [[ $# -ge 2 ]] || die "--rid needs a value (linux-x64, linux-arm64 or all)"
      case "$2" in
        all) rids=(linux-x64 linux-arm64) ;;
        linux-x64|linux-arm64) rids=("$2") ;;
        *) die "unknown rid '$2' (expected linux-x64, linux-arm64 or all)" ;;
      esac
      shift 2 ;;
    --from-source)
      [[ $# -ge 2 ]] || die "--from-source needs a TensorFlow checkout directory"
      src="$2"; shift 2 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# ---- --from-source: build with CMake -------------------------------------------------------
if [[ -n "$src" ]]; then
  [[ -f "$src/tensorflow/lite/c/CMakeLists.txt" ]] ||
    die "'$src' is not a TensorFlow checkout (no tensorflow/lite/c/CMakeLists.txt); use e.g. git clone -b v2.9.0 https://github.com/tensorflow/tensorflow"
  command -v cmake >/dev/null || die "cmake not found; run: apt-get install -y cmake make g++"
  src="$(cd "$src" && pwd)"
  for rid in "${rids[@]}"; do
    args=(-DCMAKE_BUILD_TYPE=Release -DTFLITE_ENABLE_XNNPACK=ON)
    if [[ "$rid" == linux-arm64 && "$(uname -m)" != aarch64 ]]; then
      command -v aarch64-linux-gnu-g++ >/dev/null ||
        die "aarch64-linux-gnu-g++ not found; run: apt-get install -y g++-aarch64-linux-gnu"
      args+=(-DCMAKE_TOOLCHAIN_FILE="$NATIVE_DIR/toolchains/aarch64-linux-gnu.cmake")
    elif [[ "$rid" == linux-x64 && "$(uname -m)" != x86_64 ]]; then
      die "building linux-x64 from source is only supported on an x86_64 host"
    fi
    bdir="$NATIVE_DIR/build/tflite-$rid"
    cmake -S "$src/tensorflow/lite/c" -B "$bdir" "${args[@]}"
    cmake --build "$bdir" -j "$(nproc)"
    install -D -m 0755 "$bdir/libtensorflowlite_c.so" "$OUT_DIR/$rid/libtensorflowlite_c.so"
  done
  for h in "${!HDR_SHA[@]}"; do install -D -m 0644 "$src/tensorflow/lite/c/$h" "$HDR_DIR/$h"; done
  echo "build-tflite.sh: built from $src for: ${rids[*]}"
  exit 0
fi

# ---- default: prebuilt from npm ------------------------------------------------------------
# Already installed? Verify and stop (no npm, no network).
installed=1
for rid in "${rids[@]}"; do [[ -f "$OUT_DIR/$rid/libtensorflowlite_c.so" ]] || installed=0; done
for h in "${!HDR_SHA[@]}"; do [[ -f "$HDR_DIR/$h" ]] || installed=0; done
if ((installed)); then
  for rid in "${rids[@]}"; do verify "$OUT_DIR/$rid/libtensorflowlite_c.so" "${SO_SHA[$rid]}"; done
  for h in "${!HDR_SHA[@]}"; do verify "$HDR_DIR/$h" "${HDR_SHA[$h]}"; done
  echo "build-tflite.sh: up to date (${rids[*]}), checksums ok"
  exit 0
fi

mkdir -p "$CACHE_DIR"
if [[ ! -f "$CACHE_DIR/$TARBALL" ]]; then
  command -v npm >/dev/null || die "npm not found; run: apt-get install -y npm"
  echo "build-tflite.sh: npm pack $PKG -> native/cache/"
  (cd "$CACHE_DIR" && npm pack --silent "$PKG" >/dev/null) || die "npm pack $PKG failed"
  [[ -f "$CACHE_DIR/$TARBALL" ]] || die "npm pack did not produce $TARBALL"
fi
verify "$CACHE_DIR/$TARBALL" "$TARBALL_SHA"

tmp="$(mktemp -d)"; trap 'rm -rf -- "$tmp"' EXIT
members=()
for rid in "${rids[@]}"; do members+=("package/cc_deps/${PKG_DIR[$rid]}/libtensorflowlite_c.so"); done
for h in "${!HDR_SHA[@]}"; do members+=("package/cc_deps/include/tensorflow/lite/c/$h"); done
tar -xzf "$CACHE_DIR/$TARBALL" -C "$tmp" "${members[@]}"

# Verify in the temp dir first, so out/ never holds an unverified file.
for rid in "${rids[@]}"; do
  f="$tmp/package/cc_deps/${PKG_DIR[$rid]}/libtensorflowlite_c.so"
  verify "$f" "${SO_SHA[$rid]}"
  install -D -m 0755 "$f" "$OUT_DIR/$rid/libtensorflowlite_c.so"
done
for h in "${!HDR_SHA[@]}"; do
  f="$tmp/package/cc_deps/include/tensorflow/lite/c/$h"
  verify "$f" "${HDR_SHA[$h]}"
  install -D -m 0644 "$f" "$HDR_DIR/$h"
done
echo "build-tflite.sh: installed TFLite 2.9.0 prebuilt for: ${rids[*]}"
