package io.dbwire.daemon.metrics;

import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.source.MirrorFilter;
import io.dbwire.daemon.tls.KeyListener;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    public static String render(SensorStats s, DaemonCounters c, int queueDepth) {
        StringBuilder sb = new StringBuilder(2_048);
        counter(sb, "dbwire_packets_total", "Frames fed to the sensor.", s.packets());
        counter(sb, "dbwire_bytes_total", "Bytes of frames fed to the sensor.", s.bytes());
        counter(sb, "dbwire_flows_total", "TCP flows seen by the sensor.", s.flows());
        counter(sb, "dbwire_records_total", "Transaction records emitted.", s.records());
        counter(sb, "dbwire_alerts_total", "Alerts emitted.", s.alerts());
        header(sb, "dbwire_problems_total", "Counted problems by layer.reason.", "counter");
        for (Map.Entry<String, Long> e : new TreeMap<>(s.problems()).entrySet()) {
            sb.append("dbwire_problems_total{reason=\"").append(escape(e.getKey())).append("\"} ")
                    .append(e.getValue()).append('\n');
        }
        header(sb, "dbwire_events_total", "Every counted engine event by layer.reason, problems included.", "counter");
        for (Map.Entry<String, Long> e : new TreeMap<>(s.counters()).entrySet()) {
            sb.append("dbwire_events_total{reason=\"").append(escape(e.getKey())).append("\"} ")
                    .append(e.getValue()).append('\n');
        }
        counter(sb, "dbwire_datagrams_received_total", "UDP datagrams received.", c.datagrams());
        counter(sb, "dbwire_datagram_bytes_received_total", "Bytes of UDP datagrams received.", c.datagramBytes());
        header(sb, "dbwire_datagrams_dropped_total", "Datagrams dropped before the sensor, by reason.", "counter");
        sb.append("dbwire_datagrams_dropped_total{reason=\"queue_full\"} ").append(c.queueFullDrops()).append('\n');
        for (MirrorFilter.Rejection r : MirrorFilter.Rejection.values()) {
            sb.append("dbwire_datagrams_dropped_total{reason=\"").append(r.metricReason).append("\"} ")
                    .append(c.rejectedDatagrams(r)).append('\n');
        }
        counter(sb, "dbwire_receive_errors_total", "UDP socket errors.", c.receiveErrors());
        counter(sb, "dbwire_detection_queue_dropped_total",
                "Records not handed to detection because its queue was full (they were still written).",
                c.detectionQueueFullDrops());
        counter(sb, "dbwire_pipeline_errors_total", "Frames whose processing failed with an exception.",
                c.pipelineErrors());
        header(sb, "dbwire_queue_depth", "Datagrams waiting for the pipeline thread.", "gauge");
        sb.append("dbwire_queue_depth ").append(queueDepth).append('\n');
        return sb.toString();
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
        String lines = "dbwire_key_listener_lines_total";
        header(sb, lines, "Key log lines received by the key listener, by outcome.", "counter");
        labelled(sb, lines, "added", k.linesAdded());
        labelled(sb, lines, "ignored", k.linesIgnored());
        labelled(sb, lines, "too_long", k.linesTooLong());
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
}
