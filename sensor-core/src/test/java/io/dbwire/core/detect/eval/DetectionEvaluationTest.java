package io.dbwire.core.detect.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Runs every labelled scenario through the engine with the default settings and prints a precision/recall table
 * per detection. Fails when a labelled attack is not reported by its detection, or when normal-only traffic
 * raises anything of severity medium or higher.
 */
class DetectionEvaluationTest {
    static final List<String> DETECTIONS = List.of("data_staging", "new_client", "new_user", "auth_bruteforce",
            "error_burst", "risky_statement", "new_statement", "latency_regression", "rate_spike", "tls_downgrade");

    /** Per detection: labelled scenarios, detected, alerts, alerts about an attack, medium+ on normal-only. */
    static final class Row {
        int labelled;
        int detected;
        int alerts;
        int aboutAttack;
        int mediumOnNormal;
        int mediumNotAttack;
    }

    @Test
    void everyAttackIsFoundAndNormalTrafficStaysBelowMedium() {
        Map<String, Row> rows = new TreeMap<>();
        DETECTIONS.forEach(d -> rows.put(d, new Row()));
        List<String> missed = new ArrayList<>();
        List<String> noisy = new ArrayList<>();
        long records = 0;
        for (Scenario s : Attacks.all()) {
            List<Alert> alerts = new ArrayList<>();
            DetectionEngine engine = new DetectionEngine(DetectionConfig.defaults(), alerts::add);
            List<TransactionRecord> input = s.records();
            records += input.size();
            input.forEach(engine::accept);
            engine.finish();
            boolean found = false;
            for (Alert a : alerts) {
                if (System.getenv("DBWIRE_EVAL_PRINT") != null) { // DBWIRE_EVAL_PRINT=1 lists every alert
                    System.out.println(s.name() + " " + AlertJson.toJson(a));
                }
                Row r = rows.computeIfAbsent(a.detection(), k -> new Row());
                r.alerts++;
                if (s.aboutAttack(a)) {
                    r.aboutAttack++;
                    found |= a.detection().equals(s.label());
                } else if (a.severity().compareTo(Severity.MEDIUM) >= 0) {
                    r.mediumNotAttack++;
                    if (s.normalOnly()) {
                        r.mediumOnNormal++;
                        noisy.add(s.name() + ": " + AlertJson.toJson(a));
                    }
                }
            }
            if (!s.normalOnly()) {
                Row r = rows.get(s.label());
                r.labelled++;
                if (found) {
                    r.detected++;
                } else {
                    missed.add(s.name() + " (" + s.label() + "), alerts: " + alerts.stream().map(AlertJson::toJson).toList());
                }
            }
        }
        System.out.println(table(rows, records));
        assertThat(missed).as("labelled attacks not reported by their detection").isEmpty();
        assertThat(noisy).as("medium+ alerts on normal-only traffic").isEmpty();
    }

    static String table(Map<String, Row> rows, long records) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Detection evaluation (%d records, default settings)%n", records));
        b.append("| detection | attacks | detected | recall | alerts | about an attack | precision | medium+ not about an attack | medium+ on normal-only |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %d | %d | %s | %d | %d |%n", e.getKey(), r.labelled,
                    r.detected, r.labelled == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.detected / (double) r.labelled),
                    r.alerts, r.aboutAttack,
                    r.alerts == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.aboutAttack / (double) r.alerts),
                    r.mediumNotAttack, r.mediumOnNormal));
        }
        return b.toString();
    }
}
