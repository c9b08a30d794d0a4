#!/usr/bin/env bash
# Records testdata/pg-basic.pcap: real psql sessions against a throw-away PostgreSQL 15 server on
# 127.0.0.1:5432, captured with tcpdump on the loopback interface. The server's own statement log
# (log_statement=all) is kept beside it as pg-basic.log: it is the ground truth for the capture.
#
# Needs root (tcpdump), Debian's postgresql-15 and tcpdump, openssl, and port 5432 free.
# Usage: testdata/make-pg-capture.sh [OUTPUT_DIR]
set -euo pipefail

out=$(cd "${1:-$(dirname "$0")}" && pwd)
bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d)
chown postgres: "$work"
trap 'kill "${tcpdump_pid:-0}" 2>/dev/null || true; runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

as_pg() { runuser -u postgres -- "$@"; }

as_pg "$bin/initdb" -D "$work/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=db.dbwire.test" \
  -keyout "$work/data/server.key" -out "$work/data/server.crt" 2>/dev/null
chown postgres: "$work/data/server.key" "$work/data/server.crt"
chmod 600 "$work/data/server.key"
cat >> "$work/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = 5432
unix_socket_directories = '$work'
ssl = on
log_statement = 'all'
log_min_duration_statement = 0
log_connections = on
log_line_prefix = '%m [%p] %r %u@%d %a '
CONF
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w start >/dev/null
as_pg psql -h "$work" -U postgres -q -c "CREATE ROLE app LOGIN PASSWORD 'app-secret'" -c "CREATE DATABASE shop OWNER app"

tcpdump -i lo -s 0 -U --immediate-mode -w "$out/pg-basic.pcap" 'tcp port 5432' 2>"$work/tcpdump.err" &
tcpdump_pid=$!
until grep -q listening "$work/tcpdump.err"; do sleep 0.1; done

export PGPASSWORD=app-secret PGHOST=127.0.0.1 PGUSER=app PGDATABASE=shop
# A clear-text application session: DDL, inserts, reads, an error, a multi-statement string.
PGSSLMODE=disable PGAPPNAME=orders-api psql -X -q >/dev/null 2>&1 <<'SQL'
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);
INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 500) g;
SELECT id, name FROM customers WHERE id = 42;
SELECT count(*) FROM customers WHERE email LIKE '%@example.com';
INSERT INTO customers VALUES (42, 'duplicate', NULL);
UPDATE customers SET email = 'new@example.com' WHERE id IN (1, 2, 3);
BEGIN; DELETE FROM customers WHERE id > 490; COMMIT;
SELECT * FROM customers ORDER BY id;
SQL
# A reporting session that reads the whole table twice.
PGSSLMODE=disable PGAPPNAME=report psql -X -q -c "SELECT * FROM customers" -c "SELECT name, email FROM customers WHERE id < 100" >/dev/null
# One simple Query holding three statements, the second failing: PostgreSQL answers the first,
# reports the error and skips the third.
PGSSLMODE=disable PGAPPNAME=report psql -X -q -c "SELECT count(*) FROM customers; SELECT * FROM no_such_table; SELECT 2" >/dev/null 2>&1 || true
# A TLS session: the sensor sees the SSLRequest, the server's 'S', and then only ciphertext.
PGSSLMODE=require PGAPPNAME=tls-client psql -X -q -c "SELECT 1" >/dev/null
# Password guessing from the same client: twelve failed logins.
for i in $(seq 1 12); do
  PGSSLMODE=disable PGPASSWORD="guess-$i" psql -X -q -U app -c "SELECT 1" >/dev/null 2>&1 || true
done
sleep 1
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
tcpdump_pid=
as_pg "$bin/pg_ctl" -D "$work/data" -w stop >/dev/null
cp "$work/server.log" "$out/pg-basic.log"
chmod 644 "$out/pg-basic.pcap" "$out/pg-basic.log"
python3 "$(dirname "$0")/vxlan-wrap.py" --vni 4242 "$out/pg-basic.pcap" "$out/pg-basic-vxlan.pcap"
echo "wrote $out/pg-basic.pcap and $out/pg-basic.log"
