#!/usr/bin/env bash
# Packaging tests: ./publish.sh + scripts/verify-artifact.sh for linux-x64 and linux-arm64, then
# `dotnet pack src/Yamnet.Native` (contents checked with unzip -l) and the consumer test project
# tests/Consumer/Yamnet.Consumer.Tests, copied to a temp dir outside the checkout and restored into a
# fresh packages folder with Yamnet.Native mapped to the local feed only.
# Closing line: "packaging: N passed, M failed"; exit status non-zero on any failure.
# usage: scripts/test-packaging.sh        (YAMNET_SHARED_DIR: shared folder, default <repo>/../shared)
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
[[ "${1:-}" == -h || "${1:-}" == --help ]] && { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
export YAMNET_SHARED_DIR="$(cd "${YAMNET_SHARED_DIR:-$root/../shared}" && pwd)"
unset YAMNET_TFLITE_LIB
tmp="$(mktemp -d "${TMPDIR:-/tmp}/yamnet-packaging.XXXXXX")"; trap 'rm -rf -- "$tmp"' EXIT
passed=0 failed=0; t0=$SECONDS
ok()  { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [[ -z "${2:-}" ]] || printf '%s\n' "$2" | tail -30 | sed 's/^/     /'; }
count() { # adds the counts of a sub-suite's "N passed, M failed" line
  local line; line="$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)"
  if [[ -z "$line" ]]; then bad "$2" "$(tail -20 "$1")"; return; fi
  passed=$((passed + $(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')))
  failed=$((failed + $(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')))
}

for rid in linux-x64 linux-arm64; do
  s=$SECONDS
  if "$root/publish.sh" "$rid" >"$tmp/publish.log" 2>&1; then ok "publish.sh $rid ($((SECONDS - s))s, $(du -h "$root/artifacts/yamnet-$rid.tar.gz" | cut -f1))"
  else bad "publish.sh $rid" "$(cat "$tmp/publish.log")"; continue; fi
  s=$SECONDS
  "$root/scripts/verify-artifact.sh" "$rid" 2>&1 | tee "$tmp/verify.log"
  count "$tmp/verify.log" "verify-artifact.sh $rid"
  echo "     (verify $rid: $((SECONDS - s))s)"
done

# NuGet package
s=$SECONDS
nuget="$root/artifacts/nuget"; nupkg="$nuget/Yamnet.Native.0.1.0.nupkg"
rm -f "$nuget"/Yamnet.Native.*.nupkg
# The package carries the same TFLite as the tarballs (publish.sh's choice: 2.19 from source when cached).
declare -A lib
for r in linux-x64 linux-arm64; do
  w="$("$root/publish.sh" --which "$r")" && lib[$r]="$(cut -f1 <<<"$w")" && echo "     (nupkg $r: $(cut -f2 <<<"$w"))"
done
if dotnet pack "$root/src/Yamnet.Native/Yamnet.Native.csproj" -c Release -o "$nuget" \
     -p:TfLiteLib_linux_x64="${lib[linux-x64]:-}" -p:TfLiteLib_linux_arm64="${lib[linux-arm64]:-}" \
     --artifacts-path "$root/artifacts/build/pack" --nologo -v quiet -clp:ErrorsOnly >"$tmp/pack.log" 2>&1 && [[ -f "$nupkg" ]]
then ok "dotnet pack -> $(basename "$nupkg") ($((SECONDS - s))s)"
else bad "dotnet pack" "$(cat "$tmp/pack.log")"; fi
if [[ -f "$nupkg" ]]; then
  listing="$(unzip -l "$nupkg")"
  for member in runtimes/linux-x64/native/libtensorflowlite_c.so runtimes/linux-arm64/native/libtensorflowlite_c.so \
                lib/net10.0/Yamnet.Native.dll lib/net10.0/Yamnet.Native.xml README.md; do
    if grep -qE " ${member//./\\.}\$" <<<"$listing"; then ok "nupkg has $member"; else bad "nupkg has $member" "$listing"; fi
  done
  for r in linux-x64 linux-arm64; do
    if cmp -s <(unzip -p "$nupkg" "runtimes/$r/native/libtensorflowlite_c.so") "${lib[$r]:-/nonexistent}"
    then ok "nupkg $r .so == the published runtime"; else bad "nupkg $r .so == the published runtime (${lib[$r]:-none})"; fi
  done
  if unzip -p "$nupkg" Yamnet.Native.nuspec | grep -q 'libsndfile1 libsoxr0'; then ok "nuspec description names the system packages"
  else bad "nuspec description names the system packages"; fi
  if grep -qiE '\.(tflite|wav)$' <<<"$listing"; then bad "nupkg carries no model or audio" "$listing"; else ok "nupkg carries no model or audio"; fi

  # Consumer: outside the checkout, fresh packages folder, Yamnet.Native only from the local feed.
  s=$SECONDS
  c="$tmp/consumer"; mkdir -p "$c"
  cp -r "$root/tests/Consumer/." "$c/"
  rm -rf "$c/Yamnet.Consumer.Tests/bin" "$c/Yamnet.Consumer.Tests/obj"
  mkdir -p "$c/Yamnet.Consumer.Tests/nuget-local"; cp "$nupkg" "$c/Yamnet.Consumer.Tests/nuget-local/"
  if (cd "$c/Yamnet.Consumer.Tests" && dotnet test -c Release --nologo -p:RestorePackagesPath="$tmp/packages" 2>&1) >"$tmp/consumer.log"; then :; fi
  grep -E '^(Passed!|Failed!)|error' "$tmp/consumer.log" | head -20
  line="$(grep -E '(Passed|Failed)!' "$tmp/consumer.log" | tail -1)"
  cp_=$(grep -oE 'Passed: +[0-9]+' <<<"$line" | grep -oE '[0-9]+'); cf=$(grep -oE 'Failed: +[0-9]+' <<<"$line" | grep -oE '[0-9]+')
  if [[ -z "$line" ]]; then bad "consumer test (build/restore)" "$(cat "$tmp/consumer.log")"
  else
    passed=$((passed + ${cp_:-0})); failed=$((failed + ${cf:-0}))
    [[ ${cf:-0} -eq 0 ]] || bad "consumer test" "$(cat "$tmp/consumer.log")"
    echo "     (consumer: ${cp_:-0} passed, ${cf:-0} failed, $((SECONDS - s))s)"
  fi
  if [[ -d "$tmp/packages/yamnet.native/0.1.0" ]] && [[ "$(cat "$tmp/packages/yamnet.native/0.1.0/.nupkg.metadata" 2>/dev/null)" == *nuget-local* ]]
  then ok "consumer restored Yamnet.Native 0.1.0 from the local feed"
  else bad "consumer restored Yamnet.Native 0.1.0 from the local feed" "$(cat "$tmp/packages/yamnet.native/0.1.0/.nupkg.metadata" 2>&1)"; fi
fi

echo "packaging: $passed passed, $failed failed ($((SECONDS - t0))s)"
[[ $failed -eq 0 ]]
