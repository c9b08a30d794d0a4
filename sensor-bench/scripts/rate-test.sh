#!/usr/bin/env bash
# How fast `dbwire run` keeps every mirrored packet (issue 10; not run in CI). Two network namespaces joined by a
# veth pair (rx-tx / rx-rx, veth rx-a / rx-b, MTU 9100 so VXLAN-wrapped jumbo frames pass): a sender replays the
# VXLAN datagrams of a capture from one, `dbwire run` listens on UDP 4789 in the other, freshly started for every
# rate and build (a cold start). For each offered rate it prints what was sent, what dbwire received, what the
# kernel dropped (/proc/net/snmp Udp RcvbufErrors in the receiving namespace; softnet_stat backlog drops, whole
# host), what dbwire dropped (sum of dbwire_datagrams_dropped_total, of which queue_full, plus
# dbwire_detection_queue_dropped_total), then per build the highest rate with < 0.1 % loss. rx_us/dgram and
# pipe_us/pkt are the CPU time of the receiving thread (dbwire-udp) and of the pipeline threads per datagram.
#
# Senders (SENDER): mmsg (default) is rx-send.c, built here with gcc: it loads the capture's VXLAN payloads into
# memory and sends them from a UDP socket with sendmmsg at the rate asked (0 or "top": as fast as it can), so the
# datagrams are the capture's, byte for byte, and the outer headers the kernel's. tcpreplay (-K, --pps/--topspeed)
# tops out at 85-134 k datagrams/s on a 2-core machine, below what `run` takes.
#
# MODE=burst: for each average rate A in RATES, A for BURST_PRE seconds, BURST (10) x A for one second, A for
# BURST_POST seconds, in one stream (mmsg only); the loss is over the whole stream, the sent/s column the burst's
# own achieved rate.
#
# Needs root, gcc, tcpreplay (SENDER=tcpreplay), editcap (wireshark-common), curl, iproute2, a built
# sensor-daemon/target/dbwire.jar and a VXLAN capture from make-bench-capture.sh. net.core.rmem_max is raised to
# RMEM_MAX and net.core.netdev_max_backlog to BACKLOG for the run and both restored.
# Usage: sensor-bench/scripts/rate-test.sh [VXLAN_PCAP (default /tmp/dbwire-bench/bench-vxlan.pcap)]
#   PACKETS (200000) datagrams per rate, RATES ("50000 100000 200000 300000 top") datagrams/s,
#   THREADS (1) listen.pipeline_threads, RCVBUF (unset: the jar's default) listen.receive_buffer_bytes,
#   RMEM_MAX (67108864), BACKLOG (10000), QUEUE (unset: the jar's default) listen.queue_packets, WARM (0; 1 = one
#   daemon per build warmed up first by the whole stream at 20 000/s), WARM_UP (unset: the jar's default; else
#   listen.warm_up, e.g. 0s or 5s), JAVA_OPTS, JAR (one jar or several separated by spaces, alternated per rate;
#   default: the built sensor-daemon/target/dbwire.jar), SENDER (mmsg), MODE (rate), BURST (10), BURST_PRE (3),
#   BURST_POST (3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jars=${JAR:-"$here/../../sensor-daemon/target/dbwire.jar"}
capture=${1:-/tmp/dbwire-bench/bench-vxlan.pcap}
packets=${PACKETS:-200000}
rates=${RATES:-"50000 100000 200000 300000 top"}
threads=${THREADS:-1}
sender=${SENDER:-mmsg}
mode=${MODE:-rate}
burst=${BURST:-10} burst_pre=${BURST_PRE:-3} burst_post=${BURST_POST:-3}
ns_tx=rx-tx ns_rx=rx-rx
work=$(mktemp -d)
old_rmem=$(cat /proc/sys/net/core/rmem_max)
old_backlog=$(cat /proc/sys/net/core/netdev_max_backlog)

cleanup() {
  [ -n "${dbwire_pid:-}" ] && kill "$dbwire_pid" 2>/dev/null && wait "$dbwire_pid" 2>/dev/null || true
  ip netns del $ns_tx 2>/dev/null || true
  ip netns del $ns_rx 2>/dev/null || true
  sysctl -qw net.core.rmem_max="$old_rmem" net.core.netdev_max_backlog="$old_backlog" || true
  rm -rf "$work"
}
trap cleanup EXIT

