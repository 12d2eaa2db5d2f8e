#!/usr/bin/env bash
# TFLite 2.9.0 (prebuilt) against 2.19.0 (from source) on this machine, in one run: `yamnet bench`
# alternately on each runtime (A B A B ..., so drifting load hits both alike), then the peak RSS of
# `yamnet classify --jobs 4` over 4 files with the XNNPACK weights cache on and off (2.19; 2.9 has none).
# The probe is pointed at the same library as the CLI (LD_LIBRARY_PATH wins over its RUNPATH).
# Prints per-window p50 (C# and C, 1 and 2 threads), whole-file real-time factors and the ratios
# 2.19/2.9; medians over the rounds. Needs both runtimes installed (native/build-tflite.sh,
# native/build-tflite.sh --from-source --rid linux-x64) and jq.
# usage: scripts/bench-runtimes.sh [--rounds N (2)] [--seconds S (3)] [--minutes M (2)]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rounds=2 seconds=3 minutes=2
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --minutes) minutes="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-runtimes.sh: error: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
command -v jq >/dev/null || { echo "bench-runtimes.sh: error: jq not found (apt-get install jq)" >&2; exit 2; }
lib29="$("$root/native/build-tflite.sh" --which linux-x64 prebuilt | cut -f1)"
lib219="$("$root/native/build-tflite.sh" --which linux-x64 source | cut -f1)" ||
  { echo "bench-runtimes.sh: error: TFLite 2.19 is not built (native/build-tflite.sh --from-source --rid linux-x64)" >&2; exit 2; }
tmp="$(mktemp -d)"; trap 'rm -rf -- "$tmp"' EXIT
"$root/yamnet" --help >/dev/null   # builds the launcher's CLI once, before anything is timed

on() { local lib="$1"; shift; YAMNET_TFLITE_LIB="$lib" LD_LIBRARY_PATH="$(dirname "$lib")" "$@"; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: scripts/bench-runtimes.sh --rounds $rounds --seconds $seconds --minutes $minutes"
for ((r = 1; r <= rounds; r++)); do
  for v in 29 219; do
    lib=lib$v
    on "${!lib}" "$root/yamnet" bench --format json --numThreads 2 --seconds "$seconds" --minutes "$minutes" --jobs 2 --rounds 0 >"$tmp/$v.$r.json"
    echo "round $r: TFLite $([[ $v == 29 ]] && echo 2.9.0 || echo 2.19.0) done (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
val() { local v="$1" q="$2"; for f in "$tmp/$v".*.json; do jq -r "$q" "$f"; done | median; }
row() { # label jq-query
  local a b; a="$(val 29 "$2")"; b="$(val 219 "$2")"
  printf '  %-44s %10.3f %10.3f %8.3f\n' "$1" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN {print b / a}')"
}
echo
echo "medians over $rounds rounds                          2.9.0     2.19.0   2.19/2.9"
for t in 1 2; do
  row "per-window p50 ms, C# session, $t thread(s)" ".latency_ms[] | select(.threads == $t) | .csharp_p50"
  row "per-window p50 ms, C probe, $t thread(s)" ".latency_ms[] | select(.threads == $t) | .native_p50"
done
for c in $(jq -r '.throughput[].config | @base64' "$tmp/29.1.json"); do
  name="$(base64 -d <<<"$c")"
  row "whole file, $name: real-time factor" ".throughput[] | select(.config == \"$name\") | .realtime_factor"
done

# Peak RSS of 4 pooled interpreters (4 files, --jobs 4), weights cache on / off.
wav="$(jq -r .clip "$tmp/29.1.json")"
files=(); for i in 1 2 3 4; do cp "$wav" "$tmp/in$i.wav"; files+=("$tmp/in$i.wav"); done
rss() { local lib="$1"; shift; on "$lib" /usr/bin/time -f %M -o "$tmp/rss" "$root/yamnet" classify --windows all --jobs 4 --numThreads 1 "$@" "${files[@]}" >/dev/null; cat "$tmp/rss"; }
echo
echo "peak RSS, classify --jobs 4 over 4 files (KB, median of 3):"
for mode in on off; do
  a="$(for i in 1 2 3; do rss "$lib29" --xnnpackWeightsCache "$mode"; done | median)"
  b="$(for i in 1 2 3; do rss "$lib219" --xnnpackWeightsCache "$mode"; done | median)"
  printf '  weights cache %-3s  2.9.0 %8d   2.19.0 %8d\n' "$mode" "$a" "$b"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
