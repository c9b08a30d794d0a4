package io.dbwire.daemon.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final String HOSTILE = "SELECT '</script><script>alert(1)</script><!--'";

    @Test
    void statementTextCannotEndTheEmbeddedDataAndTheDataRoundTrips() throws Exception {
        Report report = new Report();
        report.records().accept(TransactionRecord.builder(RecordKind.STATEMENT, DatabaseProtocol.POSTGRESQL)
                .ts(1_700_000_000_000_000L).connection(1, -1)
                .client(new Endpoint("10.0.0.1", 40000)).server(new Endpoint("10.0.0.2", 5432))
                .session(new SessionInfo("<b>eve</b>", "db", "app", false, false))
                .statement(new StatementInfo(HOSTILE, "f00d", "SELECT")).request(new RequestInfo(10))
                .response(new ResponseInfo(1L, null, 20, 5L, 9L)).build());
        var snapshot = report.snapshot(List.of(Path.of("x.pcap")), SensorStats.EMPTY, Map.of("source.file_cut_short", 1L));
        String html = Report.html(snapshot);

        assertThat(html).doesNotContain("</script><script>alert", "<b>eve</b>");
        int start = html.indexOf("<script id=\"dbwire-data\" type=\"application/json\">");
        int end = html.indexOf("</script>", start);
        String data = html.substring(html.indexOf('>', start) + 1, end);
        JsonNode back = new ObjectMapper().readTree(data);
        assertThat(back.get("mode").asText()).isEqualTo("report");
        assertThat(back.get("servers").get(0).get("fingerprints").get(0).get("text").asText()).isEqualTo(HOSTILE);
        assertThat(back.get("servers").get(0).get("users").get(0).get("name").asText()).isEqualTo("<b>eve</b>");
        assertThat(back.get("health").get("problems").get("source.file_cut_short").asLong()).isEqualTo(1);
        assertThat(back.get("sources").get(0).get("vni").asInt()).isEqualTo(-1);
    }
}
