#!/usr/bin/env bash
# Every test: set-up (scripts/setup.sh test), the native smoke test (host probe, and the arm64 probe
# under qemu), the .NET suites, then packaging (both release tarballs unpacked and run, the NuGet
# package consumed from outside the checkout). Ends with one line "tests: N passed, N failed".
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

step native '^native: ' "$root/native/test-native.sh"
step dotnet '^(Passed|Failed)! ' dotnet test "$root/Yamnet.sln" -c Release --nologo
step packaging '^packaging: ' "$root/scripts/test-packaging.sh"
echo "tests: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
