#!/usr/bin/env bash
# Native smoke test: build tflite-probe for linux-x64 and linux-arm64 and check that both classify
# meow_16k.wav exactly like the golden seed output (arm64 under qemu), on a chosen TFLite runtime.
# apt: cmake make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross libstdc++6-arm64-cross qemu-user npm
# usage: native/test-native.sh [--runtime selected|prebuilt|source] [WAV]
#   --runtime: the library the probes run on (LD_LIBRARY_PATH): the one native/out/<rid>/ selects
#     (default), the 2.9.0 prebuilt, or the 2.19 from-source build (only the rids that have one
#     cached; none cached is an error). The probe itself picks the XNNPACK options layout from
#     TfLiteVersion(), so one binary serves both.
#   arm64 runs under qemu-aarch64 -L <prefix> (scripts/qemu-arm64-root.sh: an arm64 /proc/cpuinfo,
#     which 2.19's XNNPACK needs) as a Raspberry Pi 4 (-cpu cortex-a72); 2.19 also as a Pi 5-like
#     CPU (-cpu neoverse-n1 with a Cortex-A76 cpuinfo).
#   WAV:   argument, else $YAMNET_SHARED_DIR/audio/meow_16k.wav, else <repo>/../shared/audio/...
#   model: $YAMNET_SHARED_DIR/models/yamnet.tflite, else <repo>/../shared/models/yamnet.tflite
set -euo pipefail

NATIVE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$NATIVE_DIR/.." && pwd)"
runtime=selected
if [[ "${1:-}" == --runtime ]]; then
  [[ "${2:-}" =~ ^(selected|prebuilt|source)$ ]] || { echo "test-native.sh: error: --runtime selected|prebuilt|source" >&2; exit 2; }
  runtime="$2"; shift 2
fi
SHARED="${YAMNET_SHARED_DIR:-$NATIVE_DIR/../../shared}"
WAV="${1:-$SHARED/audio/meow_16k.wav}"
MODEL="$SHARED/models/yamnet.tflite"
[[ -f "$WAV" ]] || { echo "test-native.sh: error: WAV not found: $WAV" >&2; exit 1; }
[[ -f "$MODEL" ]] || { echo "test-native.sh: error: model not found: $MODEL" >&2; exit 1; }
command -v qemu-aarch64 >/dev/null ||
  { echo "test-native.sh: error: qemu-aarch64 not found; run: apt-get install -y qemu-user" >&2; exit 1; }

"$NATIVE_DIR/build-tflite.sh" >&2
"$NATIVE_DIR/build-probe.sh" all >&2

