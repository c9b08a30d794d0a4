package io.dbwire.core.detect.eval;

import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import java.util.function.Consumer;

/**
 * One labelled run: normal traffic for {@code minutes}, plus (unless normal-only) an attack between
 * {@code attackStart} and {@code attackEnd} by {@code attacker} against {@code target}, which the detection
 * {@code label} must report. An alert "is about the attack" when it names the attacker as client (or, for a
 * server-wide alert, the target server) and its window overlaps the attack (plus 10 minutes).
 */
record Scenario(String name, String label, long seed, long start, int minutes, String attacker, Endpoint target,
        long attackStart, long attackEnd, Consumer<Traffic> attack) {

    static final long GRACE = 10 * Traffic.MINUTE;

    static Scenario normal(String name, long seed, long start, int minutes) {
        return new Scenario(name, null, seed, start, minutes, null, null, 0, 0, t -> { });
    }

    boolean normalOnly() {
        return label == null;
    }

    List<TransactionRecord> records() {
        Traffic t = new Traffic(seed);
        NormalTraffic.generate(t, start, minutes);
        attack.accept(t);
        return t.records();
    }

    boolean aboutAttack(io.dbwire.core.detect.alert.Alert a) {
        // the window, not the time raised: a repeat folded during the attack is emitted when its suppression ends
        if (normalOnly() || a.windowEndMicros() < attackStart || a.windowStartMicros() > attackEnd + GRACE) {
            return false;
        }
        if (attacker != null && attacker.equals(a.clientIp())) {
            return true;
        }
        return a.clientIp() == null && target.equals(a.server());
    }
}
