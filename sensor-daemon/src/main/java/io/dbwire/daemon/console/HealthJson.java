package io.dbwire.daemon.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.daemon.metrics.DaemonCounters;
import io.dbwire.daemon.metrics.MetricsSource;
import java.util.Map;
import java.util.TreeMap;

/** The sensor health view: the numbers {@code /metrics} exposes (or a replay's summary), as one JSON object. */
public final class HealthJson {
    private HealthJson() {}

    /** A running daemon, read through the same interface as {@code /metrics}. */
    public static ObjectNode live(JsonNodeFactory f, MetricsSource m) {
        MetricsSource.ConsoleCounts console = m.console();
        ObjectNode o = engine(f, m.sensorStats());
        o.put("status", m.healthy() ? "ok" : "failing");
        o.put("uptime_s", m.uptimeSeconds());
        DaemonCounters c = m.counters();
        o.put("datagrams", c.datagrams());
        o.put("datagram_bytes", c.datagramBytes());
        ObjectNode drops = o.putObject("drops");
        drops.put("datagrams_queue_full", c.queueFullDrops());
        drops.put("detection_queue_full", c.detectionQueueFullDrops());
        drops.put("console_queue_full", console == null ? 0 : console.dropped());
        drops.put("console_requests_refused", console == null ? 0 : console.refused());
        drops.put("receive_errors", c.receiveErrors());
        drops.put("pipeline_errors", c.pipelineErrors());
        ObjectNode q = o.putObject("queues");
        q.put("pipeline", m.queueDepth());
        q.put("console", console == null ? 0 : console.depth());
        return o;
    }

    /** A replay: its summary, with the files' own problems (a file cut short) among the problems. */
    public static ObjectNode replay(JsonNodeFactory f, SensorStats s, Map<String, Long> sourceProblems, int files) {
        ObjectNode o = engine(f, s);
        o.put("status", "replay");
        o.put("files", files);
        ObjectNode problems = (ObjectNode) o.get("problems");
        new TreeMap<>(sourceProblems).forEach(problems::put);
        return o;
    }

    private static ObjectNode engine(JsonNodeFactory f, SensorStats s) {
        ObjectNode o = f.objectNode();
        o.put("packets", s.packets());
        o.put("bytes", s.bytes());
        o.put("flows", s.flows());
        o.put("records", s.records());
        o.put("alerts", s.alerts());
        ObjectNode problems = o.putObject("problems");
        new TreeMap<>(s.problems()).forEach(problems::put);
        ObjectNode counters = o.putObject("counters");
        new TreeMap<>(s.counters()).forEach(counters::put);
        return o;
    }
}
