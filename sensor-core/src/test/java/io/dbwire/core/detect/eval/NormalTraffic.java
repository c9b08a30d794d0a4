package io.dbwire.core.detect.eval;

import io.dbwire.core.record.Endpoint;

/**
 * Normal application traffic, minute by minute: three web servers of a shop (ORM, connection pool, a few
 * unique-key violations and the odd bad column), a job worker with a 20-minute export (COPY … TO STDOUT of tens
 * of thousands of rows) and a TRUNCATE of its staging table, a reporting client with slow aggregates, a DBA in
 * psql (catalog queries, ad-hoc statements, a mistyped password now and then), and two clients that reach a second
 * server only over TLS. Load follows the time of day with Poisson noise.
 */
final class NormalTraffic {
    static final Endpoint PG = new Endpoint("10.0.0.20", 5432);
    static final Endpoint PG_TLS = new Endpoint("10.0.0.10", 5432);
    static final String[] WEB = {"10.1.0.11", "10.1.0.12", "10.1.0.13"};
    static final String WORKER = "10.1.0.21";
    static final String REPORT = "10.1.0.31";
    static final String DBA = "10.1.0.41";
    static final String[] TLS_CLIENTS = {"10.1.0.51", "10.1.0.52"};

    /** One statement shape of the web application: weight, rows returned (min, max), bytes per row, latency. */
    record Shape(String sql, int weight, int rowsMin, int rowsMax, boolean affected, int rowBytes, double latencyUs) {}

    static final Shape[] WEB_SHAPES = {
        new Shape("SELECT * FROM products WHERE id = ?", 30, 1, 1, false, 400, 700),
        new Shape("SELECT id, name, price FROM products WHERE category_id = ? ORDER BY name LIMIT ?", 15, 10, 50, false, 80, 2_500),
        new Shape("SELECT * FROM orders WHERE customer_id = ? ORDER BY created_at DESC LIMIT ?", 10, 0, 10, false, 200, 1_800),
        new Shape("SELECT * FROM customers WHERE id = ?", 10, 1, 1, false, 300, 600),
        new Shape("SELECT count(*) FROM cart_items WHERE cart_id = ?", 8, 1, 1, false, 10, 500),
        new Shape("UPDATE carts SET updated_at = ? WHERE id = ?", 8, 1, 1, true, 0, 900),
        new Shape("INSERT INTO orders (customer_id, total, created_at) VALUES (?, ?, ?)", 5, 1, 1, true, 0, 1_200),
        new Shape("DELETE FROM cart_items WHERE cart_id = ? AND product_id = ?", 3, 0, 1, true, 0, 800),
        new Shape("BEGIN", 5, 0, 0, false, 0, 100),
        new Shape("COMMIT", 5, 0, 0, false, 0, 400),
    };
    static final String ORM_TYPES = "SELECT typname, typtype FROM pg_catalog.pg_type WHERE oid = ?";
    static final String[] DBA_ADHOC = {
        "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = ?",
        "SELECT * FROM pg_stat_activity WHERE state <> ?",
        "SELECT count(*) FROM orders",
        "SELECT count(*) FROM customers WHERE created_at > ?",
        "SELECT pid, query FROM pg_stat_activity WHERE wait_event IS NOT NULL",
        "SELECT relname, n_dead_tup FROM pg_stat_user_tables ORDER BY n_dead_tup DESC LIMIT ?",
        "SELECT * FROM orders WHERE id = ?",
        "EXPLAIN SELECT * FROM orders WHERE customer_id = ?",
        "SELECT sum(total) FROM orders WHERE created_at > ?",
        "SELECT * FROM pg_locks WHERE NOT granted",
    };
    private static final int WEB_WEIGHT;

    static {
        int w = 0;
        for (Shape s : WEB_SHAPES) {
            w += s.weight();
        }
        WEB_WEIGHT = w;
    }

    private NormalTraffic() {}

    /** Normal traffic from {@code start} for {@code minutes}. */
    static void generate(Traffic t, long start, int minutes) {
        for (int m = 0; m < minutes; m++) {
            long ms = start + m * Traffic.MINUTE;
            double load = Traffic.diurnal(ms);
            for (String web : WEB) {
                web(t, ms, web, load);
            }
            worker(t, ms, m, load);
            report(t, ms, load);
            dba(t, ms);
            for (String c : TLS_CLIENTS) {
                for (int i = t.poisson(0.5 * load); i > 0; i--) {
                    t.tls(t.inMinute(ms), c, PG_TLS);
                }
            }
        }
    }

