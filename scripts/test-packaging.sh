#!/usr/bin/env bash
# Packaging tests: ./publish.sh + scripts/verify-artifact.sh for linux-x64 and linux-arm64, then
# `dotnet pack` of src/Yamnet.Native and src/Yamnet.Extensions.Hosting (.nupkg + .snupkg, contents and
# nuspec checked) and, copied to a temp dir outside the checkout and restored into a fresh packages
# folder with the Yamnet packages mapped to the local feed only: the consumer test project
# tests/Consumer/Yamnet.Consumer.Tests, and the README's samples (the csharp block after each
# "<!-- sample: NAME" line, a whole Program.cs, built with tests/Consumer/Samples/Sample.csproj):
# "async" built and run, "hosted" published with NativeAOT (0 trim/AOT warnings from Yamnet
# assemblies) and the native binary run on the seed clip; both checked against shared/golden.
# Closing line: "packaging: N passed, M failed"; exit status non-zero on any failure.
# usage: scripts/test-packaging.sh        (YAMNET_SHARED_DIR: shared folder, default <repo>/../shared;
#                                         YAMNET_PACKAGING_NUGET_ONLY=1: the packages and consumers only)
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
[[ "${1:-}" == -h || "${1:-}" == --help ]] && { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
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

# YAMNET_PACKAGING_NUGET_ONLY=1 skips the tarballs (a developer iterating on the packages; CI runs everything).
[[ "${YAMNET_PACKAGING_NUGET_ONLY:-0}" == 1 ]] && rids=() || rids=(linux-x64 linux-arm64)
for rid in "${rids[@]}"; do
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
hnupkg="$nuget/Yamnet.Extensions.Hosting.0.1.0.nupkg"
rm -f "$nuget"/Yamnet.Extensions.Hosting.*.nupkg "$nuget"/Yamnet.*.snupkg
packprops=(-p:TfLiteLib_linux_x64="${lib[linux-x64]:-}" -p:TfLiteLib_linux_arm64="${lib[linux-arm64]:-}")
for proj in Yamnet.Native Yamnet.Extensions.Hosting; do
  s=$SECONDS
  if dotnet pack "$root/src/$proj/$proj.csproj" -c Release -o "$nuget" "${packprops[@]}" \
       --artifacts-path "$root/artifacts/build/pack" --nologo -v quiet -clp:ErrorsOnly >"$tmp/pack.log" 2>&1 \
     && [[ -f "$nuget/$proj.0.1.0.nupkg" && -f "$nuget/$proj.0.1.0.snupkg" ]]
  then ok "dotnet pack $proj -> .nupkg + .snupkg ($((SECONDS - s))s)"
  else bad "dotnet pack $proj" "$(cat "$tmp/pack.log")"; fi
done
# Metadata of both (issue 11, point 9); the core package depends on nothing but Logging.Abstractions.
for p in "$nupkg" "$hnupkg"; do
  [[ -f "$p" ]] || continue
  id="$(basename "$p" .0.1.0.nupkg)"; spec="$(unzip -p "$p" "$id.nuspec")"
  if grep -q '<license type="expression">Apache-2.0</license>' <<<"$spec"; then ok "$id nuspec has a licence expression"; else bad "$id nuspec has a licence expression" "$spec"; fi
  if grep -qE '<repository type="git"[^>]* commit="[0-9a-f]{40}"' <<<"$spec"; then ok "$id nuspec has repository info (commit)"; else bad "$id nuspec has repository info" "$spec"; fi
  # Listed into a variable first: with pipefail, grep -q closing the pipe early would fail unzip (SIGPIPE).
  sl="$(unzip -l "${p%.nupkg}.snupkg" 2>&1)"
  if grep -qE " lib/net10\.0/$id\.pdb\$" <<<"$sl"; then ok "$id.snupkg has the pdb"; else bad "$id.snupkg has the pdb" "$sl"; fi
done
if [[ -f "$nupkg" ]]; then
  deps="$(unzip -p "$nupkg" Yamnet.Native.nuspec | grep -oE '<dependency id="[^"]+"' | cut -d'"' -f2 | tr '\n' ' ')"
  if [[ "$deps" == "Microsoft.Extensions.Logging.Abstractions " ]]; then ok "Yamnet.Native depends only on Logging.Abstractions (no hosting)"
  else bad "Yamnet.Native depends only on Logging.Abstractions (no hosting)" "$deps"; fi
fi
if [[ -f "$hnupkg" ]]; then
  hl="$(unzip -l "$hnupkg")"
  for member in lib/net10.0/Yamnet.Extensions.Hosting.dll lib/net10.0/Yamnet.Extensions.Hosting.xml README.md; do
    if grep -qE " ${member//./\\.}\$" <<<"$hl"; then ok "hosting nupkg has $member"; else bad "hosting nupkg has $member" "$hl"; fi
  done
  if grep -q '<dependency id="Yamnet.Native" version="0.1.0"' <<<"$(unzip -p "$hnupkg" Yamnet.Extensions.Hosting.nuspec)"; then ok "hosting nupkg depends on Yamnet.Native 0.1.0"
  else bad "hosting nupkg depends on Yamnet.Native 0.1.0"; fi
fi
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
  rm -rf "$c/Samples/"*/
  mkdir -p "$c/nuget-local"; cp "$nuget"/Yamnet.*.0.1.0.nupkg "$nuget"/Yamnet.*.0.1.0.snupkg "$c/nuget-local/"
  if (cd "$c/Yamnet.Consumer.Tests" && YAMNET_LOCAL_FEED="$c/nuget-local" dotnet test -c Release --nologo -p:RestorePackagesPath="$tmp/packages" 2>&1) >"$tmp/consumer.log"; then :; fi
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

  # README samples, against the same packages (the restore above already holds them).
  # Window order, top class and score (start times are not compared: C# and awk round 0.975 s differently).
  golden_top1() { awk -F, 'NR > 1 && $3 == 0 { printf "%d %.8f\n", $4, $5 }' "$YAMNET_SHARED_DIR/golden/meow_16k.xnnpack-qs8.hop7800.top5.csv"; }
  # "<start>s <index> <label…> <score>" lines (the console logger indents them), top class of each window.
  printed_top1() { awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9][0-9]s$/ && $(i + 1) ~ /^[0-9]+$/) { printf "%d %.8f\n", $(i + 1), $NF; break } }' "$1"; }
  sample() { # sample NAME: extracts the README block into $c/Samples/NAME, prints the directory
    local d="$c/Samples/$1"; mkdir -p "$d"
    cp "$c/Samples/Sample.csproj" "$d/$1.csproj"
    awk -v name="$1" 'state == 0 && index($0, "<!-- sample: " name " ") == 1 { state = 1; next }
                      state == 1 && /^```csharp/ { state = 2; next }
                      state == 2 && /^```/ { exit }
                      state == 2 { print }' "$root/README.md" >"$d/Program.cs"
    mkdir -p "$d/models"; ln -sf "$YAMNET_SHARED_DIR/models/yamnet.tflite" "$d/models/yamnet.tflite"
    ln -sf "$YAMNET_SHARED_DIR/audio/meow_16k.wav" "$d/clip.wav"
    echo "$d"
  }
  s=$SECONDS; d="$(sample async)"
  if [[ ! -s "$d/Program.cs" ]]; then bad "README async sample found"
  elif (cd "$d" && dotnet build -c Release --nologo -v quiet -clp:ErrorsOnly -p:RestorePackagesPath="$tmp/packages" -o "$d/out" >"$tmp/async.log" 2>&1 \
        && dotnet out/async.dll >"$tmp/async.out" 2>&1); then
    if diff <(printed_top1 "$tmp/async.out") <(golden_top1) >"$tmp/async.diff" && [[ -s "$tmp/async.out" ]]
    then ok "README async sample builds against the package and prints the golden top class of every window ($((SECONDS - s))s)"
    else bad "README async sample output == golden" "$(cat "$tmp/async.diff" "$tmp/async.out")"; fi
  else bad "README async sample builds and runs" "$(cat "$tmp/async.log" "$tmp/async.out" 2>/dev/null)"; fi

  if [[ "$(uname -m)" == x86_64 ]]; then
    s=$SECONDS; d="$(sample hosted)"
    if [[ ! -s "$d/Program.cs" ]]; then bad "README hosted sample found"
    elif (cd "$d" && dotnet publish -c Release -r linux-x64 -p:PublishAot=true --nologo -p:RestorePackagesPath="$tmp/packages" -o "$d/aot" >"$tmp/aot.log" 2>&1); then
      ok "README hosted sample (BackgroundService) publishes with NativeAOT against the packages ($((SECONDS - s))s)"
      # A native executable, no IL left to JIT: what was published really went through ILC.
      if [[ -x "$d/aot/hosted" && ! -e "$d/aot/hosted.dll" ]] && head -c 4 "$d/aot/hosted" | grep -q ELF; then ok "hosted sample is a NativeAOT ELF binary"
      else bad "hosted sample is a NativeAOT ELF binary" "$(ls -la "$d/aot")"; fi
      warnings="$(grep -oE '(warning|error) IL[23][0-9]{3}.*' "$tmp/aot.log" | sed 's/ \[[^]]*\]$//' | sort -u)"
      ours="$(grep -E 'Yamnet\.' <<<"$warnings" | grep -v '^$')"
      echo "     (NativeAOT: $(grep -c . <<<"$warnings") distinct IL2xxx/IL3xxx warnings in all, $(grep -c . <<<"$ours") from Yamnet assemblies)"
      if [[ -z "$ours" ]]; then ok "NativeAOT/trim: 0 warnings from Yamnet.Native or Yamnet.Extensions.Hosting"
      else bad "NativeAOT/trim: 0 warnings from Yamnet assemblies" "$ours"; fi
      if (cd "$d" && cat clip.wav | timeout 120 ./aot/hosted >"$tmp/hosted.out" 2>&1) \
         && diff <(printed_top1 "$tmp/hosted.out") <(golden_top1) >"$tmp/hosted.diff"
      then ok "NativeAOT hosted sample classifies the seed clip from stdin: golden top class of every window"
      else bad "NativeAOT hosted sample run == golden" "$(cat "$tmp/hosted.diff" "$tmp/hosted.out" 2>/dev/null)"; fi
    else bad "README hosted sample publishes with NativeAOT" "$(grep -E 'error|warning IL' "$tmp/aot.log" | head -30)"; fi
  else
    echo "     (NativeAOT sample: linux-x64 hosts only, as publish.sh)"
  fi
fi

echo "packaging: $passed passed, $failed failed ($((SECONDS - t0))s)"
[[ $failed -eq 0 ]]
