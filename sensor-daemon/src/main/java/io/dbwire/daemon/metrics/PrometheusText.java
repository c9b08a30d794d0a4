package io.dbwire.daemon.metrics;

import io.dbwire.core.memory.MemoryReport;
import io.dbwire.core.memory.ShedReason;
import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.sink.kafka.KafkaOutputStats;
import io.dbwire.daemon.sink.syslog.SyslogOutput;
import io.dbwire.daemon.health.Activity;
import io.dbwire.daemon.health.LatencyHistogram;
import io.dbwire.daemon.trust.MirrorFilter;
import io.dbwire.daemon.tls.KeyListener;
import java.util.List;
import java.util.Map;

/**
 * Renders the Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    public static String render(SensorStats s, DaemonCounters c, int queueDepth) {
        StringBuilder sb = new StringBuilder(4_096);
        counter(sb, "dbwire_packets_total", "Frames fed to the sensor.", s.packets());
        counter(sb, "dbwire_bytes_total", "Bytes of frames fed to the sensor.", s.bytes());
        counter(sb, "dbwire_flows_total", "TCP flows seen by the sensor.", s.flows());
        counter(sb, "dbwire_records_total", "Transaction records emitted.", s.records());
        counter(sb, "dbwire_alerts_total", "Alerts emitted by the engine's detectors.", s.alerts());
        List<EngineCounters.Sample> samples = EngineCounters.from(s);
        engine(sb, "dbwire_problems_total", "Things that went wrong or were dropped, by layer and reason.",
                samples, true);
        engine(sb, "dbwire_events_total", "Volume: what the engine parsed and handled, by layer and reason.",
                samples, false);
        memory(sb, s);
        counter(sb, "dbwire_datagrams_received_total", "UDP datagrams received (and live-captured packets).",
                c.datagrams());
        counter(sb, "dbwire_datagram_bytes_received_total", "Bytes of UDP datagrams received (and live-captured"
                + " packets).", c.datagramBytes());
        header(sb, "dbwire_datagrams_dropped_total", "Datagrams dropped before the sensor, by reason.", "counter");
        sb.append("dbwire_datagrams_dropped_total{reason=\"queue_full\"} ").append(c.queueFullDrops()).append('\n');
        for (MirrorFilter.Rejection r : MirrorFilter.Rejection.values()) {
            sb.append("dbwire_datagrams_dropped_total{reason=\"").append(r.metricReason).append("\"} ")
                    .append(c.rejectedDatagrams(r)).append('\n');
        }
        counter(sb, "dbwire_receive_errors_total", "UDP socket and capture errors.", c.receiveErrors());
        counter(sb, "dbwire_detection_queue_dropped_total",
                "Records not handed to detection because its queue was full (they were still written).",
                c.detectionQueueFullDrops());
        counter(sb, "dbwire_pipeline_errors_total", "Frames whose processing failed with an exception.",
                c.pipelineErrors());
        header(sb, "dbwire_queue_depth", "Datagrams waiting for the pipeline thread.", "gauge");
        sb.append("dbwire_queue_depth ").append(queueDepth).append('\n');
        return sb.toString();
    }

    /** The memory budget: limit, bytes in use and high-water mark per consumer, items shed by reason. */
    private static void memory(StringBuilder sb, SensorStats s) {
        MemoryReport m = s.memory();
        header(sb, "dbwire_memory_budget_bytes", "The engine's memory budget (all shard and detection slices).",
                "gauge");
        sb.append("dbwire_memory_budget_bytes ").append(m.limitBytes()).append('\n');
        header(sb, "dbwire_memory_used_bytes", "Bytes charged to the memory budget now, by consumer.", "gauge");
        m.inUse().forEach((c, v) -> sb.append("dbwire_memory_used_bytes{consumer=\"").append(c.label())
                .append("\"} ").append(v).append('\n'));
        header(sb, "dbwire_memory_high_water_bytes", "Most bytes charged to the memory budget at once, by consumer"
                + " (summed over shards).", "gauge");
        m.highWater().forEach((c, v) -> sb.append("dbwire_memory_high_water_bytes{consumer=\"").append(c.label())
                .append("\"} ").append(v).append('\n'));
        header(sb, "dbwire_memory_shed_total", "State given up to stay within the memory budget, by consumer and"
                + " reason (also in dbwire_problems_total{layer=\"memory\"}).", "counter");
        for (ShedReason r : ShedReason.values()) {
            sb.append("dbwire_memory_shed_total{consumer=\"").append(r.consumer().label()).append("\",reason=\"")
                    .append(r.name().toLowerCase(java.util.Locale.ROOT)).append("\"} ")
                    .append(s.counters().getOrDefault(r.metricName(), 0L)).append('\n');
        }
    }

    private static void engine(StringBuilder sb, String name, String help, List<EngineCounters.Sample> samples,
            boolean problems) {
        header(sb, name, help, "counter");
        for (EngineCounters.Sample x : samples) {
            if (x.problem() == problems) {
                sb.append(name).append("{layer=\"").append(escape(x.layer())).append("\",reason=\"")
                        .append(escape(x.reason())).append("\"} ").append(x.value()).append('\n');
            }
        }
    }

    /** Write failures, lost lines and waiting alerts of the file outputs (records, alerts). */
    public static String outputs(List<MetricsSource.OutputStatus> outputs) {
        if (outputs.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(512);
        header(sb, "dbwire_output_write_errors_total", "Writes to a file output that failed (e.g. disk full).",
                "counter");
        for (MetricsSource.OutputStatus o : outputs) {
            sb.append("dbwire_output_write_errors_total{output=\"").append(o.output()).append("\"} ")
                    .append(o.failedWrites()).append('\n');
        }
        header(sb, "dbwire_output_dropped_total", "Lines lost to failed writes (records), or alerts dropped because"
                + " the retry queue was full.", "counter");
        for (MetricsSource.OutputStatus o : outputs) {
            sb.append("dbwire_output_dropped_total{output=\"").append(o.output()).append("\"} ")
                    .append(o.dropped()).append('\n');
        }
        header(sb, "dbwire_output_pending", "Alerts kept in memory until the alert file can be written again.",
                "gauge");
        for (MetricsSource.OutputStatus o : outputs) {
            sb.append("dbwire_output_pending{output=\"").append(o.output()).append("\"} ")
                    .append(o.pending()).append('\n');
        }
        return sb.toString();
    }

    /** {@code dbwire_build_info}: constant 1, the build in its labels. */
    public static String buildInfo(String version, String commit) {
        StringBuilder sb = new StringBuilder(256);
        header(sb, "dbwire_build_info", "The running build: version, git commit and Java version.", "gauge");
        sb.append("dbwire_build_info{version=\"").append(escape(version)).append("\",commit=\"")
                .append(escape(commit)).append("\",java=\"").append(escape(System.getProperty("java.version")))
                .append("\"} 1\n");
        return sb.toString();
    }

    /** Per mirror source and per server: counts, last time heard, durations; the health verdict; live drops. */
    public static String coverage(MetricsSource m) {
        StringBuilder sb = new StringBuilder(2_048);
        header(sb, "dbwire_health_degraded", "1 while /health answers 503 (a coverage check failed), else 0.",
                "gauge");
        sb.append("dbwire_health_degraded ").append(m.healthy() && m.health().ok() ? 0 : 1).append('\n');
        if (m.captureKernelDrops() >= 0) {
            counter(sb, "dbwire_capture_kernel_dropped_total",
                    "Packets the kernel dropped in live capture because the reader fell behind (libpcap ps_drop).",
                    m.captureKernelDrops());
        }
        List<Activity> all = m.activities();
        activity(sb, all, "source", "dbwire_source_packets_total", "Mirrored datagrams per VNI and outer source.",
                "counter", Activity::count);
        activity(sb, all, "source", "dbwire_source_bytes_total", "Bytes of mirrored datagrams per VNI and outer source.",
                "counter", Activity::bytes);
        activity(sb, all, "source", "dbwire_source_last_packet_timestamp_seconds",
                "Receipt time of the source's latest datagram (Unix seconds).", "gauge", a -> a.lastMicros() / 1_000_000);
        activity(sb, all, "server", "dbwire_server_records_total", "Records per monitored server.", "counter",
                Activity::count);
        activity(sb, all, "server", "dbwire_server_last_record_timestamp_seconds",
                "Packet time of the server's latest record (Unix seconds).", "gauge", a -> a.lastMicros() / 1_000_000);
        latencies(sb, m.latencies());
        return sb.toString();
    }

    private static void activity(StringBuilder sb, List<Activity> all, String kind, String name, String help,
            String type, java.util.function.ToLongFunction<Activity> value) {
        header(sb, name, help, type);
        for (Activity a : all) {
            if (kind.equals(a.kind())) {
                sb.append(name).append(labels(a.labels())).append(' ').append(value.applyAsLong(a)).append('\n');
            }
        }
    }

    private static void latencies(StringBuilder sb, Map<String, LatencyHistogram> byServer) {
        String name = "dbwire_statement_duration_seconds";
        header(sb, name, "Statement durations per server: request's first byte to response's last.", "histogram");
        for (Map.Entry<String, LatencyHistogram> e : byServer.entrySet()) {
            String server = escape(e.getKey());
            long[] cumulative = e.getValue().cumulative();
            for (int i = 0; i < cumulative.length; i++) {
                String le = i < LatencyHistogram.BOUNDS_MICROS.length
                        ? seconds(LatencyHistogram.BOUNDS_MICROS[i]) : "+Inf";
                sb.append(name).append("_bucket{server=\"").append(server).append("\",le=\"").append(le)
                        .append("\"} ").append(cumulative[i]).append('\n');
            }
            sb.append(name).append("_sum{server=\"").append(server).append("\"} ")
                    .append(seconds(e.getValue().sumMicros())).append('\n');
            sb.append(name).append("_count{server=\"").append(server).append("\"} ")
                    .append(cumulative[cumulative.length - 1]).append('\n');
        }
    }

    private static String seconds(long micros) {
        return java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    private static String labels(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{");
        labels.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"").append(escape(v))
                .append('"'));
        return sb.append('}').toString();
    }

    /** The HTTP servers' refused, timed-out and too-busy connections (docs/operations.md, HTTP endpoints). */
    public static String http(java.util.Map<String, io.dbwire.daemon.http.HttpCounts> servers) {
        if (servers.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(512);
        String refused = "dbwire_http_connections_refused_total";
        header(sb, refused, "HTTP connections closed on arrival because the server's connection limit was reached.",
                "counter");
        servers.forEach((name, c) -> serverLabelled(sb, refused, name, c.refusedConnections()));
        String timedOut = "dbwire_http_connections_timed_out_total";
        header(sb, timedOut, "HTTP connections closed after the read timeout without a byte.", "counter");
        servers.forEach((name, c) -> serverLabelled(sb, timedOut, name, c.timedOutConnections()));
        String busy = "dbwire_http_requests_busy_total";
        header(sb, busy, "HTTP requests answered 503 because request bodies in flight held the server's budget.",
                "counter");
        servers.forEach((name, c) -> serverLabelled(sb, busy, name, c.busyRequests()));
        return sb.toString();
    }

    private static void serverLabelled(StringBuilder sb, String name, String server, long value) {
        sb.append(name).append("{server=\"").append(server).append("\"} ").append(value).append('\n');
    }

    /** The key listener's counters (docs/tls.md), or nothing when it is off. */
    public static String keyListener(KeyListener.Stats k) {
        if (k == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(512);
        String requests = "dbwire_key_listener_requests_total";
        header(sb, requests, "Requests to the key listener, by outcome.", "counter");
        labelled(sb, requests, "accepted", k.accepted());
        labelled(sb, requests, "refused", k.refused());
        labelled(sb, requests, "body_too_large", k.bodiesTooLarge());
        labelled(sb, requests, "bad_request", k.badRequests());
        labelled(sb, requests, "forbidden", k.forbidden());
        String lines = "dbwire_key_listener_lines_total";
        header(sb, lines, "Key log lines received by the key listener, by outcome.", "counter");
        labelled(sb, lines, "added", k.linesAdded());
        labelled(sb, lines, "ignored", k.linesIgnored());
        labelled(sb, lines, "too_long", k.linesTooLong());
        return sb.toString();
    }

    /** The Kafka output's counters (docs/outputs.md), or nothing when it is off. */
    public static String kafka(KafkaOutputStats k) {
        if (k == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(512);
        String records = "dbwire_kafka_records_total";
        header(sb, records, "Records given to the Kafka output, by outcome.", "counter");
        labelled(sb, records, "accepted", k.recordsAccepted());
        labelled(sb, records, "sent", k.recordsSent());
        labelled(sb, records, "failed", k.recordsFailed());
        labelled(sb, records, "dropped_buffer_full", k.recordsDroppedFull());
        labelled(sb, records, "dropped_shutdown", k.recordsDroppedShutdown());
        String alerts = "dbwire_kafka_alerts_total";
        header(sb, alerts, "Alerts given to the Kafka output, by outcome.", "counter");
        labelled(sb, alerts, "spooled", k.alertsSpooled());
        labelled(sb, alerts, "sent", k.alertsSent());
        labelled(sb, alerts, "refused_spool_full", k.alertsRefusedSpoolFull());
        counter(sb, "dbwire_kafka_alert_send_failures_total",
                "Attempts to send spooled alerts that failed (the alerts stay spooled).", k.alertSendFailures());
        return sb.toString();
    }

    /** The syslog output's counters (docs/outputs.md), or nothing when it is off. */
    public static String syslog(SyslogOutput.Stats k) {
        if (k == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(256);
        String alerts = "dbwire_syslog_alerts_total";
        header(sb, alerts, "Alerts given to the syslog output, by outcome.", "counter");
        labelled(sb, alerts, "accepted", k.accepted());
        labelled(sb, alerts, "sent", k.sent());
        labelled(sb, alerts, "dropped_buffer_full", k.droppedFull());
        labelled(sb, alerts, "dropped_shutdown", k.droppedShutdown());
        counter(sb, "dbwire_syslog_send_failures_total",
                "Failed attempts to reach the syslog receiver (the alert is sent again).", k.sendFailures());
        return sb.toString();
    }

    /** The alert spool (state.directory/alert-spool.jsonl): alerts in it now, and moved through it. */
    public static String alertSpool(io.dbwire.daemon.sink.AlertLog.SpoolStatus s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(512);
        header(sb, "dbwire_alert_spool_alerts", "Alerts in the spool on disk, waiting for the alert file.", "gauge");
        sb.append("dbwire_alert_spool_alerts ").append(s.alerts()).append('\n');
        header(sb, "dbwire_alert_spool_bytes", "Size of the alert spool file.", "gauge");
        sb.append("dbwire_alert_spool_bytes ").append(s.bytes()).append('\n');
        String moved = "dbwire_alert_spool_total";
        header(sb, moved, "Alerts the alert file could not take: spooled to disk, drained from the spool into the"
                + " file, or refused by the spool (full or not writable; held in memory instead).", "counter");
        labelled(sb, moved, "spooled", s.spooled());
        labelled(sb, moved, "drained", s.drained());
        labelled(sb, moved, "refused", s.refused());
        return sb.toString();
    }

    private static void labelled(StringBuilder sb, String name, String outcome, long value) {
        sb.append(name).append("{outcome=\"").append(outcome).append("\"} ").append(value).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        header(sb, name, help, "counter");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder sb, String name, String help, String type) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The web console's feed (docs/console.md), or nothing when it is off. */
    public static String console(MetricsSource.ConsoleCounts c) {
        if (c == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(256);
        counter(sb, "dbwire_console_queue_dropped_total",
                "Records and alerts not handed to the web console because its queue was full.", c.dropped());
        header(sb, "dbwire_console_queue_depth", "Records and alerts waiting for the web console's thread.", "gauge");
        sb.append("dbwire_console_queue_depth ").append(c.depth()).append('\n');
        counter(sb, "dbwire_console_requests_refused_total",
                "Requests to the web console refused for a missing or wrong token.", c.refused());
        return sb.toString();
    }
}
