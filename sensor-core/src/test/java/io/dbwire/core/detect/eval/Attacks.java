package io.dbwire.core.detect.eval;

import static io.dbwire.core.detect.eval.NormalTraffic.PG;
import static io.dbwire.core.detect.eval.NormalTraffic.PG_TLS;
import static io.dbwire.core.detect.eval.Traffic.MINUTE;

import java.util.ArrayList;
import java.util.List;

/** The labelled scenarios: one attack per detection (two for data_staging), after two hours of normal traffic. */
final class Attacks {
    /** Attacks start two hours in: the one-hour learning period and 30 minutes of history are behind. */
    static final long AT = Traffic.START + 120 * MINUTE;
    static final int MINUTES = 180;

    private Attacks() {}

    static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        s.add(Scenario.normal("normal-8h-morning-a", 101, Traffic.START, 480));
        s.add(Scenario.normal("normal-8h-morning-b", 202, Traffic.START, 480));
        // from 22:00 through the night's low to the morning's rise
        s.add(Scenario.normal("normal-8h-night", 303, Traffic.START - 8 * Traffic.HOUR, 480));

        // An established web server reads the whole customers table: 400 000 rows a minute for 5 minutes.
        s.add(attack("staging-established-web", "data_staging", 11, "10.1.0.12", PG, 5, t -> {
            for (int m = 0; m < 5; m++) {
                for (int i = 0; i < 40; i++) {
                    t.statement(AT + m * MINUTE + i * 1_400_000L, "10.1.0.12", PG, "app", "shop-web",
                            "SELECT * FROM customers ORDER BY id LIMIT ? OFFSET ?", 10_000L, null, 300, 900_000, null);
                }
            }
        }));
        // A new EC2 instance logs in with the application's credentials and COPYs two tables to STDOUT.
        s.add(attack("staging-new-instance-copy", "data_staging", 12, "10.1.7.7", PG, 3, t -> {
            t.login(AT, "10.1.7.7", PG, "app", "psql", null);
            t.statement(AT + 5_000_000, "10.1.7.7", PG, "app", "psql", "COPY customers TO STDOUT", 2_000_000L,
                    2_000_000L, 300, 40_000_000, null);
            t.statement(AT + 70_000_000, "10.1.7.7", PG, "app", "psql", "COPY orders TO STDOUT", 3_000_000L,
                    3_000_000L, 200, 50_000_000, null);
        }));
        s.add(attack("new-client", "new_client", 13, "198.51.100.23", PG, 2, t -> {
            t.login(AT, "198.51.100.23", PG, "app", "shop-web", null);
            NormalTraffic.webStatement(t, AT + 1_000_000, "198.51.100.23", 1, NormalTraffic.WEB_SHAPES[0]);
        }));
        // The application's host used with the superuser account.
        s.add(attack("new-user", "new_user", 14, "10.1.0.11", PG, 2, t -> {
            t.login(AT, "10.1.0.11", PG, "postgres", "psql", null);
            t.statement(AT + 3_000_000, "10.1.0.11", PG, "postgres", "psql", "SELECT * FROM customers WHERE id = ?",
                    1L, null, 300, 700, null);
        }));
        // Credential stuffing: 40 users in two minutes from one address.
        s.add(attack("bruteforce", "auth_bruteforce", 15, "203.0.113.9", PG, 2, t -> {
            for (int i = 0; i < 40; i++) {
                t.login(AT + i * 3_000_000L, "203.0.113.9", PG, "user" + i, null, "28P01");
            }
        }));
        // Injection probing through web3: syntax errors, unknown columns, casts, for 3 minutes.
        s.add(attack("error-burst", "error_burst", 16, "10.1.0.13", PG, 3, t -> {
            String[] probes = {"SELECT * FROM products WHERE id = ?)", "SELECT * FROM products WHERE id = ? ORDER BY ?",
                "SELECT * FROM products WHERE id = ? UNION SELECT ?, ?", "SELECT * FROM products WHERE id = ?::int"};
            String[] codes = {"42601", "42703", "42601", "22P02"};
            for (int i = 0; i < 300; i++) {
                int k = i % probes.length;
                t.statement(AT + i * 600_000L, "10.1.0.13", PG, "app", "shop-web", probes[k], null, null, 0, 500,
                        codes[k]);
            }
        }));
        // Reading server files, a shell through COPY PROGRAM, a time-based probe, a new role.
        s.add(attack("risky-statement", "risky_statement", 17, "10.1.0.11", PG, 2, t -> {
            t.statement(AT, "10.1.0.11", PG, "app", "shop-web", "SELECT pg_read_file(?)", 1L, null, 2000, 900, null);
            t.statement(AT + 20_000_000, "10.1.0.11", PG, "app", "shop-web", "COPY (SELECT ?) TO PROGRAM ?", null, 1L,
                    0, 30_000, null);
            t.statement(AT + 40_000_000, "10.1.0.11", PG, "app", "shop-web", "SELECT pg_sleep(?)", 1L, null, 10,
                    5_000_000, null);
            t.statement(AT + 60_000_000, "10.1.0.11", PG, "app", "shop-web", "CREATE USER backup WITH SUPERUSER PASSWORD ?",
                    null, null, 0, 2_000, null);
        }));
        // The worker's account runs a statement it never ran: a search for e-mail addresses.
        s.add(attack("new-statement", "new_statement", 18, NormalTraffic.WORKER, PG, 1, t ->
                t.statement(AT, NormalTraffic.WORKER, PG, "worker", "jobs",
                        "SELECT id, email FROM customers WHERE email LIKE ?", 40L, null, 60, 3_000, null)));
        // A dropped index: the product lookup becomes 300× slower (a sequential scan) for 15 minutes, for every web server.
        s.add(attack("latency-regression", "latency_regression", 19, null, PG, 15, t -> {
            for (int m = 0; m < 15; m++) {
                for (String web : NormalTraffic.WEB) {
                    for (int i = 0; i < 25; i++) {
                        t.statement(t.inMinute(AT + m * MINUTE), web, PG, "app", "shop-web",
                                "SELECT * FROM products WHERE id = ?", 1L, null, 400, t.lognormal(700 * 300), null);
                    }
                }
            }
        }));
        // The worker's host scripted: 4 000 small statements a minute for 3 minutes.
        s.add(attack("rate-spike", "rate_spike", 20, NormalTraffic.WORKER, PG, 3, t -> {
            for (int i = 0; i < 12_000; i++) {
                t.statement(AT + i * 15_000L, NormalTraffic.WORKER, PG, "worker", "jobs",
                        "UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?", null, 1L, 0, 800, null);
            }
        }));
        // A client that always used TLS logs in in clear text (a stripped SSLRequest).
        s.add(attack("tls-downgrade", "tls_downgrade", 21, "10.1.0.51", PG_TLS, 1, t ->
                t.login(AT + 30_000_000, "10.1.0.51", PG_TLS, "app", "shop-web", null)));
        return s;
    }

    private static Scenario attack(String name, String label, long seed, String attacker,
            io.dbwire.core.record.Endpoint target, int minutes, java.util.function.Consumer<Traffic> attack) {
        return new Scenario(name, label, seed, Traffic.START, MINUTES, attacker, target, AT, AT + minutes * MINUTE, attack);
    }
}
