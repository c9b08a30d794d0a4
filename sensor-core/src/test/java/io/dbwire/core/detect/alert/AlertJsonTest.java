package io.dbwire.core.detect.alert;

import static io.dbwire.core.detect.TestRecords.PG;
import static io.dbwire.core.detect.TestRecords.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.TestRecords;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Alert sample(String clientIp, String user) {
        Map<String, Object> observed = new LinkedHashMap<>();
        observed.put("failed_logins", 12);
        observed.put("distinct_users", 1L);
        observed.put("window_seconds", 8.25);
        observed.put("successful_login", false);
        observed.put("note", null);
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("threshold", 10);
        baseline.put("ratio", Double.NaN);
        return new Alert(at(8), "0011223344556677", "auth_bruteforce", Severity.HIGH, "12 failed logins", "T1110",
                66.0, clientIp, PG, user, "app", at(-52), at(8), observed, baseline,
                List.of("login failed 28P01 user=postgres"), 3);
    }

    private static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void oneLineWithEveryKeyInContractOrder() throws Exception {
        String json = AlertJson.toJson(sample("203.0.113.9", "postgres"));
        assertThat(json).doesNotContain("\n");
        JsonNode n = MAPPER.readTree(json);
        assertThat(keys(n)).containsExactly("ts", "id", "detection", "severity", "score", "mitre", "summary",
                "client", "server", "user", "database", "window", "observed", "baseline", "evidence", "folded",
                "rule", "learnt_for", "samples", "evidence_records");
        assertThat(n.get("ts").asText()).isEqualTo("2026-01-01T00:00:08.000000Z");
        assertThat(n.get("severity").asText()).isEqualTo("high");
        assertThat(n.get("score").isIntegralNumber()).isTrue();
        assertThat(n.get("score").asInt()).isEqualTo(66);
        assertThat(keys(n.get("client"))).containsExactly("ip");
        assertThat(n.get("server").get("ip").asText()).isEqualTo("10.0.0.1");
        assertThat(n.get("server").get("port").asInt()).isEqualTo(5432);
        assertThat(keys(n.get("window"))).containsExactly("start", "end");
        assertThat(n.get("window").get("start").asText()).isEqualTo("2025-12-31T23:59:08.000000Z");
        assertThat(keys(n.get("observed")))
                .containsExactly("failed_logins", "distinct_users", "window_seconds", "successful_login", "note");
        assertThat(n.get("observed").get("window_seconds").asDouble()).isEqualTo(8.25);
        assertThat(n.get("observed").get("successful_login").isBoolean()).isTrue();
        assertThat(n.get("observed").get("note").isNull()).isTrue();
        assertThat(n.get("baseline").get("ratio").isNull()).as("NaN is not JSON").isTrue();
        assertThat(n.get("evidence").get(0).asText()).isEqualTo("login failed 28P01 user=postgres");
        assertThat(n.get("folded").asInt()).isEqualTo(3);
        assertThat(n.get("rule").isNull()).as("an alert built without an explanation").isTrue();
        assertThat(n.get("learnt_for").isNull()).isTrue();
        assertThat(n.get("evidence_records").size()).isZero();
    }

    @Test
    void explanationNamesRuleLearningAndRecords() throws Exception {
        Alert a = sample("203.0.113.9", "postgres");
        Alert explained = new Alert(a.tsMicros(), a.id(), a.detection(), a.severity(), a.summary(), a.mitre(),
                a.score(), a.clientIp(), a.server(), a.user(), a.database(), a.windowStartMicros(),
                a.windowEndMicros(), a.observed(), a.baseline(), a.evidence(), a.folded(), List.of(7L), null,
                new Explanation("threshold", 5_400_250_000L, 90, List.of(
                        new Explanation.EvidenceRecord(at(3), 7, "statement", "0123456789abcdef"))));
        JsonNode n = MAPPER.readTree(AlertJson.toJson(explained));
        assertThat(n.get("rule").asText()).isEqualTo("threshold");
        assertThat(n.get("learnt_for").asDouble()).isEqualTo(5400.25);
        assertThat(n.get("samples").asInt()).isEqualTo(90);
        JsonNode r = n.get("evidence_records").get(0);
        assertThat(keys(r)).containsExactly("ts", "connection_id", "record_kind", "fingerprint");
        assertThat(r.get("ts").asText()).isEqualTo("2026-01-01T00:00:03.000000Z");
        assertThat(r.get("connection_id").asLong()).isEqualTo(7);
        assertThat(r.get("fingerprint").asText()).isEqualTo("0123456789abcdef");
    }

    @Test
    void unknownsAreNullNotMissing() throws Exception {
        JsonNode n = MAPPER.readTree(AlertJson.toJson(sample(null, null)));
        assertThat(n.has("client")).isTrue();
        assertThat(n.get("client").isNull()).isTrue();
        assertThat(n.get("user").isNull()).isTrue();
    }

    @Test
    void realAlertFromTheEngineParses() throws Exception {
        TestRecords.Run run = TestRecords.cfg().onlyBruteforce().run();
        for (int i = 0; i < 5; i++) {
            run.feed(TestRecords.failedLogin(i, "203.0.113.9", PG, "postgres", "28P01"));
        }
        JsonNode n = MAPPER.readTree(run.json().get(0));
        assertThat(n.get("id").asText()).matches("[0-9a-f]{16}");
        assertThat(n.get("detection").asText()).isEqualTo("auth_bruteforce");
        assertThat(n.get("observed").get("failed_logins").asInt()).isEqualTo(5);
        assertThat(n.get("observed").get("window_seconds").asInt()).isEqualTo(4);
    }
}