for jar in $jars; do [ -f "$jar" ] || { echo "$jar: build first: mvn -B -q -DskipTests package" >&2; exit 2; }; done
[ "$mode" = burst ] && [ "$sender" != mmsg ] && { echo "MODE=burst needs SENDER=mmsg" >&2; exit 2; }
ip netns add $ns_tx
ip netns add $ns_rx
ip link add rx-a type veth peer name rx-b
ip link set rx-a netns $ns_tx
ip link set rx-b netns $ns_rx
# The capture's outer frames go 0a:00:00:00:00:05 / 10.0.0.5 -> 0a:00:00:00:00:09 / 10.0.0.9 (vxlan-wrap.py).
ip netns exec $ns_rx ip link set rx-b address 0a:00:00:00:00:09 mtu 9100 up
ip netns exec $ns_rx ip addr add 10.0.0.9/24 dev rx-b
ip netns exec $ns_rx ip link set lo up
ip netns exec $ns_rx sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.rx-b.rp_filter=0
ip netns exec $ns_tx ip link set rx-a address 0a:00:00:00:00:05 mtu 9100 up
ip netns exec $ns_tx ip addr add 10.0.0.5/24 dev rx-a
ip netns exec $ns_tx ip link set lo up
sysctl -qw net.core.rmem_max="${RMEM_MAX:-67108864}" net.core.netdev_max_backlog="${BACKLOG:-10000}"

if [ "$sender" = mmsg ]; then
  gcc -O2 -o "$work/rx-send" "$here/rx-send.c"
  # the whole stream of the longest burst run, so no datagram is sent twice
  need=$packets
  if [ "$mode" = burst ]; then
    for rate in $rates; do
      n=$(( rate * (burst_pre + burst + burst_post) )); [ $n -gt $need ] && need=$n
    done
  fi
  editcap -F pcap -r "$capture" "$work/input.pcap" "1-$need" 2>/dev/null
else
  editcap -r "$capture" "$work/input.pcap" "1-$packets" 2>/dev/null
fi

write_config() {
  cat > "$work/dbwire.yml" <<YML
listen:
  address: 0.0.0.0
  vxlan_port: 4789
  pipeline_threads: $threads
${RCVBUF:+  receive_buffer_bytes: $RCVBUF}
${QUEUE:+  queue_packets: $QUEUE}
${WARM_UP:+  warm_up: $WARM_UP}
metrics:
  address: 127.0.0.1
  port: 9464
alerts:
  file: $work/alerts.jsonl
state:
  directory: $work/state
YML
}

metric() { # metric NAME [LABEL-SELECTOR]
  # awk reads to the end: leaving early would kill curl with SIGPIPE, and pipefail would end the script.
  ip netns exec $ns_rx curl -s 127.0.0.1:9464/metrics | awk -v m="$1${2:-}" '$1 == m && !seen {print $2; seen = 1}'
}
metric_sum() { # every sample of a labelled metric, added up
  ip netns exec $ns_rx curl -s 127.0.0.1:9464/metrics | awk -v m="$1" 'index($1, m "{") == 1 {s += $2} END {printf "%.0f", s}'
}
rcvbuf_errors() {
  ip netns exec $ns_rx awk '/^Udp:/ {if (!h) {for (i = 1; i <= NF; i++) c[$i] = i; h = 1} else print $c["RcvbufErrors"]}' \
    /proc/net/snmp
}
backlog_drops() { # second column of softnet_stat, hexadecimal, summed over CPUs
  awk '{s += strtonum("0x" $2)} END {print s}' /proc/net/softnet_stat 2>/dev/null ||
    awk '{ s += ("0x" $2) + 0 } END {print s}' /proc/net/softnet_stat
}

# CPU clock ticks (user + system) of the daemon's threads whose name starts with $1.
thread_ticks() {
  local t sum=0
  for t in /proc/$dbwire_pid/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      "$1"*) sum=$(( sum + $(awk '{print $14 + $15}' "$t/stat") )) ;;
    esac
  done
  echo $sum
}
start_dbwire() { # start_dbwire JAR
  ip netns exec $ns_rx java ${JAVA_OPTS:-} -jar "$1" run --config "$work/dbwire.yml" > "$work/dbwire.log" 2>&1 &
  dbwire_pid=$!
  until [ -n "$(metric dbwire_datagrams_received_total 2>/dev/null)" ]; do
    kill -0 $dbwire_pid || { cat "$work/dbwire.log"; exit 1; }
    sleep 0.5
  done
}
stop_dbwire() {
  kill "$dbwire_pid"; wait "$dbwire_pid" 2>/dev/null || true
  dbwire_pid=
}
# send RATE: replays the stream once; sets sent and actual_rate, then waits until dbwire has taken everything in.
send() {
  local rate=$1
  if [ "$sender" = mmsg ]; then
    [ "$rate" = top ] && rate=0
    local segments=("$rate:$packets")
    if [ "$mode" = burst ] && [ "$rate" != 0 ]; then
      segments=("$rate:$(( rate * burst_pre ))" "$(( rate * burst )):$(( rate * burst ))" "$rate:$(( rate * burst_post ))")
    fi
    ip netns exec $ns_tx "$work/rx-send" "$work/input.pcap" 10.0.0.9 4789 10.0.0.5 -- "${segments[@]}" \
      > "$work/send.out"
    sent=$(awk '{s += $4} END {print s}' "$work/send.out")
    # the rate column: the (burst) segment's achieved rate
    actual_rate=$(awk -v m="$mode" 'm == "burst" && NR == 2 || m != "burst" {print $8; exit}' "$work/send.out")
  else
    if [ "$rate" = top ]; then speed=(--topspeed); else speed=(--pps="$rate"); fi
    # tcpreplay fails when the veth's transmit queue overflows (ENOBUFS): keep what it reports as sent.
    ip netns exec $ns_tx tcpreplay -q -K -i rx-a "${speed[@]}" "$work/input.pcap" > "$work/tcpreplay.out" 2>&1 ||
      grep -m1 -i error "$work/tcpreplay.out" >&2 || true
    sent=$(awk '/Actual:/ {print $2; exit}' "$work/tcpreplay.out")
    sent=${sent:-0}
    actual_rate=$(awk '/Rated:/ {for (i = 1; i < NF; i++) if ($(i + 1) ~ /^pps/) {printf "%.0f", $i; exit}}' "$work/tcpreplay.out")
  fi
  local last=-1 now
  while :; do
    sleep 1
    now=$(metric dbwire_packets_total)
    [ "$now" = "$last" ] && [ "$(metric dbwire_queue_depth)" = 0 ] && break
    last=$now
  done
}
int() { local v=${1:-0}; echo "${v%.*}"; }

