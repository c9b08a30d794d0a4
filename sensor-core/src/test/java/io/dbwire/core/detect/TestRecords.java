package io.dbwire.core.detect;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.List;

/** Builds records and configurations for detection tests; times are seconds after {@link #T0}. */
public final class TestRecords {
    /** 2026-01-01T00:00:00Z, on a minute boundary. */
    public static final long T0 = 1_767_225_600_000_000L;
    public static final Endpoint PG = new Endpoint("10.0.0.1", 5432);
    public static final Endpoint PG2 = new Endpoint("10.0.0.2", 5432);
    public static final Endpoint MYSQL = new Endpoint("10.0.0.3", 3306);

    private TestRecords() {}

    public static long at(double seconds) {
        return T0 + Math.round(seconds * 1_000_000L);
    }

    public static TransactionRecord statement(double sec, String client, Endpoint server, String user, String sql) {
        return TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.POSTGRESQL).ts(at(sec))
                .connection(1, -1).client(new Endpoint(client, 40_000)).server(server)
                .session(new SessionInfo(user, "app", "psql", false, false))
                .statement(new StatementInfo(sql, "0123456789abcdef", sql.split(" ")[0].toUpperCase()))
                .request(new RequestInfo(sql.length() + 5)).response(new ResponseInfo(1L, null, 100, 50L, 80L)).build();
    }

    public static TransactionRecord failedLogin(double sec, String client, Endpoint server, String user, String code) {
        return login(sec, client, server, user, RecordStatus.ERROR, new ErrorInfo(code, "authentication failed"));
    }

    public static TransactionRecord okLogin(double sec, String client, Endpoint server, String user) {
        return login(sec, client, server, user, RecordStatus.OK, null);
    }

    public static TransactionRecord login(double sec, String client, Endpoint server, String user, RecordStatus status,
            ErrorInfo error) {
        DatabaseProtocol protocol = server.port() == 3306 ? DatabaseProtocol.MYSQL : DatabaseProtocol.POSTGRESQL;
        return TransactionRecord.builder(RecordKind.LOGIN, protocol).ts(at(sec)).connection(2, -1)
                .client(new Endpoint(client, 40_001)).server(server)
                .session(new SessionInfo(user, "app", null, false, false)).status(status).error(error).build();
    }

    /** Defaults with learning 1 h, threshold 5 in 60 s, suppression 10 min. */
    public static Cfg cfg() {
        return new Cfg();
    }

    public static final class Cfg {
        public long learning = 3_600_000_000L;
        public boolean newClient = true;
        public boolean bruteforce = true;
        public int threshold = 5;
        public long window = 60_000_000L;
        public long suppression = 600_000_000L;
        public int maxEntities = 1000;
        public int maxEvidence = 5;
        /** The later detections are off unless a test names them, so each test sees only its own alerts. */
        public java.util.Set<String> more = new java.util.HashSet<>();
        public java.util.List<DetectionConfig.RiskyRule> rules = java.util.List.of();

        public Cfg learningSeconds(long s) { learning = s * 1_000_000L; return this; }
        public Cfg onlyNewClient() { bruteforce = false; return this; }
        public Cfg onlyBruteforce() { newClient = false; return this; }
        public Cfg threshold(int n) { threshold = n; return this; }
        public Cfg windowSeconds(long s) { window = s * 1_000_000L; return this; }
        public Cfg suppressionSeconds(long s) { suppression = s * 1_000_000L; return this; }
        public Cfg maxEntities(int n) { maxEntities = n; return this; }
        /** Only the named later detection(s), without new_client and auth_bruteforce. */
        public Cfg only(String... names) { newClient = false; bruteforce = false; more.addAll(java.util.List.of(names)); return this; }
        public Cfg rules(java.util.List<DetectionConfig.RiskyRule> r) { rules = r; return this; }

        public DetectionConfig build() {
            return new DetectionConfig(learning, newClient, bruteforce, threshold, window, suppression, maxEntities,
                    maxEvidence, more.contains("data_staging"), more.contains("new_user"),
                    more.contains("error_burst"), more.contains("risky_statement"), more.contains("new_statement"),
                    more.contains("latency_regression"), more.contains("rate_spike"), more.contains("tls_downgrade"),
                    rules);
        }

        public Run run() {
            return new Run(build());
        }
    }

    /** An engine wired to a list of alerts. */
    public static final class Run {
        public final List<Alert> alerts = new ArrayList<>();
        public final DetectionEngine engine;

        Run(DetectionConfig config) {
            engine = new DetectionEngine(config, alerts::add);
        }

        public Run feed(TransactionRecord... records) {
            for (TransactionRecord r : records) {
                engine.accept(r);
            }
            return this;
        }

        public List<String> json() {
            List<String> out = new ArrayList<>();
            for (Alert a : alerts) {
                out.add(AlertJson.toJson(a));
            }
            return out;
        }
    }
}
