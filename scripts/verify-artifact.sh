#!/usr/bin/env bash
# Check a release tarball as a user would get it: unpack artifacts/yamnet-<rid>.tar.gz into a temp
# dir outside the checkout, sha256sum -c, then run what it ships (linux-arm64 under
# qemu-aarch64 -L / over the arm64 multiarch libraries, linux-x64 natively) with YAMNET_TFLITE_LIB unset:
#   yamnet classify --wavFile meow_16k.wav --model yamnet.tflite  == golden/meow_16k.seed-output.txt
#   yamnet info yamnet.tflite  names 15600 / 521 / 16000 Hz
#   tflite-probe classifies meow (76 0.80078125 first)
#   yamnet plot draws a PNG; arm64 with 2.19 also under -cpu max (SME): the XNNPACK self-check's verdict
# Shared dir: $YAMNET_SHARED_DIR, else <repo>/../shared. Each emulated .NET run is bounded by
# $YAMNET_QEMU_TIMEOUT seconds (default 240).
# usage: scripts/verify-artifact.sh linux-x64|linux-arm64      prints "artifact <rid>: N passed, M failed"
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
die() { echo "verify-artifact.sh: error: $1" >&2; exit 2; }
case "${1:-}" in
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  linux-x64|linux-arm64) rid="$1" ;;
  *) die "expected linux-x64 or linux-arm64 (got '${1:-}')" ;;
