#!/usr/bin/env bash
# Build the release tarball for one RID: artifacts/yamnet-<rid>.tar.gz
#   yamnet-<rid>/yamnet                  the CLI: linux-x64 NativeAOT (seed-command start-up ≈ 1.4× the C probe,
#                                        ~150 ms for JIT: docs/PERFORMANCE.md); linux-arm64 self-contained, single file, trimmed
#   yamnet-<rid>/libtensorflowlite_c.so  TFLite for <rid>, found beside the CLI: the 2.19.0 from-source build
#                                        when one is cached (native/build-tflite.sh --from-source), else the
#                                        2.9.0 prebuilt; $YAMNET_PUBLISH_RUNTIME=prebuilt|source|auto (default
#                                        auto) forces one. TFLITE_RUNTIME in the tarball says which it is.
#   yamnet-<rid>/tflite-probe            the C probe for <rid> (native/build-probe.sh)
#   yamnet-<rid>/libSkiaSharp.so, libHarfBuzzSharp.so   SkiaSharp's native libraries (yamnet plot)
#   yamnet-<rid>/README.md               set-up line, model download + sha256, usage
#   yamnet-<rid>/SHA256SUMS              sha256 of every other file (sha256sum -c SHA256SUMS)
# No model is bundled. Re-runs are incremental (obj/bin under artifacts/build/<rid>, outside src/)
# and the tarball is byte-reproducible (sorted names, fixed owner and mtime, gzip -n).
# usage: ./publish.sh linux-x64|linux-arm64      (then: scripts/verify-artifact.sh <rid>)
# The same choice of library goes into the NuGet package: dotnet pack -p:TfLiteLib_<rid>=PATH (see
# scripts/test-packaging.sh), which is what `./publish.sh --which RID` prints.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
die() { echo "publish.sh: error: $1" >&2; exit "${2:-1}"; }

case "${1:-}" in
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  --which) [[ "${2:-}" == linux-x64 || "${2:-}" == linux-arm64 ]] || die "--which needs a rid" 2
           "$root/native/build-tflite.sh" --which "$2" "${YAMNET_PUBLISH_RUNTIME:-auto}"; exit ;;
  linux-x64|linux-arm64) rid="$1" ;;
  "") die "missing rid (linux-x64 or linux-arm64); see --help" 2 ;;
  *) die "unknown rid '$1' (expected linux-x64 or linux-arm64)" 2 ;;
esac
(($# == 1)) || die "expected exactly one argument, the rid" 2
command -v dotnet >/dev/null || die "dotnet (the .NET 10 SDK) not found"

art="$root/artifacts"
name="yamnet-$rid"
build="$art/build/$rid"
stage="$art/stage/$name"
tarball="$art/$name.tar.gz"

# 1. native pieces for this rid (both are no-ops when up to date), and which TFLite ships
"$root/native/build-tflite.sh" --rid "$rid" >&2
"$root/native/build-probe.sh" "$rid" >&2
runtime="${YAMNET_PUBLISH_RUNTIME:-auto}"
which="$("$root/native/build-tflite.sh" --which "$rid" "$runtime")" || die "no $runtime TFLite runtime for $rid"
tflite_so="$(cut -f1 <<<"$which")"; tflite_desc="$(cut -f2 <<<"$which")"
echo "publish.sh: $rid carries $tflite_desc ($tflite_so)" >&2

# 2. the CLI. --artifacts-path keeps obj/bin out of src/ so a RID-specific restore never
#    races with other builds of the checkout.
#    linux-x64 is NativeAOT (gcc links it; measured to cut start-up ~4.6x). linux-arm64 stays a
#    single-file self-contained JIT build: cross-linking NativeAOT for aarch64 needs a clang-style
#    driver (the SDK passes --target=, which Debian's aarch64 gcc rejects), not set up here.
if [[ "$rid" == linux-x64 && "$(uname -m)" == x86_64 ]]; then
  mode=(-p:PublishAot=true); what="NativeAOT"
else
  mode=(--self-contained -p:PublishSingleFile=true -p:PublishTrimmed=true); what="self-contained, single file, trimmed"
fi
echo "publish.sh: dotnet publish $rid ($what)" >&2
dotnet publish "$root/src/Yamnet.Cli/Yamnet.Cli.csproj" -c Release -r "$rid" "${mode[@]}" \
  --artifacts-path "$build" --nologo -v quiet -clp:ErrorsOnly >&2 || die "dotnet publish failed"
pub="$build/publish/Yamnet.Cli/release_$rid"
[[ -x "$pub/yamnet" ]] || die "no CLI at $pub/yamnet"

# 3. stage: only what ships (no .pdb / .xml, no model)
rm -rf "$stage"; mkdir -p "$stage"
install -m 0755 "$pub/yamnet" "$stage/yamnet"
install -m 0755 "$tflite_so" "$stage/libtensorflowlite_c.so"
printf '%s\n' "$tflite_desc" >"$stage/TFLITE_RUNTIME"; chmod 0644 "$stage/TFLITE_RUNTIME"
install -m 0755 "$root/native/out/$rid/tflite-probe" "$stage/tflite-probe"
# SkiaSharp's and HarfBuzzSharp's native libraries for <rid> (yamnet plot), found beside the CLI.
for lib in libSkiaSharp.so libHarfBuzzSharp.so; do
  [[ -f "$pub/$lib" ]] || die "no $lib for $rid in $pub (SkiaSharp native assets missing)"
  install -m 0755 "$pub/$lib" "$stage/$lib"
done
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -z "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]] || commit="$commit (+local changes)"
sed -e "s/@RID@/$rid/g" -e "s/@COMMIT@/$commit/g" -e "s|@TFLITE@|$tflite_desc|g" "$root/packaging/README.tarball.md" >"$stage/README.md"
chmod 0644 "$stage/README.md"
(cd "$stage" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)

# 4. reproducible tarball, written atomically
mtime="$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)"
tar -C "$art/stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" \
  -cf - "$name" | gzip -n -9 >"$tarball.part"
mv "$tarball.part" "$tarball"
echo "publish.sh: $tarball ($(du -h "$tarball" | cut -f1); unpacked $(du -sh "$stage" | cut -f1)) carries $tflite_desc"
