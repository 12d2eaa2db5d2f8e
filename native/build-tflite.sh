#!/usr/bin/env bash
# Provision the TFLite C library (libtensorflowlite_c.so + C headers) for native/out/<rid>/.
#
# Two runtimes, one selected per rid (native/out/<rid>/libtensorflowlite_c.so is a symlink, and
# native/out/<rid>/RUNTIME says which one it is):
#  - prebuilt 2.9.0 (default): Google's official build from the npm package tfjs-tflite-node@0.0.2
#    (fetched only through `npm pack`), sha256-pinned, kept in native/out/runtimes/2.9.0/<rid>/.
#    Seconds, works offline once native/cache/ holds the tarball. The quick path.
#  - --from-source: TFLite 2.19.0 (LiteRT v2.2.0's tflite/) with XNNPACK, built with CMake+ninja
#    from the offline bundle (../shared/tflite-src) or, without one, from the same pinned commits
#    cloned from their public repositories (native/tflite-2.19.manifest). Built and installed under
#    ~/.cache/yamnet/tflite/<key>/ (key = first 16 hex of the bundle sha256), outside the checkout,
#    so every clone/worktree/CI run on the machine reuses it; a second run takes seconds.
set -euo pipefail

NATIVE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$NATIVE_DIR/.." && pwd)"
CACHE_DIR="$NATIVE_DIR/cache"
OUT_DIR="$NATIVE_DIR/out"
HDR_DIR="$OUT_DIR/include/tensorflow/lite/c"
PREBUILT_DIR="$OUT_DIR/runtimes/2.9.0"

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

# The from-source bundle: litert-2.2.0-tflite-src.tar.gz (LiteRT v2.2.0 tflite/ + pinned deps).
BUNDLE=litert-2.2.0-tflite-src.tar.gz
BUNDLE_SHA=c9ccc6991caab538f0a3273b6f48005c12f77252978e0383f8d5dace7e0dfb45
TFLITE_CACHE="${YAMNET_TFLITE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/yamnet/tflite}"

usage() {
  cat <<EOF
usage: native/build-tflite.sh [--rid R]                         prebuilt 2.9.0 (default)
       native/build-tflite.sh --from-source [--sources DIR] [--rid R] [--jobs N] [--no-select]
       native/build-tflite.sh --select prebuilt|source [--rid R]
       native/build-tflite.sh --status
       native/build-tflite.sh --which RID prebuilt|source|auto     prints "PATH<TAB>DESCRIPTION"
  R = linux-x64 | linux-arm64 | all (default all)

Default: prebuilt TFLite 2.9.0 from npm '$PKG' (sha256-pinned, cached in native/cache/),
installed in native/out/runtimes/2.9.0/<rid>/ and selected for a rid that has no selection yet.
--from-source: TFLite 2.19.0 (LiteRT v2.2.0) with XNNPACK. --sources DIR is the offline bundle
  directory ($BUNDLE + SHA256SUMS; default \$YAMNET_TFLITE_SOURCES, then
  ../shared/tflite-src beside the project) or an unpacked copy of it; with neither, the pinned
  commits in native/tflite-2.19.manifest are cloned (needs network). Builds in
  $TFLITE_CACHE/<key>/build-<rid> (nice 19, ninja -j N, default 2), installs
  <key>/<rid>/{lib,include} (headers self-contained) and selects it for native/out/<rid>/
  unless --no-select. linux-arm64 is cross-compiled (native/toolchains/aarch64-linux-gnu.cmake)
  with the host flatc of the linux-x64 build (only that target is built when x64 is not needed).
--select: point native/out/<rid>/ at an installed runtime without building anything.
--status: what is selected and what is cached.
--which: the library a runtime choice means for RID (auto: the from-source build when cached, else
  the prebuilt), for publish.sh and the tests; fails when it is not installed.
EOF
}

