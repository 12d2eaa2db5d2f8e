#!/usr/bin/env bash
# Make a qemu-aarch64 "-L" prefix in which the guest sees an arm64 /proc/cpuinfo.
#
# Why: under qemu-user the guest reads the host's x86 /proc/cpuinfo; TFLite 2.19's XNNPACK (through
# the cpuinfo library) cannot parse it and the delegate segfaults on creation (2.9 does not care).
# qemu's -L PREFIX looks every absolute path up in PREFIX first, /proc/cpuinfo included, so a prefix
# holding proc/cpuinfo plus symlinks to the real lib/usr/etc/sys gives the guest a Pi's cpuinfo while
# it still runs over the arm64 multiarch libraries (the same ones `-L /` provides).
# The cpuinfo text must match the qemu -cpu model (XNNPACK picks kernels from both):
#   cortex-a72   Raspberry Pi 4 (Cortex-A72, part 0xd08: no dotprod)        -> qemu -cpu cortex-a72
#   cortex-a76   Raspberry Pi 5 (Cortex-A76, part 0xd0b: asimddp, fp16)    -> qemu -cpu neoverse-n1
# usage: scripts/qemu-arm64-root.sh DIR [cortex-a72|cortex-a76]   (prints DIR; idempotent)
set -euo pipefail
dir="${1:?usage: qemu-arm64-root.sh DIR [cortex-a72|cortex-a76]}"
core="${2:-cortex-a72}"
case "$core" in
  cortex-a72) part=0xd08; variant=0x0; revision=3; features="fp asimd evtstrm crc32 cpuid" ;;
  cortex-a76) part=0xd0b; variant=0x4; revision=1
              features="fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp" ;;
  *) echo "qemu-arm64-root.sh: error: unknown core '$core' (cortex-a72 or cortex-a76)" >&2; exit 2 ;;
esac
mkdir -p "$dir/proc"
for d in lib usr etc sys bin sbin; do [[ -e "$dir/$d" || ! -e "/$d" ]] || ln -s "/$d" "$dir/$d"; done
# One entry per host CPU: the guest's /sys (the host's) says how many processors there are.
n="$(nproc --all)"
{
  for ((i = 0; i < n; i++)); do
    printf 'processor\t: %d\nBogoMIPS\t: 108.00\nFeatures\t: %s\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: %s\nCPU part\t: %s\nCPU revision\t: %s\n\n' \
      "$i" "$features" "$variant" "$part" "$revision"
  done
} >"$dir/proc/cpuinfo.part"
mv -f "$dir/proc/cpuinfo.part" "$dir/proc/cpuinfo"
echo "$dir"
