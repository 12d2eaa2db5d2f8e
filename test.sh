#!/usr/bin/env bash
# Every test: set-up (scripts/setup.sh test), the native smoke test (host and arm64-under-qemu
# probe), then the .NET test suites. Prints one closing line "tests: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$root"
"$root/scripts/setup.sh" test || exit 2

passed=0; failed=0
step() { # step NAME COMMAND...: runs a suite, adds its counts (from "N passed, N failed" style lines)
  local name="$1"; shift
  echo "=== $name" >&2
  local log; log="$(mktemp)"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -oE '(Passed: +[0-9]+|[0-9]+ passed)' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  f=$(grep -oE '(Failed: +[0-9]+|[0-9]+ failed)' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [[ $rc -ne 0 && ${f:-0} -eq 0 ]]; then failed=$((failed + 1)); echo "$name: exited $rc" >&2; fi
  rm -f "$log"
}

step native "$root/native/test-native.sh"
step dotnet dotnet test "$root/Yamnet.sln" -c Release --nologo
echo "tests: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
