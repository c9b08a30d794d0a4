package io.dbwire.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.core.record.Endpoint;
import io.dbwire.daemon.health.Activity;
import io.dbwire.daemon.health.LatencyHistogram;
import io.dbwire.daemon.health.ServerTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    /** One sample line: a dbwire_ name, optional labels, a number (histogram sums may have a fraction). */
    private static final String SAMPLE = "dbwire_\\w+(\\{(\\w+=\"[^\"]*\",?)+\\})? \\d+(\\.\\d+)?";

    @Test
    void problemsAndVolumeAreApartWithLayerAndReason() {
        DaemonCounters c = new DaemonCounters();
        c.datagramReceived(100);
        c.datagramReceived(50);
        c.queueFull();
        String text = PrometheusText.render(
                new SensorStats(7, 700, 2, 3, 1, Map.of("tcp.gap_bytes", 40L, "decap.truncated", 2L),
                        Map.of("tcp.gap_bytes", 40L, "decap.truncated", 2L, "tcp.segments", 9L,
                                "tls.decrypt.no_keys", 4L)), c, 5);

        assertThat(text)
                .contains("# TYPE dbwire_packets_total counter\ndbwire_packets_total 7\n")
                .contains("dbwire_datagrams_received_total 2\n")
                .contains("dbwire_datagram_bytes_received_total 150\n")
                .contains("dbwire_datagrams_dropped_total{reason=\"queue_full\"} 1\n")
                .contains("# TYPE dbwire_queue_depth gauge\ndbwire_queue_depth 5\n")
                // sorted by layer and reason so scrapes diff cleanly
                .contains("dbwire_problems_total{layer=\"decap\",reason=\"truncated\"} 2\n"
                        + "dbwire_problems_total{layer=\"tcp\",reason=\"gap_bytes\"} 40\n")
                .contains("dbwire_events_total{layer=\"tcp\",reason=\"segments\"} 9\n")
                .contains("dbwire_events_total{layer=\"tls.decrypt\",reason=\"no_keys\"} 4\n")
                .doesNotContain("dbwire_events_total{layer=\"tcp\",reason=\"gap_bytes\"}");
        for (String line : text.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) dbwire_\\w+ .+|" + SAMPLE);
        }
    }

    @Test
    void theMemoryBudgetShowsUseAndHighWaterPerConsumerAndWhatWasShed() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        budget.charge(MemoryConsumer.FLOWS, 4_096);
        budget.charge(MemoryConsumer.TLS_SESSIONS, 10_000);
        budget.release(MemoryConsumer.TLS_SESSIONS, 4_000);
        String text = PrometheusText.render(new SensorStats(0, 0, 0, 0, 0, Map.of("memory.flow_evicted", 3L),
                Map.of("memory.flow_evicted", 3L), budget.report()), new DaemonCounters(), 0);

        assertThat(text)
                .contains("# TYPE dbwire_memory_budget_bytes gauge\ndbwire_memory_budget_bytes 1048576\n")
                .contains("dbwire_memory_used_bytes{consumer=\"flows\"} 4096\n")
                .contains("dbwire_memory_used_bytes{consumer=\"tls_sessions\"} 6000\n")
                .contains("dbwire_memory_high_water_bytes{consumer=\"tls_sessions\"} 10000\n")
                .contains("dbwire_memory_shed_total{consumer=\"flows\",reason=\"flow_evicted\"} 3\n")
                .contains("dbwire_memory_shed_total{consumer=\"fragments\",reason=\"fragment_dropped\"} 0\n")
                .contains("dbwire_problems_total{layer=\"memory\",reason=\"flow_evicted\"} 3\n");
        for (String line : text.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) dbwire_\\w+ .+|" + SAMPLE);
        }
    }

    @Test
    void coverageHasSourcesServersAndDurationHistograms() {
        ServerTable servers = new ServerTable(4);
        servers.record(new Endpoint("10.0.2.7", 5432), 1_000_000, 800L);
        servers.record(new Endpoint("10.0.2.7", 5432), 2_000_000, 30_000L);
        MetricsSource m = new MetricsSource() {
            @Override
            public SensorStats sensorStats() {
                return SensorStats.EMPTY;
            }

            @Override
            public DaemonCounters counters() {
                return new DaemonCounters();
            }

            @Override
            public int queueDepth() {
                return 0;
            }

            @Override
            public boolean healthy() {
                return true;
            }

            @Override
            public long uptimeSeconds() {
                return 1;
            }

            @Override
            public List<Activity> activities() {
                return servers.snapshot();
            }

            @Override
            public Map<String, LatencyHistogram> latencies() {
                return servers.latencies();
            }
        };
        String text = PrometheusText.coverage(m);
        assertThat(text)
                .contains("dbwire_health_degraded 0\n")
                .contains("dbwire_server_records_total{server=\"10.0.2.7:5432\"} 2\n")
                .contains("dbwire_server_last_record_timestamp_seconds{server=\"10.0.2.7:5432\"} 2\n")
                .contains("dbwire_statement_duration_seconds_bucket{server=\"10.0.2.7:5432\",le=\"0.0005\"} 0\n")
                .contains("dbwire_statement_duration_seconds_bucket{server=\"10.0.2.7:5432\",le=\"0.001\"} 1\n")
                .contains("dbwire_statement_duration_seconds_bucket{server=\"10.0.2.7:5432\",le=\"0.05\"} 2\n")
                .contains("dbwire_statement_duration_seconds_bucket{server=\"10.0.2.7:5432\",le=\"+Inf\"} 2\n")
                .contains("dbwire_statement_duration_seconds_sum{server=\"10.0.2.7:5432\"} 0.0308\n")
                .contains("dbwire_statement_duration_seconds_count{server=\"10.0.2.7:5432\"} 2\n")
                .doesNotContain("dbwire_capture_kernel_dropped_total");
        for (String line : text.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) dbwire_\\w+ .+|" + SAMPLE.replace("\\d+(\\.\\d+)?",
                    "\\d+(\\.\\d+)?").replace("[^\"]*", "[^\"]*"));
        }
    }

    @Test
    void buildInfoAndJvmMetricsAreThere() {
        assertThat(PrometheusText.buildInfo("1.2.3", "abc123"))
                .contains("dbwire_build_info{version=\"1.2.3\",commit=\"abc123\",java=\"");
        assertThat(JvmMetricsText.render()).contains("# TYPE jvm_memory_used_bytes gauge")
                .contains("jvm_gc_collection_seconds");
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(PrometheusText.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }
}
