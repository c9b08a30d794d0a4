#!/usr/bin/env bash
# How fast `dbwire run` keeps every mirrored packet (issue 10; not run in CI). Two network namespaces joined by a
# veth pair (MTU 9100, so VXLAN-wrapped jumbo frames pass): tcpreplay sends a VXLAN capture from one, `dbwire run`
# listens on UDP 4789 in the other, freshly started for every rate (a cold start). For each offered rate it
# prints what was sent, what dbwire received, what the kernel dropped (/proc/net/snmp Udp RcvbufErrors in the
# receiving namespace) and what dbwire dropped (dbwire_datagrams_dropped_total{reason="queue_full"}), then the
# highest rate with < 0.1 % loss. rx_us/dgram and pipe_us/pkt are the CPU time of the receiving thread (dbwire-udp)
# and of the pipeline threads per datagram: what the hand-off costs, independent of how loaded the machine is.
#
# Needs root, tcpreplay, editcap (wireshark-common), curl, iproute2, a built sensor-daemon/target/dbwire.jar and a
# VXLAN capture from make-bench-capture.sh. net.core.rmem_max is raised to RMEM_MAX for the run and restored.
# Usage: sensor-bench/scripts/rate-test.sh [VXLAN_PCAP (default /tmp/dbwire-bench/bench-vxlan.pcap)]
#   PACKETS (200000) datagrams per rate, RATES ("20000 40000 60000 80000 100000 top") packets/s,
#   THREADS (1) listen.pipeline_threads, RCVBUF (67108864) listen.receive_buffer_bytes, RMEM_MAX (same),
#   QUEUE (65536) listen.queue_packets, WARM (0; 1 = one daemon warmed up first), WARM_UP (unset: the jar's
#   default; else listen.warm_up, e.g. 0s or 5s), JAVA_OPTS, JAR (default: the built sensor-daemon/target/dbwire.jar).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-"$here/../../sensor-daemon/target/dbwire.jar"}
capture=${1:-/tmp/dbwire-bench/bench-vxlan.pcap}
packets=${PACKETS:-200000}
rates=${RATES:-"20000 40000 60000 80000 100000 top"}
threads=${THREADS:-1}
rcvbuf=${RCVBUF:-67108864}
queue=${QUEUE:-65536}
ns_tx=dbwr-tx ns_rx=dbwr-rx
work=$(mktemp -d)
old_rmem=$(cat /proc/sys/net/core/rmem_max)

cleanup() {
  [ -n "${dbwire_pid:-}" ] && kill "$dbwire_pid" 2>/dev/null && wait "$dbwire_pid" 2>/dev/null || true
  ip netns del $ns_tx 2>/dev/null || true
  ip netns del $ns_rx 2>/dev/null || true
  sysctl -qw net.core.rmem_max="$old_rmem" || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
ip netns add $ns_tx
ip netns add $ns_rx
ip link add dbwr-a type veth peer name dbwr-b
ip link set dbwr-a netns $ns_tx
ip link set dbwr-b netns $ns_rx
# The capture's outer frames go 0a:00:00:00:00:05 / 10.0.0.5 -> 0a:00:00:00:00:09 / 10.0.0.9 (vxlan-wrap.py).
ip netns exec $ns_rx ip link set dbwr-b address 0a:00:00:00:00:09 mtu 9100 up
ip netns exec $ns_rx ip addr add 10.0.0.9/24 dev dbwr-b
ip netns exec $ns_rx ip link set lo up
ip netns exec $ns_rx sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.dbwr-b.rp_filter=0
ip netns exec $ns_tx ip link set dbwr-a address 0a:00:00:00:00:05 mtu 9100 up
sysctl -qw net.core.rmem_max="${RMEM_MAX:-$rcvbuf}"

editcap -r "$capture" "$work/input.pcap" "1-$packets" 2>/dev/null
cat > "$work/dbwire.yml" <<YML
listen:
  address: 0.0.0.0
  vxlan_port: 4789
  receive_buffer_bytes: $rcvbuf
  queue_packets: $queue
  pipeline_threads: $threads
${WARM_UP:+  warm_up: $WARM_UP}
metrics:
  address: 127.0.0.1
  port: 9464
alerts:
  file: $work/alerts.jsonl
state:
  directory: $work/state
YML

metric() { # metric NAME [LABEL-SELECTOR]
  # awk reads to the end: leaving early would kill curl with SIGPIPE, and pipefail would end the script.
  ip netns exec $ns_rx curl -s 127.0.0.1:9464/metrics | awk -v m="$1${2:-}" '$1 == m && !seen {print $2; seen = 1}'
}
rcvbuf_errors() {
  ip netns exec $ns_rx awk '/^Udp:/ {if (!h) {for (i = 1; i <= NF; i++) c[$i] = i; h = 1} else print $c["RcvbufErrors"]}' \
    /proc/net/snmp
}

# CPU clock ticks (user + system) of the daemon's threads whose name starts with $1: receive cost per datagram.
thread_ticks() {
  local t sum=0
  for t in /proc/$dbwire_pid/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      "$1"*) sum=$(( sum + $(awk '{print $14 + $15}' "$t/stat") )) ;;
    esac
  done
  echo $sum
}
start_dbwire() {
  ip netns exec $ns_rx java ${JAVA_OPTS:-} -jar "$jar" run --config "$work/dbwire.yml" > "$work/dbwire.log" 2>&1 &
  dbwire_pid=$!
  until metric dbwire_datagrams_received_total >/dev/null 2>&1 && [ -n "$(metric dbwire_datagrams_received_total)" ]; do
    kill -0 $dbwire_pid || { cat "$work/dbwire.log"; exit 1; }
    sleep 0.5
  done
}
stop_dbwire() {
  kill "$dbwire_pid"; wait "$dbwire_pid" 2>/dev/null || true
  dbwire_pid=
}
# send RATE: replays the capture once; sets sent and actual_rate, then waits until dbwire has taken everything in.
send() {
  if [ "$1" = top ]; then speed=(--topspeed); else speed=(--pps="$1"); fi
  # tcpreplay fails when the veth's transmit queue overflows (ENOBUFS): keep what it reports as sent.
  ip netns exec $ns_tx tcpreplay -q -K -i dbwr-a "${speed[@]}" "$work/input.pcap" > "$work/tcpreplay.out" 2>&1 ||
    grep -m1 -i error "$work/tcpreplay.out" >&2 || true
  sent=$(awk '/Actual:/ {print $2; exit}' "$work/tcpreplay.out")
  sent=${sent:-0}
  actual_rate=$(awk '/Rated:/ {for (i = 1; i < NF; i++) if ($(i + 1) ~ /^pps/) {printf "%.0f", $i; exit}}' "$work/tcpreplay.out")
  local last=-1 now
  while :; do
    sleep 1
    now=$(metric dbwire_packets_total)
    [ "$now" = "$last" ] && [ "$(metric dbwire_queue_depth)" = 0 ] && break
    last=$now
  done
}
int() { local v=${1:-0}; echo "${v%.*}"; }

