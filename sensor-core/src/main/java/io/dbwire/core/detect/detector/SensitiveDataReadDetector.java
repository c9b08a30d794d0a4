package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.engine.WindowClock;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.SensitiveCounts;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.util.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code sensitive_data_read}: the first read of sensitive data (card numbers, national identifiers, e-mail
 * addresses found by the opt-in scan, {@code response.sensitive}) by a (client, server, user) after the learning
 * period (from the first statement record this detector saw; one number, so records without findings cost a
 * field read and nothing else). Medium when the application (session.application, else the client tool) never read sensitive
 * data on that server either, high when that read held card numbers or national identifiers; low when a known
 * application reads from a new host or as a new user. Only acts on records the scan marked: with the scan off
 * it never fires. MITRE T1213 Data from Information Repositories.
 */
public final class SensitiveDataReadDetector implements Detector {
    static final String NAME = "sensitive_data_read";
    static final String MITRE = "T1213";

    private final long learningMicros;
    private long firstRecordMicros = Long.MIN_VALUE;
    private final FirstSeen<EntityKey.ClientServerUser> readers;
    private final FirstSeen<EntityKey.Application> applications;

    public SensitiveDataReadDetector(DetectContext ctx) {
        this.learningMicros = ctx.config().learningPeriodMicros();
        this.readers = new FirstSeen<>(ctx);
        this.applications = new FirstSeen<>(ctx);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String mitre() {
        return MITRE;
    }

    @Override
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        if (r.kind() != RecordKind.STATEMENT) {
            return;
        }
        if (firstRecordMicros == Long.MIN_VALUE) {
            firstRecordMicros = nowMicros;
        }
        SensitiveCounts s = r.response() == null ? null : r.response().sensitive();
        if (s == null || s.card() + s.nationalId() + s.email() == 0) {
            return;
        }
        String user = r.session().user();
        String app = r.session().application() != null ? r.session().application() : r.session().clientTool();
        EntityKey.ClientServerUser reader = new EntityKey.ClientServerUser(r.client().ip(), r.server(), user);
        int knownReaders = readers.size();
        boolean newReader = readers.touch(reader, nowMicros) == Long.MIN_VALUE;
        boolean newApp = app == null
                || applications.touch(new EntityKey.Application(r.server(), app), nowMicros) == Long.MIN_VALUE;
        if (!newReader || !WindowClock.learningOver(firstRecordMicros, nowMicros, learningMicros)) {
            return;
        }
        boolean regulated = s.card() + s.nationalId() > 0;
        Severity severity = !newApp ? Severity.LOW : regulated ? Severity.HIGH : Severity.MEDIUM;
        int score = !newApp ? 30 : regulated ? 75 : 60;
        long bucket = ctx.clock().bucketStart(nowMicros);
        AlertDraft d = ctx.draft(NAME, MITRE)
                .severity(severity)
                .score(score)
                .summary("first read of sensitive data (" + what(s) + ") by " + r.client().ip()
                        + (user == null ? "" : " as " + Evidence.name(user)) + " on "
                        + EntityKey.endpoint(r.server()) + (app == null ? "" : " (" + Evidence.name(app) + ")"))
                .entity(reader)
                .client(r.client().ip())
                .server(r.server())
                .user(user)
                .database(r.session().database())
                .window(bucket, bucket + ctx.clock().bucketMicros())
                .observed("first_seen", Timestamps.formatMicros(nowMicros))
                .observed("card", s.card())
                .observed("national_id", s.nationalId())
                .observed("email", s.email())
                .observed("columns", columns(s))
                .observed("application", app)
                .observed("client_tool", r.session().clientTool())
                .observed("fingerprint", r.statement() == null ? null : r.statement().fingerprint())
                .baseline("known_readers", knownReaders)
                .baseline("application_known", !newApp)
                .baseline("learning_seconds", learningMicros / 1_000_000L)
                .evidence(r, Evidence.of(r));
        ctx.raise(d, nowMicros);
    }

    private static String what(SensitiveCounts s) {
        StringJoiner j = new StringJoiner(", ");
        if (s.card() > 0) {
            j.add(s.card() + " card numbers");
        }
        if (s.nationalId() > 0) {
            j.add(s.nationalId() + " national ids");
        }
        if (s.email() > 0) {
            j.add(s.email() + " e-mail addresses");
        }
        return j.toString();
    }

    /** Column positions with findings, e.g. {@code 1,3}. */
    private static String columns(SensitiveCounts s) {
        StringJoiner j = new StringJoiner(",");
        for (SensitiveCounts.Column c : s.columns()) {
            j.add(Integer.toString(c.index()));
        }
        return j.toString();
    }

    @Override
    public Object snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first_record", firstRecordMicros);
        m.put("readers", readers.snapshot());
        m.put("applications", applications.snapshot());
        return m;
    }

    @Override
    public void restore(Object tree) {
        Map<String, Object> m = StateTree.map(tree, NAME);
        Object first = m.get("first_record");
        if (!(first instanceof Number)) {
            throw new StateTree.BadSnapshot(NAME + ".first_record: " + first + " (expected: a number)");
        }
        firstRecordMicros = ((Number) first).longValue();
        readers.restore(m.get("readers"));
        applications.restore(m.get("applications"));
    }
}