esac
shared="${YAMNET_SHARED_DIR:-$root/../shared}"
model="$shared/models/yamnet.tflite"; wav="$shared/audio/meow_16k.wav"; golden="$shared/golden/meow_16k.seed-output.txt"
for f in "$model" "$wav" "$golden"; do [[ -f "$f" ]] || die "missing $f"; done
tarball="$root/artifacts/yamnet-$rid.tar.gz"
[[ -f "$tarball" ]] || die "no $tarball (run ./publish.sh $rid)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/yamnet-verify.XXXXXX")"; trap 'rm -rf -- "$tmp"' EXIT
case "$tmp" in "$root"/*) die "temp dir $tmp is inside the checkout" ;; esac
dir="$tmp/yamnet-$rid"
unset YAMNET_TFLITE_LIB YAMNET_MODEL

passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [[ -z "${2:-}" ]] || printf '%s\n' "$2" | head -20 | sed 's/^/     /'; }

run=(); limit=120
if [[ "$rid" == linux-arm64 && "$(uname -m)" != aarch64 ]]; then
  command -v qemu-aarch64 >/dev/null || die "qemu-aarch64 not found (apt-get install qemu-user)"
  # -L /: the arm64 multiarch runtime (libc6:arm64, libstdc++6:arm64, libsndfile1:arm64, libsoxr0:arm64)
  # as a Pi has it. Not the cross toolchain's /usr/aarch64-linux-gnu: its loader (glibc 2.36-8cross1)
  # would pick up the multiarch libc.so.6 (2.36-9+deb12u14) from /lib/aarch64-linux-gnu, and .NET
  # hangs at start-up on that mismatched pair.
  # Through a prefix (scripts/qemu-arm64-root.sh) that is "/" plus an arm64 /proc/cpuinfo: TFLite
  # 2.19's XNNPACK cannot parse the host's x86 one and crashes; the CPU model is a Raspberry Pi 4's
  # (-cpu cortex-a72, $YAMNET_QEMU_CPU to change; cortex-a76 cpuinfo for neoverse-n1).
  qcpu="${YAMNET_QEMU_CPU:-cortex-a72}"; qcore=cortex-a72; [[ "$qcpu" == neoverse-n1 ]] && qcore=cortex-a76
  run=(qemu-aarch64 -L "$("$root/scripts/qemu-arm64-root.sh" "$tmp/qemu-root" "$qcore")" -cpu "$qcpu")
  limit="${YAMNET_QEMU_TIMEOUT:-240}"
fi
# Run from the temp dir so no models/ or native/out of the checkout is reachable from the cwd.
x() { (cd "$tmp" && timeout "$limit" "${run[@]}" "$@"); }

# 1. unpack + checksums
if tar -xzf "$tarball" -C "$tmp" && [[ -f "$dir/SHA256SUMS" ]]; then ok "unpack $(basename "$tarball")"
else bad "unpack $(basename "$tarball")"; echo "artifact $rid: $passed passed, $((failed)) failed"; exit 1; fi
if out="$(cd "$dir" && sha256sum -c SHA256SUMS 2>&1)"; then ok "sha256sum -c SHA256SUMS"; else bad "sha256sum -c SHA256SUMS" "$out"; fi
listed="$(cut -c67- "$dir/SHA256SUMS" | sort)"; present="$(cd "$dir" && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort)"
if [[ "$listed" == "$present" ]]; then ok "SHA256SUMS covers every file"; else bad "SHA256SUMS covers every file" "$(diff <(echo "$listed") <(echo "$present"))"; fi
want_arch=x86-64; [[ "$rid" == linux-arm64 ]] && want_arch=aarch64
arch_ok=1
for f in yamnet libtensorflowlite_c.so tflite-probe libSkiaSharp.so libHarfBuzzSharp.so; do
  file -b "$dir/$f" 2>/dev/null | grep -q "ELF 64-bit.*$want_arch" || { arch_ok=0; bad "$f is an ELF for $want_arch" "$(file -b "$dir/$f" 2>&1)"; }
done
((arch_ok)) && ok "yamnet, libtensorflowlite_c.so, tflite-probe, libSkiaSharp.so, libHarfBuzzSharp.so are $want_arch ELF"
if [[ -z "$(find "$dir" -name '*.tflite' -o -name '*.wav')" ]] && grep -q 'sudo apt-get install libsndfile1 libsoxr0 libasound2 libssl3' "$dir/README.md" &&
   grep -q 10c95ea3eb9a7bb4cb8bddf6feb023250381008177ac162ce169694d05c317de "$dir/README.md"; then
  ok "no model bundled; README has the set-up line and the model sha256"
else bad "no model bundled; README has the set-up line and the model sha256"; fi

# 2. the bundled probe
# The probe prints "index: I, score: S" lines: the seed's top 5 without the category names.
seed_probe="$(sed -n 's/.*\(index: [0-9]*, score: .*\)$/\1/p' "$golden")"
# The model XNNPACK runs on this CPU, written by the tarball's own CLI: on AMD Zen the 2.9 prebuilt
# aborts on YAMNet as it is, and the library runs a zero-padded copy (README: "TFLite 2.9 on AMD Zen").
xmodel="$model"
if how="$(x "$dir/yamnet" __xnnpack-model "$model" "$tmp/xnnpack.tflite" 2>"$tmp/err")"; then xmodel="$tmp/xnnpack.tflite"
else bad "yamnet __xnnpack-model" "$how$(cat "$tmp/err")"; fi
if out="$(x "$dir/tflite-probe" --model "$xmodel" --wav "$wav" 2>"$tmp/err")" && [[ "$(head -1 <<<"$out")" == "index: 76, score: 0.80078125" && "$out" == "$seed_probe" ]]
then ok "tflite-probe: 76 0.80078125 first (seed top 5; model for XNNPACK here: ${how:-?})"; else bad "tflite-probe: 76 0.80078125 first" "$out$(cat "$tmp/err")"; fi

# 3. the CLI (finds libtensorflowlite_c.so beside itself)
rc=0; out="$(x "$dir/yamnet" classify --wavFile "$wav" --model "$model" 2>"$tmp/err")" || rc=$?
if [[ $rc -eq 0 ]] && cmp -s <(printf '%s\n' "$out") "$golden"; then ok "yamnet classify == seed output (byte for byte)"
elif [[ $rc -eq 124 ]]; then bad "yamnet classify == seed output" "timed out after ${limit}s${run:+ under ${run[0]}}"
else bad "yamnet classify == seed output" "exit $rc; $(diff <(printf '%s\n' "$out") "$golden"; cat "$tmp/err")"; fi
if [[ $rc -eq 124 ]]; then
  bad "yamnet info" "skipped: classify timed out"
else
  rc=0; out="$(x "$dir/yamnet" info "$model" 2>&1)" || rc=$?
  # The version the tarball says it carries (TFLITE_RUNTIME: "TFLite 2.19.0 from source ..." / "TFLite 2.9.0 prebuilt ...").
  tv="$(grep -oE 'TFLite [0-9]+\.[0-9]+\.[0-9]+' "$dir/TFLITE_RUNTIME" 2>/dev/null | head -1 | cut -d' ' -f2)"
  if [[ -n "$tv" ]] && [[ $rc -eq 0 ]] && grep -q '15600' <<<"$out" && grep -q '521' <<<"$out" && grep -q '16000 Hz' <<<"$out" && grep -qF "TFLite version: $tv" <<<"$out"
  then ok "yamnet info: TFLite $tv (as TFLITE_RUNTIME says), 15600 samples, 521 classes, 16000 Hz"; else bad "yamnet info (TFLITE_RUNTIME: ${tv:-missing})" "exit $rc; $out"; fi
fi

# 4. plot: SkiaSharp's native library loads beside the CLI and draws a PNG of the asked size
if [[ $rc -eq 124 ]]; then
  bad "yamnet plot" "skipped: classify timed out"
else
  # One window (two_heads.wav) keeps this short under qemu: what is checked is that Skia loads and draws.
  one="$shared/audio/two_heads.wav"; [[ -f "$one" ]] || one="$wav"
  rc=0; out="$(x "$dir/yamnet" plot "$one" --model "$model" -o "$tmp/plot.png" --width 600 --height 400 --jobs 1 --no-events 2>&1)" || rc=$?
  if [[ $rc -eq 0 ]] && file -b "$tmp/plot.png" 2>/dev/null | grep -q 'PNG image data, 600 x 400'
  then ok "yamnet plot: 600x400 PNG"; else bad "yamnet plot" "exit $rc; $out; $(file -b "$tmp/plot.png" 2>&1)"; fi
fi

# 5. arm64 with SME (qemu -cpu max). 2.19's XNNPACK picks a KleidiAI SMOPA kernel when the CPU
# reports SME. native/qemu-checks/sme-smopa.c checks the emulator's SMOPA against the architecture's
# definition: qemu 7.2 gets it wrong, so XNNPACK's scores are wrong there and the load-time self-check
# must fall back to the builtin kernels (Cat 0.73828125, the builtin golden) with one warning; on an
# emulator whose SMOPA is right, XNNPACK must pass its self-check and give the seed output. Only for a
# 2.19 tarball (2.9 has no SME kernels) and when the cross compiler is there to build the check.
if [[ "$rid" == linux-arm64 && "${run[0]:-}" == qemu-aarch64 && "${tv:-}" == 2.19.* && $rc -ne 124 ]] && command -v aarch64-linux-gnu-gcc >/dev/null; then
  if aarch64-linux-gnu-gcc -O1 -static -o "$tmp/sme-smopa" "$root/native/qemu-checks/sme-smopa.c" "$root/native/qemu-checks/sme-smopa.S" 2>"$tmp/err"; then
    smopa="$(qemu-aarch64 -cpu max "$tmp/sme-smopa" 2>&1 | tail -1)"
    maxrun=(qemu-aarch64 -L "$("$root/scripts/qemu-arm64-root.sh" "$tmp/qemu-root-max" cortex-a72)" -cpu max)
    rc=0; out="$(cd "$tmp" && timeout "$limit" "${maxrun[@]}" "$dir/yamnet" classify --wavFile "$wav" --model "$model" 2>"$tmp/err")" || rc=$?
    warn="$(grep -c 'XNNPACK self-check FAILED' "$tmp/err")"
    if [[ "$smopa" == "SMOPA is emulated wrongly" ]]; then
      if [[ $rc -eq 0 ]] && grep -q 'Category: Cat, index: 76, score: 0.73828125' <<<"$out" && [[ "$warn" == 1 ]]
      then ok "qemu -cpu max (SME, $smopa): self-check falls back to the builtin kernels (Cat 0.73828125) and warns once"
      else bad "qemu -cpu max (SME, $smopa): self-check fallback" "exit $rc; $out; $(cat "$tmp/err")"; fi
    elif [[ "$smopa" == "SMOPA and ZA load/store are correct" ]]; then
      if [[ $rc -eq 0 ]] && cmp -s <(printf '%s\n' "$out") "$golden" && [[ "$warn" == 0 ]]
      then ok "qemu -cpu max (SME, $smopa): XNNPACK passes its self-check, seed output"
      else bad "qemu -cpu max (SME, $smopa): seed output" "exit $rc; $out; $(cat "$tmp/err")"; fi
    else bad "qemu -cpu max: SMOPA check" "$smopa"; fi
  else bad "build native/qemu-checks/sme-smopa" "$(cat "$tmp/err")"; fi
fi

echo "artifact $rid: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
