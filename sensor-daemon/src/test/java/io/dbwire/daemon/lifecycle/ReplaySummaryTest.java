package io.dbwire.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.pipeline.SensorStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplaySummaryTest {
    private static ReplaySummary summary(Map<String, Long> counters) {
        return new ReplaySummary(1, new SensorStats(100, 10_000, 3, 40, 0, Map.of(), counters), Map.of(), 1_000_000L);
    }

    @Test
    void aReplayWithoutLossHasNoLossLine() {
        assertThat(summary(Map.of("tcp.segments", 90L)).format()).doesNotContain("mirror loss");
    }

    /** The operator's view of a loss, from the same counters as /metrics, summed over the protocols. */
    @Test
    void theLossLineNamesBytesPacketsConnectionsAndStatements() {
        String s = summary(Map.of("tcp.gap_events", 3L, "tcp.gap_bytes_client_to_server", 7557L,
                "tcp.gap_packets_client_to_server", 68L, "tcp.gap_bytes_server_to_client", 2166L,
                "tcp.gap_packets_server_to_client", 50L, "tcp.connections_with_gaps", 2L,
                "postgres.gap_incomplete_statements", 40L, "mysql.gap_incomplete_statements", 10L,
                "postgres.request_after_answer", 4L)).format();
        assertThat(s).contains("dbwire replay: mirror loss: requests 7557 bytes in ~68 packets, answers 2166 bytes"
                + " in ~50 packets; 2 of 3 connections; 50 statements cut short (records with gaps); 4 records"
                + " without timing (request seen after its answer)");
    }
}