write_config
declare -A best
printf "%-5s %-9s %9s %9s %9s %8s %8s %8s %9s %9s %8s %10s %10s\n" build offered sent/s sent received rcvbuf \
  backlog dbw_drop queue_full processed loss% rx_us/dgram pipe_us/pkt
tick_us=$(( 1000000 / $(getconf CLK_TCK) ))
for rate in $rates; do
  b=0
  for jar in $jars; do
    b=$(( b + 1 ))
    if [ "${WARM:-0}" = 1 ]; then
      # warmed by the whole stream at 20 000/s before the rate is measured
      start_dbwire "$jar"; mode=rate send 20000
    else
      start_dbwire "$jar"
    fi
    kernel_before=$(rcvbuf_errors) backlog_before=$(backlog_drops)
    received_before=$(int "$(metric dbwire_datagrams_received_total)")
    queue_full_before=$(int "$(metric dbwire_datagrams_dropped_total '{reason="queue_full"}')")
    dropped_before=$(( $(metric_sum dbwire_datagrams_dropped_total) + $(int "$(metric dbwire_detection_queue_dropped_total)") ))
    processed_before=$(int "$(metric dbwire_packets_total)")
    rx_before=$(thread_ticks dbwire-udp) pipe_before=$(thread_ticks dbwire-pipeline)
    send "$rate"
    received=$(( $(int "$(metric dbwire_datagrams_received_total)") - received_before ))
    queue_full=$(( $(int "$(metric dbwire_datagrams_dropped_total '{reason="queue_full"}')") - queue_full_before ))
    dropped=$(( $(metric_sum dbwire_datagrams_dropped_total) + $(int "$(metric dbwire_detection_queue_dropped_total)") - dropped_before ))
    processed=$(( $(int "$(metric dbwire_packets_total)") - processed_before ))
    kernel=$(( $(rcvbuf_errors) - kernel_before )) backlog=$(( $(backlog_drops) - backlog_before ))
    rx_us=$(awk -v t=$(( $(thread_ticks dbwire-udp) - rx_before )) -v u=$tick_us -v n=$received \
      'BEGIN {printf "%.2f", n ? t * u / n : 0}')
    pipe_us=$(awk -v t=$(( $(thread_ticks dbwire-pipeline) - pipe_before )) -v u=$tick_us -v n=$processed \
      'BEGIN {printf "%.2f", n ? t * u / n : 0}')
    stop_dbwire
    lost=$(( sent - received + dropped ))
    loss=$(awk -v l="$lost" -v s="$sent" 'BEGIN {printf "%.3f", s ? 100 * l / s : 0}')
    printf "%-5s %-9s %9s %9s %9s %8s %8s %8s %9s %9s %8s %10s %10s\n" "#$b" "$rate" "$actual_rate" "$sent" \
      "$received" "$kernel" "$backlog" "$dropped" "$queue_full" "$processed" "$loss" "$rx_us" "$pipe_us"
    if awk -v l="$loss" 'BEGIN {exit !(l < 0.1)}'; then best[$b]=$actual_rate; fi
  done
done
b=0
for jar in $jars; do
  b=$(( b + 1 ))
  what="sent rate"; [ "$mode" = burst ] && what="burst rate sent"
  echo "#$b $jar: highest $what with < 0.1 % loss: ${best[$b]:-none} datagrams/s (mode=$mode, sender=$sender," \
    "threads=$threads, rcvbuf=${RCVBUF:-default}, queue=${QUEUE:-default}, warm=${WARM:-0})"
done
