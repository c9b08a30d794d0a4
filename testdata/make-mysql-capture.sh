#!/usr/bin/env bash
# Records testdata/mysql-basic.pcap: real mariadb client sessions against a throw-away MariaDB server on
# 127.0.0.1:13306, captured with tcpdump on the loopback interface. The server's general log (every command of
# every connection) is kept beside it as mysql-basic.log: it is the ground truth for the capture.
#
# Needs root (tcpdump), Debian's mariadb-server and mariadb-client, tcpdump, openssl, and port 13306 free.
# Usage: testdata/make-mysql-capture.sh [OUTPUT_DIR]
set -euo pipefail

out=$(cd "${1:-$(dirname "$0")}" && pwd)
port=13306
work=$(mktemp -d)
trap 'kill "${tcpdump_pid:-0}" 2>/dev/null || true; kill "${server_pid:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

chown mysql: "$work"
mariadb-install-db --no-defaults --datadir="$work/data" --auth-root-authentication-method=normal --skip-test-db \
  --user=mysql >/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=db.dbwire.test" \
  -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
chown -R mysql: "$work"
/usr/sbin/mariadbd --no-defaults --datadir="$work/data" --port=$port --bind-address=127.0.0.1 \
  --socket="$work/mysqld.sock" --pid-file="$work/mysqld.pid" --general-log=1 --general-log-file="$work/general.log" \
  --log-error="$work/error.log" --skip-log-bin --innodb-buffer-pool-size=32M --skip-name-resolve \
  --ssl-cert="$work/server.crt" --ssl-key="$work/server.key" --user=mysql >/dev/null 2>&1 &
server_pid=$!
until [ -S "$work/mysqld.sock" ]; do sleep 0.2; done
admin() { mariadb --no-defaults -uroot --socket="$work/mysqld.sock" -e "$1"; }
admin "CREATE DATABASE shop; CREATE USER 'app'@'%' IDENTIFIED BY 'app-secret'; GRANT ALL ON shop.* TO 'app'@'%';"

tcpdump -i lo -s 0 -U --immediate-mode -w "$out/mysql-basic.pcap" "tcp port $port" 2>"$work/tcpdump.err" &
tcpdump_pid=$!
until grep -q listening "$work/tcpdump.err"; do sleep 0.1; done

client() { mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P $port -u app "$@"; }
# A clear-text application session: DDL, inserts, reads, a duplicate key error, a prepared statement in SQL,
# a transaction.
client -papp-secret --skip-ssl --force shop >/dev/null 2>&1 <<'SQL' || true
CREATE TABLE customers (id int PRIMARY KEY, name varchar(64) NOT NULL, email varchar(64));
INSERT INTO customers VALUES (1, 'customer 1', 'c1@example.com'), (2, 'customer 2', 'c2@example.com'), (3, 'customer 3', NULL);
SELECT id, name FROM customers WHERE id = 2;
SELECT DATABASE();
INSERT INTO customers VALUES (2, 'duplicate', NULL);
UPDATE customers SET email = 'new@example.com' WHERE id IN (1, 2, 3);
PREPARE s FROM 'SELECT name FROM customers WHERE id = ?'; SET @id = 3; EXECUTE s USING @id; DEALLOCATE PREPARE s;
BEGIN; DELETE FROM customers WHERE id > 2; COMMIT;
SELECT * FROM customers ORDER BY id;
SQL
# A compressed session (zlib after the login's OK).
client -papp-secret --skip-ssl --compress shop -e "SELECT count(*) FROM customers" >/dev/null
# A TLS session: the sensor sees the greeting, the SSLRequest, and then only ciphertext.
client -papp-secret --ssl shop -e "SELECT 1" >/dev/null
# Password guessing: three failed logins.
for i in 1 2 3; do
  client -p"guess-$i" --skip-ssl shop -e "SELECT 1" >/dev/null 2>&1 || true
done
sleep 1
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
tcpdump_pid=
kill "$server_pid"; wait "$server_pid" || true
server_pid=
cp "$work/general.log" "$out/mysql-basic.log"
chmod 644 "$out/mysql-basic.pcap" "$out/mysql-basic.log"
echo "wrote $out/mysql-basic.pcap and $out/mysql-basic.log"