    private static void web(Traffic t, long ms, String client, double load) {
        if (t.rnd.nextDouble() < 0.15) { // the pool replaces a connection: login, then the driver's catalog lookup
            long ts = t.inMinute(ms);
            t.login(ts, client, PG, "app", "shop-web", null);
            t.statement(ts + 2_000, client, PG, "app", "shop-web", ORM_TYPES, 3L, null, 40, 400, null);
        }
        for (int i = t.poisson(60 * load); i > 0; i--) {
            webStatement(t, t.inMinute(ms), client, load, pickShape(t));
        }
    }

    static Shape pickShape(Traffic t) {
        int x = t.rnd.nextInt(WEB_WEIGHT);
        for (Shape s : WEB_SHAPES) {
            x -= s.weight();
            if (x < 0) {
                return s;
            }
        }
        return WEB_SHAPES[0];
    }

    static void webStatement(Traffic t, long ts, String client, double load, Shape s) {
        long rows = s.rowsMin() + t.rnd.nextInt(s.rowsMax() - s.rowsMin() + 1);
        String error = null;
        if (s.sql().startsWith("INSERT") && t.rnd.nextDouble() < 0.01) {
            error = "23505"; // unique violation: the application retries
        } else if (t.rnd.nextDouble() < 0.0005) {
            error = "42703"; // a rare code path with a stale column name
        }
        boolean noRows = s.sql().equals("BEGIN") || s.sql().equals("COMMIT");
        t.statement(ts, client, PG, "app", "shop-web", s.sql(), s.affected() || noRows ? null : rows,
                s.affected() ? rows : null, s.rowBytes(), t.lognormal(s.latencyUs() * (0.8 + 0.2 * load)), error);
    }

    private static void worker(Traffic t, long ms, int minute, double load) {
        for (int i = t.poisson(10 * load); i > 0; i--) {
            long ts = t.inMinute(ms);
            t.statement(ts, WORKER, PG, "worker", "jobs", "SELECT * FROM jobs WHERE state = ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                    (long) t.rnd.nextInt(5), null, 300, t.lognormal(1_500), null);
            t.statement(ts + 3_000, WORKER, PG, "worker", "jobs", "UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?",
                    null, 1L, 0, t.lognormal(1_000), null);
        }
        if (minute % 20 == 0) { // the export job: tens of thousands of rows, every 20 minutes
            long ts = t.inMinute(ms);
            long rows = 60_000 + t.rnd.nextInt(20_000);
            t.statement(ts, WORKER, PG, "worker", "jobs", "TRUNCATE staging_orders", null, null, 0, 5_000, null);
            t.statement(ts + 10_000, WORKER, PG, "worker", "jobs",
                    "COPY (SELECT * FROM orders WHERE created_at > ?) TO STDOUT WITH (FORMAT csv)", rows, rows, 120,
                    t.lognormal(4_000_000), null);
        }
    }

    private static void report(Traffic t, long ms, double load) {
        for (int i = t.poisson(3 * load); i > 0; i--) {
            t.statement(t.inMinute(ms), REPORT, PG, "report", "metabase",
                    "SELECT date_trunc(?, created_at), sum(total) FROM orders WHERE created_at > ? GROUP BY ? ORDER BY ?",
                    (long) (100 + t.rnd.nextInt(400)), null, 40, t.lognormal(350_000), null);
        }
    }

    private static void dba(Traffic t, long ms) {
        if (t.rnd.nextDouble() >= 0.2) {
            return;
        }
        long ts = t.inMinute(ms);
        // a mistyped password now and then, then the right one
        if (t.rnd.nextDouble() < 0.05) {
            t.login(ts - 5_000_000, DBA, PG, "dba", "psql", "28P01");
        }
        t.login(ts, DBA, PG, "dba", "psql", null);
        for (int i = 1 + t.rnd.nextInt(4); i > 0; i--) {
            ts += 2_000_000 + t.rnd.nextInt(10_000_000);
            String sql = DBA_ADHOC[t.rnd.nextInt(DBA_ADHOC.length)];
            String error = t.rnd.nextDouble() < 0.05 ? "42601" : null; // a typo
            t.statement(ts, DBA, PG, "dba", "psql", sql, error == null ? (long) (1 + t.rnd.nextInt(30)) : null, null,
                    100, t.lognormal(5_000), error);
        }
    }
}
