package io.dbwire.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.pipeline.SensorStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void everyFamilyHasHelpAndTypeAndProblemsAreLabelled() {
        DaemonCounters c = new DaemonCounters();
        c.datagramReceived(100);
        c.datagramReceived(50);
        c.queueFull();
        String text = PrometheusText.render(
                new SensorStats(7, 700, 2, 3, 1, Map.of("tcp.gap_bytes", 40L, "decap.truncated", 2L),
                        Map.of("tcp.gap_bytes", 40L, "decap.truncated", 2L, "tcp.segments", 9L)), c, 5);

        assertThat(text)
                .contains("# TYPE dbwire_packets_total counter\ndbwire_packets_total 7\n")
                .contains("dbwire_datagrams_received_total 2\n")
                .contains("dbwire_datagram_bytes_received_total 150\n")
                .contains("dbwire_datagrams_dropped_total{reason=\"queue_full\"} 1\n")
                .contains("# TYPE dbwire_queue_depth gauge\ndbwire_queue_depth 5\n")
                // sorted by reason so scrapes diff cleanly
                .contains("dbwire_problems_total{reason=\"decap.truncated\"} 2\n"
                        + "dbwire_problems_total{reason=\"tcp.gap_bytes\"} 40\n");
        for (String line : text.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) dbwire_\\w+ .+|dbwire_\\w+(\\{reason=\"[^\"]*\"\\})? \\d+");
        }
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(PrometheusText.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }
}
