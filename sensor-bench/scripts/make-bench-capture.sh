#!/usr/bin/env bash
# Records the benchmark capture for issue 10 (not run in CI, not committed): pgbench -M prepared against
# PostgreSQL 15 and sysbench oltp_read_write against MariaDB, running together, each server in its own network
# namespace, the clients in a third; tcpdump on the clients' veth (MTU 9001, offloads off where ethtool exists).
# Writes OUT/bench.pcap (Ethernet frames) and OUT/bench-vxlan.pcap (the same frames VXLAN-wrapped, VNI 4242, as
# Traffic Mirroring sends them), plus the servers' logs.
#
# Needs root, Debian's postgresql-15, mariadb-server, pgbench, sysbench, tcpdump, iproute2, python3.
# Usage: sensor-bench/scripts/make-bench-capture.sh [OUT_DIR (default /tmp/dbwire-bench)] [SECONDS (default 20: about 500 MB, 700 k packets on a 2-core machine)]
#   PG_CLIENTS (8) and SB_THREADS (4) set the concurrency.
set -euo pipefail

out=$(mkdir -p "${1:-/tmp/dbwire-bench}" && cd "${1:-/tmp/dbwire-bench}" && pwd)
seconds=${2:-20}
pg_clients=${PG_CLIENTS:-8}
sb_threads=${SB_THREADS:-4}
here=$(cd "$(dirname "$0")" && pwd)
wrap="$here/../../testdata/vxlan-wrap.py"
bin=/usr/lib/postgresql/15/bin
ns_db=dbwb-db ns_cl=dbwb-cl
db_ip=10.77.0.2 cl_ip=10.77.0.1
work=$(mktemp -d)
chmod 1777 "$work"

cleanup() {
  [ -n "${tcpdump_pid:-}" ] && kill "$tcpdump_pid" 2>/dev/null || true
  ip netns exec $ns_db runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$work/my/mysqld.pid" ] && kill "$(cat "$work/my/mysqld.pid")" 2>/dev/null || true
  sleep 1
  ip netns del $ns_db 2>/dev/null || true
  ip netns del $ns_cl 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

in_db() { ip netns exec $ns_db "$@"; }
in_cl() { ip netns exec $ns_cl "$@"; }

# Two namespaces joined by a veth pair: nothing of this touches the host's own interfaces.
ip netns add $ns_db
ip netns add $ns_cl
ip link add dbwb-c type veth peer name dbwb-d
ip link set dbwb-c netns $ns_cl
ip link set dbwb-d netns $ns_db
in_cl ip addr add $cl_ip/24 dev dbwb-c
in_db ip addr add $db_ip/24 dev dbwb-d
for pair in "$ns_cl dbwb-c" "$ns_db dbwb-d"; do
  set -- $pair
  ip netns exec "$1" ip link set "$2" mtu 9001 up
  ip netns exec "$1" ip link set lo up
  if command -v ethtool >/dev/null; then
    ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
  fi
done

# PostgreSQL 15 in the server namespace.
mkdir -p "$work/pg" && chown postgres: "$work/pg"
runuser -u postgres -- "$bin/initdb" -D "$work/pg" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
cat >> "$work/pg/postgresql.conf" <<CONF
listen_addresses = '$db_ip'
port = 5432
unix_socket_directories = '$work/pg'
max_connections = 50
fsync = off
synchronous_commit = off
CONF
echo "host all all 10.77.0.0/24 scram-sha-256" >> "$work/pg/pg_hba.conf"
in_db runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
runuser -u postgres -- psql -h "$work/pg" -U postgres -q -c "CREATE ROLE bench LOGIN PASSWORD 'bench-secret'" \
  -c "CREATE DATABASE bench OWNER bench"

# MariaDB in the same server namespace.
mkdir -p "$work/my" && chown mysql: "$work/my"
mariadb-install-db --no-defaults --datadir="$work/my/data" --user=mysql --skip-test-db \
  --auth-root-authentication-method=normal >/dev/null
ip netns exec $ns_db /usr/sbin/mariadbd --no-defaults --datadir="$work/my/data" --user=mysql --port=3306 --bind-address=$db_ip \
  --socket="$work/my/mysqld.sock" --pid-file="$work/my/mysqld.pid" --log-error="$work/my/error.log" \
  --skip-log-bin --skip-name-resolve --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=0 &
until mariadb --no-defaults -S "$work/my/mysqld.sock" -uroot -e 'select 1' >/dev/null 2>&1; do sleep 0.2; done
mariadb --no-defaults -S "$work/my/mysqld.sock" -uroot -e "CREATE DATABASE sbtest;
  CREATE USER 'bench'@'%' IDENTIFIED BY 'bench-secret'; GRANT ALL ON sbtest.* TO 'bench'@'%';"

# Load both data sets before capturing: the capture holds the workloads only.
export PGPASSWORD=bench-secret PGSSLMODE=disable
in_cl pgbench -h $db_ip -U bench -i -s 10 -q bench >/dev/null 2>&1
sb=(sysbench oltp_read_write --db-driver=mysql --mysql-host=$db_ip --mysql-port=3306 --mysql-user=bench
    --mysql-password=bench-secret --mysql-db=sbtest --mysql-ssl=off --tables=4 --table-size=20000)
in_cl "${sb[@]}" prepare >/dev/null

ip netns exec $ns_cl tcpdump -i dbwb-c -s 0 -B 65536 -w "$out/bench.pcap" 'tcp port 5432 or tcp port 3306' 2>"$work/tcpdump.err" &
tcpdump_pid=$!
until grep -q listening "$work/tcpdump.err"; do sleep 0.1; done

in_cl pgbench -h $db_ip -U bench -M prepared -c "$pg_clients" -j 2 -T "$seconds" bench > "$out/pgbench.out" 2>&1 &
pg_pid=$!
in_cl "${sb[@]}" --threads="$sb_threads" --time="$seconds" run > "$out/sysbench.out" 2>&1 &
sb_pid=$!
wait $pg_pid $sb_pid
sleep 1
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
tcpdump_pid=
cat "$work/tcpdump.err" >&2
cp "$work/pg.log" "$out/postgresql.log"
python3 "$wrap" --vni 4242 "$out/bench.pcap" "$out/bench-vxlan.pcap"
ls -l "$out"/*.pcap
grep -E '^(tps|number of transactions)' "$out/pgbench.out" || true
grep -E 'transactions:|queries:' "$out/sysbench.out" || true
