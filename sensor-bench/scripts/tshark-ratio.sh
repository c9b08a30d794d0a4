#!/usr/bin/env bash
# CPU time of tshark dissecting a capture's PostgreSQL and MySQL statements against `dbwire replay` writing its
# records to a file, on the same capture (issue 10; not run in CI). CPU = user + sys of the whole process, so the
# figure holds on a shared machine where wall time does not.
# Usage: sensor-bench/scripts/tshark-ratio.sh [PCAP (default /tmp/dbwire-bench/bench.pcap)] [DBWIRE_JAR]
# With LAUNCHER=1 dbwire is also timed through the packaged launcher (bin/dbwire of the tarball staged by
# `mvn package` in sensor-daemon/target/package, or LAUNCHER=PATH), which adds its JVM options to the same jar;
# the launcher runs the JDK named by DBWIRE_JAVA (or JAVA_HOME), and with AOT=1 (JDK 25+) it first builds its AOT
# cache with `dbwire aot-cache` (untimed) so the timed replay uses it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
capture=${1:-/tmp/dbwire-bench/bench.pcap}
jar=${2:-$here/../../sensor-daemon/target/dbwire.jar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cpu() { # cpu LABEL COMMAND...: runs it, prints and returns user+sys seconds
  /usr/bin/time -f "%U %S" -o "$work/time" "${@:2}" > "$work/$1.out" 2> "$work/$1.err"
  awk '{printf "%.2f", $1 + $2}' "$work/time"
}

packets=$(capinfos -c -M "$capture" 2>/dev/null | awk '/Number of packets/ {print $NF}')
tshark_cpu=$(cpu tshark tshark -n -r "$capture" -Y 'pgsql||mysql' -T fields -e pgsql.query -e mysql.query)
dbwire_cpu=$(cpu dbwire java -jar "$jar" replay --records "$work/records.jsonl" --alerts /dev/null "$capture")
records=$(wc -l < "$work/records.jsonl")
echo "capture: $capture ($packets packets)"
echo "tshark -Y 'pgsql||mysql' -T fields -e pgsql.query -e mysql.query: ${tshark_cpu} CPU-s"
echo "dbwire replay --records FILE (java -jar): ${dbwire_cpu} CPU-s ($records records)"
awk -v t="$tshark_cpu" -v d="$dbwire_cpu" -v p="$packets" 'BEGIN {
  printf "dbwire packets per CPU-second: %.0f; tshark: %.0f; tshark CPU / dbwire CPU = %.1f\n", p / d, p / t, t / d }'
if [ -n "${LAUNCHER:-}" ]; then
  launcher=$LAUNCHER
  if [ "$launcher" = 1 ]; then
    launcher=$(ls -d "$here"/../../sensor-daemon/target/package/dbwire-*/bin/dbwire 2>/dev/null | head -1)
  fi
  [ -x "$launcher" ] || { echo "tshark-ratio: no launcher at '$launcher' (run mvn package first)" >&2; exit 1; }
  mkdir -p "$work/home/lib" "$work/home/bin" "$work/home/training"
  cp "$here"/../../testdata/pg-basic-vxlan.pcap "$here"/../../testdata/mysql-basic.pcap "$work/home/training/"
  cp "$launcher" "$work/home/bin/dbwire"
  ln -s "$(readlink -f "$jar")" "$work/home/lib/dbwire.jar"   # the launcher's own layout, with the jar timed above
  if [ -n "${AOT:-}" ]; then
    env DBWIRE_HOME="$work/home" "$work/home/bin/dbwire" aot-cache > "$work/aot.out" 2>&1 \
      || { cat "$work/aot.out" >&2; exit 1; }
  fi
  launcher_cpu=$(cpu launcher env DBWIRE_HOME="$work/home" "$work/home/bin/dbwire" replay \
      --records "$work/records.jsonl" --alerts /dev/null "$capture")
  echo "dbwire replay --records FILE ($launcher, ${DBWIRE_JAVA:-${JAVA_HOME:-java}}${AOT:+, AOT cache}): ${launcher_cpu} CPU-s"
  awk -v t="$tshark_cpu" -v d="$launcher_cpu" 'BEGIN { printf "tshark CPU / dbwire CPU (launcher) = %.1f\n", t / d }'
fi
