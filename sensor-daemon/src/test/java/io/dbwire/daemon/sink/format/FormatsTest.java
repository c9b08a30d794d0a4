package io.dbwire.daemon.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.detect.alert.Explanation;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.GapInfo;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.lifecycle.Replay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Endpoint CLIENT = new Endpoint("10.0.0.9", 40123);
    private static final Endpoint SERVER = new Endpoint("10.0.0.5", 5432);
    private static final String CID = CommunityId.tcp("10.0.0.9", 40123, "10.0.0.5", 5432);

    static Alert alert() {
        return new Alert(1_700_000_000_123_456L, "0011223344556677", "risky_statement", Severity.HIGH,
                "COPY TO PROGRAM", "T1059", 87.5, "10.0.0.9", SERVER, "app", "shop", 1_699_999_940_000_000L,
                1_700_000_000_000_000L, Map.of("statements", 1), Map.of(), List.of("COPY t TO PROGRAM ?"), 2,
                List.of(7L, 9L), CLIENT);
    }

    static TransactionRecord statement(String operation, RecordStatus status, ErrorInfo error) {
        return TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.POSTGRESQL)
                .ts(1_700_000_000_000_000L).connection(7, 42).client(CLIENT).server(SERVER)
                .session(new SessionInfo("app", "shop", "psql", false, false))
                .statement(new StatementInfo("SELECT * FROM t WHERE id = ?", "9f2c4e1a7b3d5068", operation))
                .request(new RequestInfo(35)).response(new ResponseInfo(2L, null, 95, 500L, 8000L))
                .status(status).error(error).build();
    }

    @Test
    void defaultJsonKeepsEveryKeyAndAddsSensorCommunityIdAndConnections() throws Exception {
        Alert a = alert();
        String plus = new AlertJsonPlus(AlertJson::toJson, "sensor-\"a\"").format(a);
        String base = AlertJson.toJson(a);
        assertThat(plus).startsWith(base.substring(0, base.length() - 1));
        JsonNode n = JSON.readTree(plus);
        assertThat(n.get("sensor").asText()).isEqualTo("sensor-\"a\"");
        assertThat(n.get("community_id").asText()).isEqualTo(CID);
        assertThat(n.get("connection_ids").toString()).isEqualTo("[7,9]");
        Alert without = new Alert(1, "x", "new_client", Severity.LOW, "s", null, 0, null, SERVER, null, null, 0, 0,
                Map.of(), Map.of(), List.of(), 0);
        JsonNode m = JSON.readTree(new AlertJsonPlus(AlertJson::toJson, "s").format(without));
        assertThat(m.get("community_id").isNull()).isTrue();
        assertThat(m.get("connection_ids").size()).isZero();
    }

    @Test
    void ocsfDetectionFinding() throws Exception {
        JsonNode n = JSON.readTree(new AlertOcsf("sensor-a", "0.1.0").format(alert()));
        assertThat(n.get("class_uid").asInt()).isEqualTo(2004);
        assertThat(n.get("category_uid").asInt()).isEqualTo(2);
        assertThat(n.get("type_uid").asInt()).isEqualTo(200401);
        assertThat(n.get("time").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(n.get("severity_id").asInt()).isEqualTo(4);
        assertThat(n.get("severity").asText()).isEqualTo("High");
        assertThat(n.get("count").asInt()).isEqualTo(3);
        assertThat(n.get("risk_score").asInt()).isEqualTo(88);
        assertThat(n.at("/metadata/version").asText()).isEqualTo("1.3.0");
        assertThat(n.at("/finding_info/uid").asText()).isEqualTo("0011223344556677");
        assertThat(n.at("/finding_info/analytic/type_id").asInt()).isEqualTo(1);
        assertThat(n.at("/finding_info/attacks/0/technique/uid").asText()).isEqualTo("T1059");
        assertThat(n.at("/evidences/0/src_endpoint/port").asInt()).isEqualTo(40123);
        assertThat(n.at("/evidences/0/dst_endpoint/ip").asText()).isEqualTo("10.0.0.5");
        assertThat(n.at("/evidences/0/actor/user/name").asText()).isEqualTo("app");
        assertThat(n.at("/evidences/0/database/name").asText()).isEqualTo("shop");
        assertThat(n.at("/evidences/0/connection_info/community_uid").asText()).isEqualTo(CID);
        assertThat(n.at("/unmapped/dbwire/connection_ids").toString()).isEqualTo("[7,9]");
        assertThat(n.at("/device/hostname").asText()).isEqualTo("sensor-a");
    }

    @Test
    void ecsAlert() throws Exception {
        JsonNode n = JSON.readTree(new AlertEcs("sensor-a", "0.1.0").format(alert()));
        assertThat(n.get("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123456Z");
        assertThat(n.at("/event/kind").asText()).isEqualTo("alert");
        assertThat(n.at("/event/id").asText()).isEqualTo("0011223344556677");
        assertThat(n.at("/event/severity").asInt()).isEqualTo(73);
        assertThat(n.at("/rule/name").asText()).isEqualTo("risky_statement");
        assertThat(n.at("/threat/technique/id/0").asText()).isEqualTo("T1059");
        assertThat(n.at("/source/ip").asText()).isEqualTo("10.0.0.9");
        assertThat(n.at("/source/port").asInt()).isEqualTo(40123);
        assertThat(n.at("/destination/port").asInt()).isEqualTo(5432);
        assertThat(n.at("/user/name").asText()).isEqualTo("app");
        assertThat(n.at("/network/community_id").asText()).isEqualTo(CID);
        assertThat(n.at("/observer/name").asText()).isEqualTo("sensor-a");
        assertThat(n.at("/dbwire/database").asText()).isEqualTo("shop");
    }

    /** An alert that explains itself: a data_staging volume spike with one evidence record. */
    static Alert explained() {
        Alert a = alert();
        return new Alert(a.tsMicros(), a.id(), "data_staging", Severity.HIGH, "62000 rows", "T1074", 90, a.clientIp(),
                a.server(), a.user(), a.database(), a.windowStartMicros(), a.windowEndMicros(), Map.of("rows", 62000),
                Map.of("rows_median", 3), List.of("COPY orders TO STDOUT (rows=62000)"), 0, List.of(7L), CLIENT,
                new Explanation("volume_spike", 7_225_123_456L, 60, List.of(new Explanation.EvidenceRecord(
                        1_699_999_990_000_000L, 7, "statement", "3723e78c0bbd8fd8"))));
    }

    @Test
    void ocsfAndEcsCarryTheExplanationWithTheKeysOfTheAlertJson() throws Exception {
        JsonNode json = JSON.readTree(AlertJson.toJson(explained()));
        JsonNode ocsf = JSON.readTree(new AlertOcsf("sensor-a", "0.1.0").format(explained())).at("/unmapped/dbwire");
        JsonNode ecs = JSON.readTree(new AlertEcs("sensor-a", "0.1.0").format(explained())).get("dbwire");
        for (JsonNode d : List.of(ocsf, ecs)) {
            assertThat(d.get("rule").asText()).isEqualTo("volume_spike");
            assertThat(d.get("learnt_for").asDouble()).isEqualTo(7225.123);
            assertThat(d.get("samples").asLong()).isEqualTo(60);
            assertThat(d.get("evidence_records")).isEqualTo(json.get("evidence_records"));
            assertThat(d.at("/evidence_records/0/fingerprint").asText()).isEqualTo("3723e78c0bbd8fd8");
        }
        // an alert without an explanation: the keys that are unknown are left out, the records list is empty
        JsonNode none = JSON.readTree(new AlertEcs("s", "0.1.0").format(alert())).get("dbwire");
        assertThat(none.has("rule")).isFalse();
        assertThat(none.has("learnt_for")).isFalse();
        assertThat(none.has("samples")).isFalse();
        assertThat(none.get("evidence_records").size()).isZero();
    }

    @Test
    void cefCarriesTheExplanationInLabelledFields() {
        String cef = new AlertCef("sensor-a", "0.1.0").format(explained());
        assertThat(cef).contains(" cs4Label=rule cs4=volume_spike ", " cn1Label=samples cn1=60 ",
                " cfp2Label=learntForSeconds cfp2=7225.123 ",
                " cs5Label=evidenceRecords cs5=2023-11-14T22:13:10.000000Z 7 statement 3723e78c0bbd8fd8");
        assertThat(new AlertCef("sensor-a", "0.1.0").format(alert())).doesNotContain("cs4Label", "cn1Label",
                "cfp2Label", "cs5Label");
    }

    @Test
    void ocsfDatastoreActivity() throws Exception {
        RecordOcsf ocsf = new RecordOcsf("sensor-a", "0.1.0");
        JsonNode ok = JSON.readTree(ocsf.format(statement("SELECT", RecordStatus.OK, null)));
        assertThat(ok.get("class_uid").asInt()).isEqualTo(6005);
        assertThat(ok.get("category_uid").asInt()).isEqualTo(6);
        assertThat(ok.get("activity_id").asInt()).isEqualTo(4);
        assertThat(ok.get("type_uid").asInt()).isEqualTo(600504);
        assertThat(ok.get("status_id").asInt()).isEqualTo(1);
        assertThat(ok.get("duration").asLong()).isEqualTo(8);
        assertThat(ok.at("/actor/user/name").asText()).isEqualTo("app");
        assertThat(ok.at("/actor/app_name").asText()).isEqualTo("psql");
        assertThat(ok.at("/src_endpoint/port").asInt()).isEqualTo(40123);
        assertThat(ok.at("/dst_endpoint/port").asInt()).isEqualTo(5432);
        assertThat(ok.at("/database/name").asText()).isEqualTo("shop");
        assertThat(ok.at("/query_info/query_string").asText()).isEqualTo("SELECT * FROM t WHERE id = ?");
        assertThat(ok.at("/query_info/uid").asText()).isEqualTo("9f2c4e1a7b3d5068");
        assertThat(ok.at("/unmapped/dbwire/community_id").asText()).isEqualTo(CID);

        JsonNode failed = JSON.readTree(ocsf.format(statement("UPDATE", RecordStatus.ERROR,
                new ErrorInfo("42501", "permission denied"))));
        assertThat(failed.get("activity_id").asInt()).isEqualTo(2);
        assertThat(failed.get("status").asText()).isEqualTo("Failure");
        assertThat(failed.get("status_code").asText()).isEqualTo("42501");
        JsonNode vacuum = JSON.readTree(ocsf.format(statement("VACUUM", RecordStatus.OK, null)));
        assertThat(vacuum.get("activity_id").asInt()).isEqualTo(99);
        assertThat(vacuum.get("activity_name").asText()).isEqualTo("VACUUM");
    }

    @Test
    void openTelemetryNames() throws Exception {
        JsonNode n = JSON.readTree(new RecordOtel("sensor-a").format(statement("DELETE", RecordStatus.ERROR,
                new ErrorInfo("40P01", "deadlock detected"))));
        assertThat(n.get("db.system.name").asText()).isEqualTo("postgresql");
        assertThat(n.get("db.namespace").asText()).isEqualTo("shop");
        assertThat(n.get("db.query.text").asText()).isEqualTo("SELECT * FROM t WHERE id = ?");
        assertThat(n.get("db.operation.name").asText()).isEqualTo("DELETE");
        assertThat(n.get("db.response.status_code").asText()).isEqualTo("40P01");
        assertThat(n.get("server.address").asText()).isEqualTo("10.0.0.5");
        assertThat(n.get("client.port").asInt()).isEqualTo(40123);
        assertThat(n.get("network.community_id").asText()).isEqualTo(CID);
    }

    /** A record a hole cut short carries the hole in OCSF and OTel too; a whole record has no gaps key in either. */
    @Test
    void gapsOfACutRecordAreInOcsfAndOpenTelemetry() throws Exception {
        TransactionRecord cut = TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.POSTGRESQL)
                .ts(1_700_000_000_000_000L).connection(7, 42).client(CLIENT).server(SERVER)
                .session(new SessionInfo("app", "shop", "psql", false, false))
                .statement(new StatementInfo("SELECT * FROM big", "9f2c4e1a7b3d5068", "SELECT"))
                .request(new RequestInfo(35)).response(new ResponseInfo(2L, null, 95, 500L, null))
                .status(RecordStatus.INCOMPLETE).gaps(new GapInfo(0, 1448)).build();
        JsonNode ocsf = JSON.readTree(new RecordOcsf("sensor-a", "0.1.0").format(cut));
        assertThat(ocsf.at("/unmapped/dbwire/gaps/client_bytes").asLong()).isZero();
        assertThat(ocsf.at("/unmapped/dbwire/gaps/server_bytes").asLong()).isEqualTo(1448);
        assertThat(ocsf.get("status").asText()).isEqualTo("Unknown");
        JsonNode otel = JSON.readTree(new RecordOtel("sensor-a").format(cut));
        assertThat(otel.get("dbwire.gaps.client_bytes").asLong()).isZero();
        assertThat(otel.get("dbwire.gaps.server_bytes").asLong()).isEqualTo(1448);
        assertThat(otel.get("dbwire.status").asText()).isEqualTo("incomplete");

        TransactionRecord whole = statement("SELECT", RecordStatus.OK, null);
        assertThat(JSON.readTree(new RecordOcsf("sensor-a", "0.1.0").format(whole)).at("/unmapped/dbwire")
                .has("gaps")).isFalse();
        assertThat(JSON.readTree(new RecordOtel("sensor-a").format(whole)).has("dbwire.gaps.server_bytes"))
                .isFalse();
    }

    /** The bundled capture's alerts name the connections their evidence came from. */
    @Test
    void replayedAlertsCarryTheirConnectionsAndFlow() throws Exception {
        List<TransactionRecord> records = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        Replay.run(SensorConfigMapper.toSensorConfig(DaemonConfig.defaults()),
                List.of(Path.of("../testdata/pg-basic-vxlan.pcap")), records::add, alerts::add);
        assertThat(alerts).isNotEmpty();
        Alert withEvidence = alerts.stream().filter(a -> !a.connectionIds().isEmpty()).findFirst().orElseThrow();
        TransactionRecord first = records.stream()
                .filter(r -> r.connectionId() == withEvidence.connectionIds().get(0)).findFirst().orElseThrow();
        assertThat(withEvidence.flowClient()).isEqualTo(first.client());
        assertThat(JSON.readTree(new AlertJsonPlus(AlertJson::toJson, "s").format(withEvidence))
                .get("community_id").asText())
                .isEqualTo(CommunityId.tcp(first.client().ip(), first.client().port(), first.server().ip(),
                        first.server().port()));
    }
}