die() { echo "build-tflite.sh: error: $*" >&2; exit 1; }
say() { echo "build-tflite.sh: $*" >&2; }
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
mode=prebuilt
sources=""
jobs="${YAMNET_TFLITE_JOBS:-2}"
do_select=1
select_what=""
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
    --from-source) mode=source; shift ;;
    --sources)
      [[ $# -ge 2 ]] || die "--sources needs a directory"
      sources="$2"; shift 2 ;;
    --jobs)
      [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a positive number"
      jobs="$2"; shift 2 ;;
    --no-select) do_select=0; shift ;;
    --select)
      [[ $# -ge 2 && ( "$2" == prebuilt || "$2" == source ) ]] || die "--select needs 'prebuilt' or 'source'"
      mode=select; select_what="$2"; shift 2 ;;
    --status) mode=status; shift ;;
    --which)
      [[ $# -ge 3 && ( "$2" == linux-x64 || "$2" == linux-arm64 ) && "$3" =~ ^(prebuilt|source|auto)$ ]] ||
        die "--which needs a rid (linux-x64|linux-arm64) and prebuilt|source|auto"
      mode=which; rids=("$2"); select_what="$3"; shift 3 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# ---- selection: native/out/<rid>/libtensorflowlite_c.so -> the chosen runtime ------------------
# select_runtime RID SO_PATH DESCRIPTION
select_runtime() {
  local rid="$1" so="$2" desc="$3" d="$OUT_DIR/$1"
  mkdir -p "$d"
  ln -sfn "$so" "$d/libtensorflowlite_c.so.tmp" && mv -fT "$d/libtensorflowlite_c.so.tmp" "$d/libtensorflowlite_c.so"
  printf '%s\n' "$desc" >"$d/RUNTIME"
  say "$rid: native/out/$rid/libtensorflowlite_c.so -> $desc"
}
prebuilt_desc() { echo "TFLite 2.9.0 prebuilt (npm $PKG)"; }

# ---- from-source: locate sources, unpack, configure, build, install ----------------------------
bundle_key="" src_root="" build_root=""

# ../shared/tflite-src beside the project: $YAMNET_SHARED_DIR, else a shared/ in the nearest
# ancestor of the checkout (a worktree may sit one level deeper than the main checkout).
find_shared_bundle() {
  local d="$ROOT_DIR"
  if [[ -n "${YAMNET_SHARED_DIR:-}" && -f "$YAMNET_SHARED_DIR/tflite-src/$BUNDLE" ]]; then echo "$YAMNET_SHARED_DIR/tflite-src"; return 0; fi
  while [[ "$d" != / ]]; do
    d="$(dirname "$d")"
    [[ -f "$d/shared/tflite-src/$BUNDLE" ]] && { echo "$d/shared/tflite-src"; return 0; }
  done
  return 1
}

# Resolve the sources into $src_root (an unpacked tree) and the cache key $bundle_key.
resolve_sources() {
  local dir="$sources"
  if [[ -z "$dir" ]]; then
    if [[ -n "${YAMNET_TFLITE_SOURCES:-}" ]]; then dir="$YAMNET_TFLITE_SOURCES"
    else dir="$(find_shared_bundle)" || dir=""
    fi
  fi
  if [[ -n "$dir" ]]; then
    [[ -d "$dir" ]] || die "--sources '$dir' is not a directory"
    dir="$(cd "$dir" && pwd)"
    if [[ -f "$dir/$BUNDLE" ]]; then
      bundle_key="${BUNDLE_SHA:0:16}"
      build_root="$TFLITE_CACHE/$bundle_key"
      src_root="$build_root/src"
      if [[ ! -f "$src_root/.unpacked" ]]; then
        local got; got="$(sha "$dir/$BUNDLE")"
        [[ "$got" == "$BUNDLE_SHA" ]] || die "$dir/$BUNDLE: sha256 $got, expected the pinned $BUNDLE_SHA"
        if [[ -f "$dir/SHA256SUMS" ]]; then (cd "$dir" && sha256sum -c --status --ignore-missing SHA256SUMS) || die "$dir/SHA256SUMS does not match"; fi
        say "unpacking $BUNDLE -> $src_root"
        rm -rf "$src_root"; mkdir -p "$src_root"
        tar -xzf "$dir/$BUNDLE" -C "$src_root"
        touch "$src_root/.unpacked"
      fi
    elif [[ -f "$dir/deps/MANIFEST" && -d "$dir/tfroot/tensorflow/lite/c" ]]; then
      # An unpacked bundle: keyed by its manifest (the commits), built in the cache beside it.
      src_root="$dir"
      bundle_key="tree-$(sha "$dir/deps/MANIFEST" | cut -c1-12)"
      build_root="$TFLITE_CACHE/$bundle_key"
    else
      die "'$dir' holds neither $BUNDLE nor an unpacked bundle (deps/MANIFEST, tfroot/)"
    fi
  else
    clone_sources
  fi
  [[ -f "$src_root/tfroot/tensorflow/lite/c/CMakeLists.txt" ]] || die "$src_root: no tfroot/tensorflow/lite/c/CMakeLists.txt"
}

# No bundle: clone the commits pinned in native/tflite-2.19.manifest and lay them out like the
# bundle. NOT exercised in this environment (it has no network); see the manifest's comments.
clone_sources() {
  local manifest="$NATIVE_DIR/tflite-2.19.manifest"
  command -v git >/dev/null || die "no source bundle found and git is missing (apt-get install -y git), or pass --sources DIR"
  bundle_key="git-$(sha "$manifest" | cut -c1-12)"
  build_root="$TFLITE_CACHE/$bundle_key"
  src_root="$build_root/src"
  [[ -f "$src_root/.cloned" ]] && return 0
  say "no source bundle (--sources, \$YAMNET_TFLITE_SOURCES, ../shared/tflite-src): cloning the pinned commits into $src_root"
  rm -rf "$src_root.part"; mkdir -p "$src_root.part"
  local name url commit dest
  while read -r name url commit dest; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    say "  $name $commit"
    git init -q "$src_root.part/$dest"
    git -C "$src_root.part/$dest" fetch -q --depth 1 "$url" "$commit" || die "cannot fetch $url $commit"
    git -C "$src_root.part/$dest" checkout -q FETCH_HEAD
    if [[ "$commit" =~ ^[0-9a-f]{40}$ ]]; then
      [[ "$(git -C "$src_root.part/$dest" rev-parse HEAD)" == "$commit" ]] || die "$url: got a different commit than $commit"
    fi
  done <"$manifest"
  # The TensorFlow-tree stand-in LiteRT's CMake expects (TF_SOURCE_DIR): see the bundle README.
  local t="$src_root.part/tfroot" tf="$src_root.part/tensorflow"
  mkdir -p "$t/tensorflow/compiler/mlir" "$t/tensorflow/core/example" "$t/third_party/fft2d" \
           "$t/third_party/xla/xla/tsl/util" "$t/third_party/xla/third_party/tsl"
  ln -s ../litert/tflite "$t/tflite"
  ln -s ../../litert/tflite "$t/tensorflow/lite"
  ln -s ../../../litert/tflite/converter "$t/tensorflow/compiler/mlir/lite"
  cp "$tf/tensorflow/core/example/"{CMakeLists.txt,example.proto,feature.proto} "$t/tensorflow/core/example/"
  cp "$tf/third_party/fft2d/"{fft.h,fft2d.h} "$t/third_party/fft2d/"
  cp -r "$src_root.part/tsl/tsl/." "$t/third_party/xla/xla/tsl/"
  ln -s ../../xla/tsl "$t/third_party/xla/third_party/tsl/tsl"
  : >"$t/third_party/xla/xla/tsl/util/stats_calculator.cc"
  touch "$src_root.part/.cloned"
  rm -rf "$src_root"; mv "$src_root.part" "$src_root"
}

# The CMake definitions for one rid. Kept identical across runs (and to the build that first
# created the cache) so an existing build tree is reused as is.
cmake_defs() {
  local rid="$1" S="$src_root" D="$src_root/deps"
  defs=(
    -DCMAKE_BUILD_TYPE=Release
    -DTF_SOURCE_DIR="$S/tfroot" -DTENSORFLOW_SOURCE_DIR="$S/tfroot"
    -DTFLITE_ENABLE_XNNPACK=ON -DFETCHCONTENT_FULLY_DISCONNECTED=ON
    -DFETCHCONTENT_SOURCE_DIR_ABSEIL-CPP="$D/abseil-cpp" -DFETCHCONTENT_SOURCE_DIR_EIGEN="$D/eigen"
    -DFETCHCONTENT_SOURCE_DIR_FARMHASH="$D/farmhash" -DFETCHCONTENT_SOURCE_DIR_FFT2D="$D/fft2d"
    -DFETCHCONTENT_SOURCE_DIR_FLATBUFFERS="$D/flatbuffers" -DFETCHCONTENT_SOURCE_DIR_FP16_HEADERS="$D/fp16"
    -DFETCHCONTENT_SOURCE_DIR_GEMMLOWP="$D/gemmlowp" -DFETCHCONTENT_SOURCE_DIR_ML_DTYPES="$D/ml_dtypes"
    -DFETCHCONTENT_SOURCE_DIR_RUY="$D/ruy" -DFETCHCONTENT_SOURCE_DIR_XNNPACK="$D/xnnpack"
    -DFETCHCONTENT_SOURCE_DIR_CPUINFO="$D/cpuinfo" -DFETCHCONTENT_SOURCE_DIR_NEON2SSE="$D/neon2sse"
    -DFETCHCONTENT_SOURCE_DIR_PROTOBUF="$D/protobuf" -DPTHREADPOOL_SOURCE_DIR="$D/pthreadpool"
    -DFP16_SOURCE_DIR="$D/fp16" -DCPUINFO_SOURCE_DIR="$D/cpuinfo"
    -DKLEIDIAI_SOURCE_DIR="$D/kleidiai" -DFXDIV_SOURCE_DIR="$D/fxdiv"
  )
  if [[ "$rid" == linux-arm64 ]]; then
    defs+=(
      -DCMAKE_TOOLCHAIN_FILE="$NATIVE_DIR/toolchains/aarch64-linux-gnu.cmake"
      -DTFLITE_HOST_TOOLS_DIR="$build_root/build-linux-x64/flatbuffers-flatc/bin"
      -DCMAKE_PROJECT_KleidiAI_INCLUDE="$NATIVE_DIR/toolchains/kleidiai-gcc12-ice.cmake"
    )
  fi
}

# True when build-<rid>/CMakeCache.txt already holds every definition (then no re-configure:
# ninja re-runs CMake by itself if a CMakeLists.txt changed).
configured() {
  local cache="$1/CMakeCache.txt" d name value
  [[ -f "$cache" && -f "$1/build.ninja" ]] || return 1
  for d in "${defs[@]}"; do
    d="${d#-D}"; name="${d%%=*}"; value="${d#*=}"
    grep -qxF -- "$name:$(grep -o "^$name:[A-Z]*" "$cache" | head -1 | cut -d: -f2)=$value" "$cache" || return 1
  done
}

# Another ninja already working in this build tree (e.g. a background build started by hand):
# wait for it rather than racing it in the same directory.
wait_for_other_ninja() {
  local bdir="$1" pid
  while pid="$(pgrep -f -- "ninja -C $bdir( |$)" | head -1)" && [[ -n "$pid" ]]; do
    say "waiting for the ninja already building $bdir (pid $pid)"
    sleep 30
  done
}

# build RID TARGET: configure when needed, then ninja TARGET at nice 19 (log: build-RID.log).
build() {
  local rid="$1" target="$2" bdir="$build_root/build-$1" log="$build_root/build-$1.log"
  cmake_defs "$rid"
  command -v cmake >/dev/null || die "cmake not found; run: apt-get install -y cmake ninja-build g++ python3"
  command -v ninja >/dev/null || die "ninja not found; run: apt-get install -y ninja-build"
  if [[ "$rid" == linux-arm64 && "$(uname -m)" != aarch64 ]]; then
    command -v aarch64-linux-gnu-g++ >/dev/null || die "aarch64-linux-gnu-g++ not found; run: apt-get install -y g++-aarch64-linux-gnu"
  elif [[ "$rid" == linux-x64 && "$(uname -m)" != x86_64 ]]; then
    die "building linux-x64 from source is only supported on an x86_64 host"
  fi
  exec 9>"$build_root/build-$rid.lock"
  flock 9
  wait_for_other_ninja "$bdir"
  if ! configured "$bdir"; then
    say "$rid: configuring $bdir"
    cmake -G Ninja -S "$src_root/tfroot/tensorflow/lite/c" -B "$bdir" "${defs[@]}" >>"$log" 2>&1 ||
      { tail -20 "$log" >&2; die "$rid: cmake configure failed (log: $log)"; }
  fi
  if ninja -C "$bdir" -n "$target" 2>/dev/null | grep -q '^ninja: no work to do'; then
    say "$rid: $target up to date"
  else
    say "$rid: building $target (nice 19, -j$jobs; log: $log)"
    local t0=$SECONDS
    nice -n 19 ninja -C "$bdir" -j"$jobs" "$target" >>"$log" 2>&1 ||
      { tail -30 "$log" >&2; die "$rid: build of $target failed (log: $log)"; }
    say "$rid: $target built in $((SECONDS - t0)) s"
  fi
  exec 9>&-
}

# Headers a consumer of the C API + XNNPACK delegate needs, with everything they include:
# 2.19's tensorflow/lite/c/*.h forward to tflite/core/c/*.h, so copy the include closure.
install_headers() {
  local dest="$1" probe tmp f
  tmp="$(mktemp -d)"
  probe="$tmp/h.c"
  printf '#include "tensorflow/lite/c/%s"\n' c_api.h common.h c_api_types.h c_api_experimental.h >"$probe"
  printf '#include "tensorflow/lite/delegates/xnnpack/xnnpack_delegate.h"\n' >>"$probe"
  rm -rf "$dest.part"; mkdir -p "$dest.part"
  (cd "$src_root/tfroot" && gcc -MM -MT x -I. "$probe") | tr ' \\' '\n\n' | grep -v -e '^$' -e '^x:$' -e "^$probe\$" |
    while read -r f; do install -D -m 0644 "$src_root/tfroot/$f" "$dest.part/$f"; done
  # Self-contained: compiles against this include dir alone.
  gcc -fsyntax-only -I"$dest.part" "$probe" || die "installed headers are not self-contained"
  rm -rf "$tmp" "$dest"; mv "$dest.part" "$dest"
}

from_source() {
  resolve_sources
  mkdir -p "$build_root"
  local rid need_x64=0
  for rid in "${rids[@]}"; do [[ "$rid" == linux-x64 ]] && need_x64=1; done
  local t0=$SECONDS
  if ((need_x64)); then build linux-x64 tensorflowlite_c
  elif [[ " ${rids[*]} " == *" linux-arm64 "* && ! -x "$build_root/build-linux-x64/flatbuffers-flatc/bin/flatc" ]]; then
    build linux-x64 flatbuffers-flatc   # arm64 only needs the host flatc, not the x64 library
  fi
  for rid in "${rids[@]}"; do
    [[ "$rid" == linux-arm64 ]] && build linux-arm64 tensorflowlite_c
    local inst="$build_root/$rid" so="$build_root/build-$rid/libtensorflowlite_c.so"
    [[ -f "$so" ]] || die "$rid: $so missing after the build"
    if [[ ! -f "$inst/lib/libtensorflowlite_c.so" ]] || ! cmp -s "$so" "$inst/lib/libtensorflowlite_c.so"; then
      install -D -m 0755 "$so" "$inst/lib/libtensorflowlite_c.so.part"
      mv -f "$inst/lib/libtensorflowlite_c.so.part" "$inst/lib/libtensorflowlite_c.so"
      install_headers "$inst/include"
      {
        echo "TFLite 2.19.0 from source (LiteRT v2.2.0, bundle $bundle_key, XNNPACK)"
        echo "sha256 $(sha "$inst/lib/libtensorflowlite_c.so")"
      } >"$inst/RUNTIME"
      say "$rid: installed $inst/{lib,include}"
    fi
    ((do_select)) && select_runtime "$rid" "$inst/lib/libtensorflowlite_c.so" "$(head -1 "$inst/RUNTIME")"
  done
  say "from source done for ${rids[*]} in $((SECONDS - t0)) s (cache $build_root)"
}

# The cached from-source install for a rid, if any (newest key first).
cached_source_so() {
  local f
  for f in $(ls -t "$TFLITE_CACHE"/*/"$1"/lib/libtensorflowlite_c.so 2>/dev/null); do echo "$f"; return 0; done
  return 1
}

# ---- prebuilt 2.9.0 from npm -------------------------------------------------------------------
prebuilt() {
  # A checkout from before the runtimes/ layout holds the 2.9.0 .so itself in native/out/<rid>/:
  # move it into runtimes/2.9.0/<rid>/ (it is verified below like any other copy).
  local rid
  for rid in "${rids[@]}"; do
    local old="$OUT_DIR/$rid/libtensorflowlite_c.so"
    if [[ -f "$old" && ! -L "$old" && ! -f "$PREBUILT_DIR/$rid/libtensorflowlite_c.so" ]]; then
      mkdir -p "$PREBUILT_DIR/$rid"; mv "$old" "$PREBUILT_DIR/$rid/libtensorflowlite_c.so"
    fi
  done

  local installed=1
  for rid in "${rids[@]}"; do [[ -f "$PREBUILT_DIR/$rid/libtensorflowlite_c.so" ]] || installed=0; done
  for h in "${!HDR_SHA[@]}"; do [[ -f "$HDR_DIR/$h" ]] || installed=0; done
  if ((installed)); then
    for rid in "${rids[@]}"; do verify "$PREBUILT_DIR/$rid/libtensorflowlite_c.so" "${SO_SHA[$rid]}"; done
    for h in "${!HDR_SHA[@]}"; do verify "$HDR_DIR/$h" "${HDR_SHA[$h]}"; done
  else
    mkdir -p "$CACHE_DIR"
    if [[ ! -f "$CACHE_DIR/$TARBALL" ]]; then
      command -v npm >/dev/null || die "npm not found; run: apt-get install -y npm"
      say "npm pack $PKG -> native/cache/"
      (cd "$CACHE_DIR" && npm pack --silent "$PKG" >/dev/null) || die "npm pack $PKG failed"
      [[ -f "$CACHE_DIR/$TARBALL" ]] || die "npm pack did not produce $TARBALL"
    fi
    verify "$CACHE_DIR/$TARBALL" "$TARBALL_SHA"

    # A global (not local) temp dir: the EXIT trap runs after this function has returned, when a
    # local would be out of scope and `set -u` would fail the whole script.
    prebuilt_tmp="$(mktemp -d)"; trap 'rm -rf -- "${prebuilt_tmp:-}"' EXIT
    local tmp="$prebuilt_tmp"
    local members=()
    for rid in "${rids[@]}"; do members+=("package/cc_deps/${PKG_DIR[$rid]}/libtensorflowlite_c.so"); done
    for h in "${!HDR_SHA[@]}"; do members+=("package/cc_deps/include/tensorflow/lite/c/$h"); done
    tar -xzf "$CACHE_DIR/$TARBALL" -C "$tmp" "${members[@]}"
    # Verify in the temp dir first, so out/ never holds an unverified file.
    for rid in "${rids[@]}"; do
      local f="$tmp/package/cc_deps/${PKG_DIR[$rid]}/libtensorflowlite_c.so"
      verify "$f" "${SO_SHA[$rid]}"
      install -D -m 0755 "$f" "$PREBUILT_DIR/$rid/libtensorflowlite_c.so"
    done
    for h in "${!HDR_SHA[@]}"; do
      local f="$tmp/package/cc_deps/include/tensorflow/lite/c/$h"
      verify "$f" "${HDR_SHA[$h]}"
      install -D -m 0644 "$f" "$HDR_DIR/$h"
    done
    say "installed TFLite 2.9.0 prebuilt for: ${rids[*]}"
  fi
  # Select it where nothing (or a dangling link) is selected; an explicit from-source selection stays.
  for rid in "${rids[@]}"; do
    [[ -e "$OUT_DIR/$rid/libtensorflowlite_c.so" ]] ||
      select_runtime "$rid" "../runtimes/2.9.0/$rid/libtensorflowlite_c.so" "$(prebuilt_desc)"
  done
  say "up to date (${rids[*]}): $(for rid in "${rids[@]}"; do printf '%s=%s; ' "$rid" "$(head -1 "$OUT_DIR/$rid/RUNTIME" 2>/dev/null)"; done)"
}

case "$mode" in
  source) from_source ;;
  prebuilt) prebuilt ;;
  select)
    for rid in "${rids[@]}"; do
      if [[ "$select_what" == prebuilt ]]; then
        [[ -f "$PREBUILT_DIR/$rid/libtensorflowlite_c.so" ]] || die "$rid: prebuilt 2.9.0 not installed (run native/build-tflite.sh)"
        select_runtime "$rid" "../runtimes/2.9.0/$rid/libtensorflowlite_c.so" "$(prebuilt_desc)"
      else
        so="$(cached_source_so "$rid")" || die "$rid: no from-source build cached in $TFLITE_CACHE (run native/build-tflite.sh --from-source --rid $rid)"
        select_runtime "$rid" "$so" "$(head -1 "$(dirname "$(dirname "$so")")/RUNTIME")"
      fi
    done ;;
  which)
    rid="${rids[0]}"
    if [[ "$select_what" != prebuilt ]] && so="$(cached_source_so "$rid")"; then
      printf '%s\t%s\n' "$so" "$(head -1 "$(dirname "$(dirname "$so")")/RUNTIME")"
    elif [[ "$select_what" != source && -f "$PREBUILT_DIR/$rid/libtensorflowlite_c.so" ]]; then
      printf '%s\t%s\n' "$PREBUILT_DIR/$rid/libtensorflowlite_c.so" "$(prebuilt_desc)"
    else
      die "$rid: no $select_what runtime installed"
    fi ;;
  status)
    for rid in linux-x64 linux-arm64; do
      echo "$rid selected: $(head -1 "$OUT_DIR/$rid/RUNTIME" 2>/dev/null || echo none) ($(readlink -f "$OUT_DIR/$rid/libtensorflowlite_c.so" 2>/dev/null || echo -))"
      echo "$rid cached from source: $(cached_source_so "$rid" || echo none)"
    done ;;
esac
