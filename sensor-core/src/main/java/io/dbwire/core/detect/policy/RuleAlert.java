package io.dbwire.core.detect.policy;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.util.Timestamps;

/**
 * The part every policy alert shares: the rule's severity, the record's client, server, user and database, the
 * one-minute bucket as window, {@code observed.rule} and {@code observed.kind}, and the record as evidence. The
 * entity is the rule plus what the rule is about, so suppression folds repeats per rule.
 */
final class RuleAlert {
    private RuleAlert() {}

    static AlertDraft draft(DetectContext ctx, String detection, String mitre, String ruleName, String kind,
            Severity severity, TransactionRecord r, long nowMicros, String entity) {
        long bucket = ctx.clock().bucketStart(nowMicros);
        return ctx.draft(detection, mitre)
                .severity(severity)
                .score(score(severity))
                .entityId(ruleName + '|' + entity)
                .client(r.client().ip())
                .server(r.server())
                .user(r.session().user())
                .database(r.session().database())
                .window(bucket, bucket + ctx.clock().bucketMicros())
                .observed("rule", ruleName)
                .observed("kind", kind)
                .observed("record_ts", Timestamps.formatMicros(r.tsMicros()))
                .observed("record_kind", r.kind().json())
                .observed("application", r.session().application())
                .evidence(r, Evidence.of(r));
    }

    /** A policy match is not a measurement: the score follows the severity the operator chose. */
    static int score(Severity s) {
        switch (s) {
            case INFO:
                return 10;
            case LOW:
                return 30;
            case MEDIUM:
                return 50;
            case HIGH:
                return 70;
            default:
                return 90;
        }
    }

    static String where(TransactionRecord r) {
        return r.server().ip() + ':' + r.server().port();
    }

    static String user(TransactionRecord r) {
        return Evidence.name(r.session().user());
    }
}
