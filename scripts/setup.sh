#!/usr/bin/env bash
# One set-up for both README commands, safe to run every time (a no-op once done).
#   scripts/setup.sh main   what `./yamnet` needs: system libraries, TFLite, model, sample clip, CLI build
#   scripts/setup.sh test   all of that plus what `./test.sh` needs (cross compiler, qemu, arm64 libraries)
# It installs missing Debian packages when run as root, and otherwise prints the exact command.
set -euo pipefail

mode="${1:-main}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${YAMNET_SHARED_DIR:-$root/../shared}"
say() { [[ "${YAMNET_QUIET_SETUP:-}" == 1 ]] || echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 2; }

# ---- Debian packages ---------------------------------------------------------------------------
main_pkgs=(libsndfile1 libsoxr0 libssl3 ca-certificates curl)
# npm may come from outside Debian (nodesource, nvm): only ask for Debian's when there is none.
command -v npm >/dev/null || main_pkgs+=(npm)
test_pkgs=(cmake make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross libstdc++6-arm64-cross qemu-user
           libasound2 file unzip zlib1g-dev slurm-wlm munge parallel mosquitto mosquitto-clients openssl ffmpeg espeak-ng sox libsndfile1:arm64 libsoxr0:arm64 libasound2:arm64 libstdc++6:arm64 libssl3:arm64)
pkgs=("${main_pkgs[@]}")
[[ "$mode" == test ]] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  needs_arm64=0
  for p in "${missing[@]}"; do [[ "$p" == *:arm64 ]] && needs_arm64=1; done
  cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  ((needs_arm64)) && cmd="dpkg --add-architecture arm64 && $cmd"
  if [[ $(id -u) -eq 0 ]]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    sh -c "$cmd" >"${TMPDIR:-/tmp}/yamnet-apt.log" 2>&1 || { tail -20 "${TMPDIR:-/tmp}/yamnet-apt.log" >&2; die "apt-get failed (log: ${TMPDIR:-/tmp}/yamnet-apt.log)"; }
  else
    die "missing Debian packages; as root run: $cmd"
  fi
fi
command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not on PATH): see https://learn.microsoft.com/dotnet/core/install/linux-debian"

# ---- TFLite runtime ----------------------------------------------------------------------------
if [[ "$mode" == test ]]; then
  "$root/native/build-tflite.sh" >&2
else
  # The quick path never compiles: the 2.9.0 prebuilt, or the 2.19 build when one is already cached
  # (build-tflite.sh's automatic selection); run only when nothing is selected yet (seconds).
  host_rid=linux-x64; [[ "$(uname -m)" == aarch64 ]] && host_rid=linux-arm64
  if [[ ! -f "$root/native/out/$host_rid/libtensorflowlite_c.so" || ! -f "$root/native/out/$host_rid/SELECTION" ]]; then
    "$root/native/build-tflite.sh" --rid "$host_rid" >&2
  fi
fi

# ---- model and sample clip: copied from ../shared, else downloaded and verified -------------
fetch() { # fetch DEST SHARED_SOURCE SHA256 [URL]
  local dest="$1" src="$2" sha="$3" url="${4:-}"
  if [[ -f "$dest" ]] && echo "$sha  $dest" | sha256sum -c --status; then return 0; fi
  mkdir -p "$(dirname "$dest")"
  if [[ -f "$src" ]]; then
    cp "$src" "$dest.part"
  elif [[ -n "$url" ]]; then
    say "downloading $url"
    curl -fsSL --retry 2 -o "$dest.part" "$url" || { rm -f "$dest.part"; die "cannot get $(basename "$dest"): not in $src and the download failed"; }
  else
    die "cannot get $(basename "$dest"): not in $src and it has no public download"
  fi
  echo "$sha  $dest.part" | sha256sum -c --status || { rm -f "$dest.part"; die "$(basename "$dest"): sha256 mismatch (expected $sha)"; }
  mv "$dest.part" "$dest"
}
fetch "$root/models/yamnet.tflite" "$shared/models/yamnet.tflite" \
  10c95ea3eb9a7bb4cb8bddf6feb023250381008177ac162ce169694d05c317de \
  https://raw.githubusercontent.com/tensorflow/tflite-support/dd3362ea685bb7ab1f7268c81ec567d3b720ae57/tensorflow_lite_support/cc/test/testdata/task/audio/yamnet_audio_classifier_with_metadata.tflite
fetch "$root/test_data/meow_16k.wav" "$shared/audio/meow_16k.wav" \
  f2a00c3a3e7596f1541c4cbd59d6034a674b76ae9c53c8784882345c044da558 \
  https://raw.githubusercontent.com/tensorflow/examples/608f7db8c511e3dcc420afc564496e4516ceb800/lite/examples/audio_classification/raspberry_pi/test_data/meow_16k.wav
if [[ -f "$shared/models/yamnet_class_map.csv" ]]; then
  fetch "$root/models/yamnet_class_map.csv" "$shared/models/yamnet_class_map.csv" \
    cdf24d193e196d9e95912a2667051ae203e92a2ba09449218ccb40ef787c6df2
fi

# ---- the CLI, rebuilt only when a source is newer than the last build -------------------------
out="$root/.local/cli"
if [[ ! -x "$out/yamnet" ]] || [[ -n "$(find "$root/src" "$root/Directory.Build.props" -newer "$out/yamnet.dll" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -print -quit 2>/dev/null)" ]]; then
  say "building the CLI (Release)"
  log="${TMPDIR:-/tmp}/yamnet-build.log"
  dotnet build "$root/src/Yamnet.Cli/Yamnet.Cli.csproj" -c Release -o "$out" --nologo >"$log" 2>&1 ||
    { grep -E 'error|Error' "$log" | sort -u | head -20 >&2; die "the CLI build failed (log: $log)"; }
  touch "$out/yamnet.dll"
fi
