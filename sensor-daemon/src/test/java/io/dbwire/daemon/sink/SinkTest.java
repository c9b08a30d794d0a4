package io.dbwire.daemon.sink;

import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.record.DatabaseProtocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.TransactionRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Alert alert() {
        return new Alert(1_700_000_000_000_000L, "a1", "auth_bruteforce", Severity.HIGH, "12 failed logins", "T1110",
                87.5, "10.0.0.9", new Endpoint("10.0.0.5", 5432), "app", "shop", 1L, 2L,
                Map.of("failures", 12), Map.of(), List.of("login failed"), 0);
    }

    static TransactionRecord record() {
        return TransactionRecord.builder(RecordKind.values()[0], DatabaseProtocol.POSTGRESQL).ts(1_700_000_000_000_000L)
                .connection(1, -1).client(new Endpoint("10.0.0.9", 40000)).server(new Endpoint("10.0.0.5", 5432))
                .session(new SessionInfo("app", "shop", null, false, false)).status(RecordStatus.values()[0]).build();
    }

    @Test
    void recordsAndAlertsShareALineStreamAndAreTellable() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonLineWriter w = new JsonLineWriter(bytes, false)) {
            new RecordLineSink(w).accept(record());
            new AlertLineSink(w, AlertJson::toJson).accept(alert());
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode rec = JSON.readTree(lines.get(0));
        JsonNode al = JSON.readTree(lines.get(1));
        assertThat(rec.has("kind")).isTrue();
        assertThat(rec.has("detection")).isFalse();
        assertThat(al.get("detection").asText()).isEqualTo("auth_bruteforce");
        assertThat(al.get("severity").asText()).isEqualTo("high");
        assertThat(al.get("client").get("ip").asText()).isEqualTo("10.0.0.9");
        assertThat(al.get("observed").get("failures").asInt()).isEqualTo(12);
        assertThat(al.has("kind")).isFalse();
    }

    @Test
    void alertLogWritesBareJsonLinesToItsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/alerts.jsonl");
        try (AlertLog log = AlertLog.open(file.toString())) {
            AlertLogSink sink = new AlertLogSink(log.logger(), AlertJson::toJson);
            sink.accept(alert());
            sink.accept(alert());
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0)).get("id").asText()).isEqualTo("a1");
    }
}
