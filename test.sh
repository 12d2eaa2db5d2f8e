#!/usr/bin/env bash
# Every test: set-up (scripts/setup.sh test), the native smoke test (host probe, and the arm64 probe
# under qemu), the .NET suites, then packaging (both release tarballs unpacked and run, the NuGet
# package consumed from outside the checkout). Ends with one line "tests: N passed, N failed".
#
# Two TFLite runtimes. Pass 1 runs everything on the selected one (native/out/<rid>: the 2.9.0
# prebuilt unless 2.19 was selected). Pass 2 runs the native smoke test and the .NET tests that
# reach libtensorflowlite_c on the other one (YAMNET_TFLITE_LIB). TFLite 2.19 comes from
# native/build-tflite.sh --from-source (offline bundle ../shared/tflite-src, cached in
# ~/.cache/yamnet/tflite): when not cached yet, it is built in the background at nice 19 while pass 1
# runs (linux-x64 only: ~30 min cold on 2 cores; linux-arm64 too when already cached or with
# YAMNET_CI_FULL=1), so nothing in pass 1 waits for a compile.
#   YAMNET_TEST_TFLITE_SOURCE=auto  (default) pass 2 when 2.19 is already built for linux-x64, else
#                                   skipped with a note: a developer's run never starts a 30-min build
#   YAMNET_TEST_TFLITE_SOURCE=1     build 2.19 when needed, then pass 2 (.ci/run sets this)
#   YAMNET_TEST_TFLITE_SOURCE=0     no pass 2
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$root"
"$root/scripts/setup.sh" test || exit 2

passed=0; failed=0
# step NAME SUMMARY_REGEX COMMAND...: runs a suite and adds up the counts on its summary lines only
# ("N passed, N failed" lines of our scripts, "Passed!/Failed! - Failed: N, Passed: N" of dotnet test).
step() {
  local name="$1" summary="$2"; shift 2
  echo "=== $name: $*" >&2
  local log; log="$(mktemp)"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local lines p f
  lines="$(grep -E "$summary" "$log")"
  p=$(grep -oE '(Passed: +[0-9]+|[0-9]+ passed)' <<<"$lines" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  f=$(grep -oE '(Failed: +[0-9]+|[0-9]+ failed)' <<<"$lines" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
  if [[ $rc -ne 0 && $f -eq 0 ]]; then failed=$((failed + 1)); echo "$name: exited $rc" >&2; fi
  if [[ -z "$lines" ]]; then failed=$((failed + 1)); echo "$name: no summary line" >&2; fi
  rm -f "$log"
}

# ---- TFLite 2.19 from source, in the background -------------------------------------------------
src_pass="${YAMNET_TEST_TFLITE_SOURCE:-auto}"
src_log="$(mktemp)"; src_pid=""
if [[ "$src_pass" == auto ]]; then
  if "$root/native/build-tflite.sh" --which linux-x64 source >/dev/null 2>&1; then src_pass=1
  else src_pass=0; src_note="TFLite 2.19 is not built here (native/build-tflite.sh --from-source, or YAMNET_TEST_TFLITE_SOURCE=1)"; fi
fi
if [[ "$src_pass" != 0 ]]; then
  src_rids=(--rid linux-x64)
  if [[ "${YAMNET_CI_FULL:-0}" == 1 ]] || "$root/native/build-tflite.sh" --which linux-arm64 source >/dev/null 2>&1; then
    src_rids=(--rid all)
  fi
  echo "=== tflite 2.19: native/build-tflite.sh --from-source ${src_rids[*]} --no-select (background, log $src_log)" >&2
  "$root/native/build-tflite.sh" --from-source "${src_rids[@]}" --no-select >"$src_log" 2>&1 &
  src_pid=$!
fi

# ---- pass 1: the selected runtime ---------------------------------------------------------------
selected="$(head -1 "$root/native/out/linux-x64/RUNTIME" 2>/dev/null || echo '?')"
echo "=== pass 1 on: $selected" >&2
step native '^native: [0-9]' "$root/native/test-native.sh"
step dotnet '^(Passed|Failed)! ' dotnet test "$root/Yamnet.sln" -c Release --nologo
step packaging '^packaging: ' "$root/scripts/test-packaging.sh"

# ---- pass 2: the other runtime ------------------------------------------------------------------
# The .NET tests that call into libtensorflowlite_c: model creation and validation, interpreters
# (delegates, threads, tensors, resize, invoke), ownership and dispose orders, malformed models, the
# versioned ABI and weights cache, sessions and the pool pipeline, extra outputs (derived models), the
# CLI's golden outputs, and the unknown-model trial (a model that crashes 2.9's XNNPACK, not 2.19's). The rest (audio decoding, events, batch files, live capture, option
# parsing, formatting) does not reach TFLite in any other way and runs once, in pass 1.
tflite_tests='FullyQualifiedName~Yamnet.Native.Tests.TfLite|FullyQualifiedName~Yamnet.Native.Tests.Classification|FullyQualifiedName~Yamnet.Native.Tests.Embeddings|FullyQualifiedName~ClassifySeed|FullyQualifiedName~GoldenWindow|FullyQualifiedName~SecondModelAndInfo|FullyQualifiedName~ModelTrial|FullyQualifiedName~ModelFuzz'
if [[ -n "$src_pid" ]]; then
  wait "$src_pid"; rc=$?
  sed 's/^/    /' "$src_log" >&2
  if [[ $rc -ne 0 ]]; then
    failed=$((failed + 1)); echo "tflite 2.19: from-source build failed (exit $rc; log above)" >&2
  else
    case "$selected" in
      *"from source"*) other=prebuilt ;;
      *) other=source ;;
    esac
    if w="$("$root/native/build-tflite.sh" --which linux-x64 "$other")"; then
      other_lib="$(cut -f1 <<<"$w")"; other_desc="$(cut -f2 <<<"$w")"
      other_version="$(grep -oE 'TFLite [0-9]+\.[0-9]+\.[0-9]+' <<<"$other_desc" | cut -d' ' -f2)"
      echo "=== pass 2 on: $other_desc" >&2
      step "native ($other)" '^native: [0-9]' "$root/native/test-native.sh" --runtime "$other"
      step "dotnet ($other)" '^(Passed|Failed)! ' env YAMNET_TFLITE_LIB="$other_lib" YAMNET_EXPECT_TFLITE_VERSION="$other_version" \
        dotnet test "$root/Yamnet.sln" -c Release --nologo --no-build --filter "$tflite_tests"
    else
      failed=$((failed + 1)); echo "tflite: no $other runtime for pass 2" >&2
    fi
  fi
else
  echo "=== pass 2 SKIPPED: ${src_note:-YAMNET_TEST_TFLITE_SOURCE=0}; only the selected runtime was tested" >&2
fi
rm -f "$src_log"

echo "tests: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