# WARM=1: one daemon for every rate, first fed the capture once at 20 000/s (not reported), so the rates measure
# compiled code; otherwise a fresh daemon per rate (a cold start, as the issue asks).
[ "${WARM:-0}" = 1 ] && { start_dbwire; send 20000; }
printf "%-9s %10s %10s %10s %10s %10s %8s %12s %12s\n" sent/s sent received kernel_drop queue_full processed loss% \
  rx_us/dgram pipe_us/pkt
best=none
tick_us=$(( 1000000 / $(getconf CLK_TCK) ))
for rate in $rates; do
  [ -z "${dbwire_pid:-}" ] && start_dbwire
  kernel_before=$(rcvbuf_errors)
  received_before=$(int "$(metric dbwire_datagrams_received_total)")
  queue_full_before=$(int "$(metric dbwire_datagrams_dropped_total '{reason="queue_full"}')")
  processed_before=$(int "$(metric dbwire_packets_total)")
  rx_before=$(thread_ticks dbwire-udp) pipe_before=$(thread_ticks dbwire-pipeline)
  send "$rate"
  received=$(( $(int "$(metric dbwire_datagrams_received_total)") - received_before ))
  queue_full=$(( $(int "$(metric dbwire_datagrams_dropped_total '{reason="queue_full"}')") - queue_full_before ))
  processed=$(( $(int "$(metric dbwire_packets_total)") - processed_before ))
  kernel=$(( $(rcvbuf_errors) - kernel_before ))
  rx_us=$(awk -v t=$(( $(thread_ticks dbwire-udp) - rx_before )) -v u=$tick_us -v n=$received \
    'BEGIN {printf "%.2f", n ? t * u / n : 0}')
  pipe_us=$(awk -v t=$(( $(thread_ticks dbwire-pipeline) - pipe_before )) -v u=$tick_us -v n=$processed \
    'BEGIN {printf "%.2f", n ? t * u / n : 0}')
  [ "${WARM:-0}" = 1 ] || stop_dbwire
  lost=$(( sent - received + queue_full ))
  loss=$(awk -v l="$lost" -v s="$sent" 'BEGIN {printf "%.3f", s ? 100 * l / s : 0}')
  printf "%-9s %10s %10s %10s %10s %10s %8s %12s %12s\n" "$actual_rate" "$sent" "$received" "$kernel" "$queue_full" \
    "$processed" "$loss" "$rx_us" "$pipe_us"
  if awk -v l="$loss" 'BEGIN {exit !(l < 0.1)}'; then best=$actual_rate; fi
done
echo "highest sent rate with < 0.1 % loss: $best packets/s (threads=$threads, rcvbuf=$rcvbuf, queue=$queue," \
  "warm=${WARM:-0})"
