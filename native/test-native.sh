#!/usr/bin/env bash
# Native smoke test: provision TFLite 2.9.0, build tflite-probe for linux-x64 and linux-arm64,
# and check both classify meow_16k.wav exactly like the golden seed output (arm64 under qemu).
# apt: cmake make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross libstdc++6-arm64-cross qemu-user npm
# usage: native/test-native.sh [WAV]
#   WAV:   argument, else $YAMNET_SHARED_DIR/audio/meow_16k.wav, else <repo>/../shared/audio/...
#   model: $YAMNET_SHARED_DIR/models/yamnet.tflite, else <repo>/../shared/models/yamnet.tflite
set -euo pipefail

NATIVE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SHARED="${YAMNET_SHARED_DIR:-$NATIVE_DIR/../../shared}"
WAV="${1:-$SHARED/audio/meow_16k.wav}"
MODEL="$SHARED/models/yamnet.tflite"
[[ -f "$WAV" ]] || { echo "test-native.sh: error: WAV not found: $WAV" >&2; exit 1; }
[[ -f "$MODEL" ]] || { echo "test-native.sh: error: model not found: $MODEL" >&2; exit 1; }
command -v qemu-aarch64 >/dev/null ||
  { echo "test-native.sh: error: qemu-aarch64 not found; run: apt-get install -y qemu-user" >&2; exit 1; }

"$NATIVE_DIR/build-tflite.sh"
"$NATIVE_DIR/build-probe.sh" all

X64="$NATIVE_DIR/out/linux-x64/tflite-probe"
ARM=(qemu-aarch64 -L /usr/aarch64-linux-gnu "$NATIVE_DIR/out/linux-arm64/tflite-probe")
tmp="$(mktemp -d)"; trap 'rm -rf -- "$tmp"' EXIT

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

expect "x64 xnnpack matches seed" "$SEED" "$X64" --model "$MODEL" --wav "$WAV"
expect "arm64 (qemu) xnnpack matches seed" "$SEED" "${ARM[@]}" --model "$MODEL" --wav "$WAV"
expect "x64 2 threads matches seed" "$SEED" "$X64" --model "$MODEL" --wav "$WAV" --threads 2
expect "x64 builtin kernels golden" "index: 76, score: 0.73828125" \
  "$X64" --model "$MODEL" --wav "$WAV" --delegate none --top-k 1
expect "arm64 (qemu) builtin kernels golden" "index: 76, score: 0.73828125" \
  "${ARM[@]}" --model "$MODEL" --wav "$WAV" --delegate none --top-k 1
expect "x64 json shape" \
  '{"input_length":15600,"classes":521,"top":[{"index":76,"score":0.80078125}],"threads":1,"delegate":"xnnpack","flags":1}' \
  "$X64" --model "$MODEL" --wav "$WAV" --top-k 1 --format json
if got="$("$X64" --model "$MODEL" --wav "$WAV" --iterations 5 --warmup 1 2>/dev/null)" &&
   [[ "$(tail -n1 <<<"$got")" =~ ^latency_ms:\ p50=[0-9.]+\ p95=[0-9.]+\ p99=[0-9.]+\ min=[0-9.]+\ mean=[0-9.]+\ n=5$ ]]
then ok "x64 latency line"; else bad "x64 latency line" "$got"; fi

# --windows all: every window at hop 7800, top 5, exactly the golden sliding-window CSVs.
GOLDEN="$SHARED/golden"
for clip in meow_16k speech two_heads; do
  for path in xnnpack-qs8:xnnpack builtin:none; do
    want="$GOLDEN/$clip.${path%%:*}.hop7800.top5.csv"
    [[ -f "$want" && -f "$SHARED/audio/$clip.wav" ]] || continue
    expect "x64 --windows all $clip ${path#*:} golden" "$(cat "$want")" \
      "$X64" --model "$MODEL" --wav "$SHARED/audio/$clip.wav" --windows all --hop 7800 --delegate "${path#*:}"
  done
done
expect_error "--windows all with --iterations -> exit 2" "$X64" --model "$MODEL" --windows all --iterations 3

echo "not a model" >"$tmp/model.txt"
expect_error "text file as model -> exit 2" "$X64" --model "$tmp/model.txt" --wav "$WAV"
expect_error "text file as wav -> exit 2" "$X64" --model "$MODEL" --wav "$tmp/model.txt"
expect_error "unknown option -> exit 2" "$X64" --model "$MODEL" --bogus 1

echo "native: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