tmp="$(mktemp -d)"; trap 'rm -rf -- "$tmp"' EXIT
# lib_dir RID: the directory of the library to run on ("" = the one beside the probe, i.e. selected).
lib_dir() {
  case "$runtime" in
    selected) echo "" ;;
    *) local w; w="$("$NATIVE_DIR/build-tflite.sh" --which "$1" "$runtime" 2>/dev/null)" || return 1
       dirname "$(cut -f1 <<<"$w")" ;;
  esac
}
rids=()
X64_DIR="" ARM_DIR=""
if X64_DIR="$(lib_dir linux-x64)"; then rids+=(linux-x64); fi
if ARM_DIR="$(lib_dir linux-arm64)"; then rids+=(linux-arm64); fi
((${#rids[@]})) || { echo "test-native.sh: error: no $runtime runtime installed (native/build-tflite.sh --from-source)" >&2; exit 1; }
X64=(env ${X64_DIR:+LD_LIBRARY_PATH=$X64_DIR} "$NATIVE_DIR/out/linux-x64/tflite-probe")
QROOT_A72="$("$ROOT/scripts/qemu-arm64-root.sh" "$tmp/qemu-a72" cortex-a72)"
QROOT_A76="$("$ROOT/scripts/qemu-arm64-root.sh" "$tmp/qemu-a76" cortex-a76)"
ARM=(env ${ARM_DIR:+LD_LIBRARY_PATH=$ARM_DIR} qemu-aarch64 -L "$QROOT_A72" -cpu cortex-a72 "$NATIVE_DIR/out/linux-arm64/tflite-probe")
ARM_N1=(env ${ARM_DIR:+LD_LIBRARY_PATH=$ARM_DIR} qemu-aarch64 -L "$QROOT_A76" -cpu neoverse-n1 "$NATIVE_DIR/out/linux-arm64/tflite-probe")
has() { [[ " ${rids[*]} " == *" $1 "* ]]; }
version() { "$@" --version 2>/dev/null || echo "?"; }

# Golden seed (../shared/golden/meow_16k.seed-output.txt): XNNPACK + QS8, first window, top 5,
# ties (67/68) ranked by lower index.
SEED='index: 76, score: 0.80078125
index: 67, score: 0.66796875
index: 68, score: 0.66796875
index: 78, score: 0.5
index: 80, score: 0.33203125'

passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [[ -z "${2:-}" ]] || printf '%s\n' "$2" | sed 's/^/     /'; }
# expect NAME EXPECTED CMD...: stdout must equal EXPECTED and the exit code be 0.
expect() {
  local name="$1" want="$2" got; shift 2
  if got="$("$@" 2>"$tmp/err")" && [[ "$got" == "$want" ]]; then ok "$name"
  else bad "$name" "$got$(cat "$tmp/err")"; fi
}
# expect_error NAME CMD...: exit 2 (not a crash/signal) with an error message on stderr.
expect_error() {
  local name="$1" rc=0; shift
  "$@" >/dev/null 2>"$tmp/err" || rc=$?
  if [[ $rc -eq 2 ]] && grep -q 'tflite-probe: error:' "$tmp/err"; then ok "$name"
  else bad "$name" "exit $rc: $(cat "$tmp/err")"; fi
}

if has linux-x64; then
v="$(version "${X64[@]}")"
echo "native: linux-x64 on TFLite $v ($runtime)"
# XMODEL: what XNNPACK runs here. On AMD Zen the 2.9 prebuilt's XNNPACK aborts on YAMNet's float
# FULLY_CONNECTED (257 input channels); the library runs a zero-padded copy, and so does the probe
# (written by the CLI on the same library: yamnet __xnnpack-model; see TfLiteRuntime.XnnPackFloatPadding).
XMODEL="$MODEL"
CLI="$ROOT/.local/cli/yamnet"
if [[ -x "$CLI" ]]; then
  x64_lib="${X64_DIR:-$NATIVE_DIR/out/linux-x64}/libtensorflowlite_c.so"
  if how="$(YAMNET_TFLITE_LIB="$x64_lib" "$CLI" __xnnpack-model "$MODEL" "$tmp/xnnpack.tflite" 2>"$tmp/err")"; then
    ok "x64 [$v] model for XNNPACK on this CPU: $how"
    XMODEL="$tmp/xnnpack.tflite"
  else bad "x64 [$v] model for XNNPACK on this CPU" "$(cat "$tmp/err")"; fi
else
  echo "native: $CLI not built: the probe runs the model as it is"
fi
expect "x64 [$v] xnnpack matches seed" "$SEED" "${X64[@]}" --model "$XMODEL" --wav "$WAV"
expect "x64 [$v] 2 threads matches seed" "$SEED" "${X64[@]}" --model "$XMODEL" --wav "$WAV" --threads 2
expect "x64 [$v] builtin kernels golden" "index: 76, score: 0.73828125" \
  "${X64[@]}" --model "$MODEL" --wav "$WAV" --delegate none --top-k 1
expect "x64 [$v] json shape" \
  '{"input_length":15600,"classes":521,"top":[{"index":76,"score":0.80078125}],"threads":1,"delegate":"xnnpack","flags":1}' \
  "${X64[@]}" --model "$XMODEL" --wav "$WAV" --top-k 1 --format json
if got="$("${X64[@]}" --model "$XMODEL" --wav "$WAV" --iterations 5 --warmup 1 2>/dev/null)" &&
   [[ "$(tail -n1 <<<"$got")" =~ ^latency_ms:\ p50=[0-9.]+\ p95=[0-9.]+\ p99=[0-9.]+\ min=[0-9.]+\ mean=[0-9.]+\ n=5$ ]]
then ok "x64 [$v] latency line"; else bad "x64 [$v] latency line" "$got"; fi

# --windows all: every window at hop 7800, top 5, exactly the golden sliding-window CSVs.
GOLDEN="$SHARED/golden"
for clip in meow_16k speech two_heads; do
  for path in xnnpack-qs8:xnnpack builtin:none; do
    want="$GOLDEN/$clip.${path%%:*}.hop7800.top5.csv"
    [[ -f "$want" && -f "$SHARED/audio/$clip.wav" ]] || continue
    if [[ "${path#*:}" == none && "$v" != 2.9.* ]]; then
      # The goldens are 2.9.0's; 2.19's builtin kernels round a few scores differently (meow: 27 of
      # 6773, at most 0.086, no top class changes): check each window's top class and score +-0.1.
      if got="$("${X64[@]}" --model "$MODEL" --wav "$SHARED/audio/$clip.wav" --windows all --hop 7800 --delegate none 2>"$tmp/err")" &&
         awk -F, 'NR==FNR { if ($3 == 0) { i[$1] = $4; s[$1] = $5 }; next }
                  $3 == 0 { n++; d = $5 - s[$1]; if ($4 != i[$1] || d > 0.1 || d < -0.1) bad++ }
                  END { exit (n == length(i) && !bad) ? 0 : 1 }' "$want" <(printf '%s\n' "$got")
      then ok "x64 [$v] --windows all $clip none: golden top class per window (score +-0.1)"
      else bad "x64 [$v] --windows all $clip none: golden top class per window" "$got$(cat "$tmp/err")"; fi
      continue
    fi
    m="$MODEL"; [[ "${path#*:}" == xnnpack ]] && m="$XMODEL"
    expect "x64 [$v] --windows all $clip ${path#*:} golden" "$(cat "$want")" \
      "${X64[@]}" --model "$m" --wav "$SHARED/audio/$clip.wav" --windows all --hop 7800 --delegate "${path#*:}"
  done
done
expect_error "--windows all with --iterations -> exit 2" "${X64[@]}" --model "$MODEL" --windows all --iterations 3

echo "not a model" >"$tmp/model.txt"
expect_error "text file as model -> exit 2" "${X64[@]}" --model "$tmp/model.txt" --wav "$WAV"
expect_error "text file as wav -> exit 2" "${X64[@]}" --model "$MODEL" --wav "$tmp/model.txt"
expect_error "unknown option -> exit 2" "${X64[@]}" --model "$MODEL" --bogus 1
fi

if has linux-arm64; then
v="$(version "${ARM[@]}")"
echo "native: linux-arm64 on TFLite $v ($runtime), qemu $(qemu-aarch64 --version | head -1 | grep -oE '[0-9]+\.[0-9.]+' | head -1)"
expect "arm64 [$v] (qemu cortex-a72) xnnpack matches seed" "$SEED" "${ARM[@]}" --model "$MODEL" --wav "$WAV"
expect "arm64 [$v] (qemu cortex-a72) builtin kernels golden" "index: 76, score: 0.73828125" \
  "${ARM[@]}" --model "$MODEL" --wav "$WAV" --delegate none --top-k 1
expect "arm64 [$v] (qemu neoverse-n1) xnnpack matches seed" "$SEED" "${ARM_N1[@]}" --model "$MODEL" --wav "$WAV"
fi

echo "native: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
