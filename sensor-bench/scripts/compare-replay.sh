#!/usr/bin/env bash
# CPU time of `replay` of one capture by two builds, alternated so both see the same machine load, with a byte
# comparison of their records (issue 10; not run in CI). Records go to a file, alerts to another.
# Usage: sensor-bench/scripts/compare-replay.sh BEFORE.jar AFTER.jar [PCAP (default /tmp/dbwire-bench/bench.pcap)] [ROUNDS (2)]
set -euo pipefail

before=$1 after=$2
capture=${3:-/tmp/dbwire-bench/bench.pcap}
rounds=${4:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
packets=$(capinfos -c -M "$capture" 2>/dev/null | awk '/Number of packets/ {print $NF}')
bytes=$(capinfos -d -M "$capture" 2>/dev/null | awk '/Data size/ {print $(NF-1)}')
echo "capture: $capture ($packets packets, $bytes bytes of frames)"
for round in $(seq 1 "$rounds"); do
  for which in before after; do
    jar=$before; [ "$which" = after ] && jar=$after
    /usr/bin/time -f "%U %S %e" -o "$work/time" java -jar "$jar" replay --records "$work/$which.jsonl" \
      --alerts "$work/$which-alerts.jsonl" "$capture" 2> "$work/$which.err"
    read -r user sys wall < "$work/time"
    awk -v w="$which" -v r="$round" -v u="$user" -v s="$sys" -v e="$wall" -v p="$packets" -v b="$bytes" 'BEGIN {
      c = u + s; printf "round %d %-6s user=%.2fs sys=%.2fs cpu=%.2fs wall=%.2fs packets/cpu-s=%.0f Gbit/cpu-s=%.2f\n",
      r, w, u, s, c, e, p / c, b * 8 / c / 1e9 }'
  done
done
cmp -s "$work/before.jsonl" "$work/after.jsonl" && echo "records: identical ($(wc -l < "$work/after.jsonl") lines)" \
  || echo "records: DIFFER"
cmp -s "$work/before-alerts.jsonl" "$work/after-alerts.jsonl" && echo "alerts: identical" || echo "alerts: DIFFER"
