package io.dbwire.daemon.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.record.RecordSink;
import io.dbwire.daemon.console.traffic.TrafficAggregator;
import io.dbwire.core.pipeline.SensorStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code replay --report FILE.html}: the console's views of one capture as a single self-contained HTML file, the
 * UI's CSS and script inlined and the snapshot embedded as JSON, so it opens from disk and can be mailed.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrafficAggregator aggregator = new TrafficAggregator();

    public RecordSink records() {
        return aggregator::accept;
    }

    public AlertSink alerts() {
        return aggregator::accept;
    }

    /**
     * The snapshot a report embeds: as of the capture's last record.
     *
     * @param sourceProblems the replay's own problems (a file cut short), shown with the engine's
     */
    public ObjectNode snapshot(List<Path> files, SensorStats stats, Map<String, Long> sourceProblems) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = aggregator.snapshot(f, aggregator.lastPacketMicros());
        o.put("mode", "report");
        o.put("title", files.stream().map(p -> String.valueOf(p.getFileName())).collect(Collectors.joining(", ")));
        long first = Long.MAX_VALUE;
        for (var s : o.get("sources")) {
            first = Math.min(first, s.get("traffic").get("first_seen_us").asLong());
        }
        o.put("first_us", first == Long.MAX_VALUE ? 0 : first);
        o.set("health", HealthJson.replay(f, stats, sourceProblems, files.size()));
        return o;
    }

    public void write(Path out, ObjectNode snapshot) throws IOException {
        Files.writeString(out, html(snapshot), StandardCharsets.UTF_8);
    }

    static String html(ObjectNode snapshot) throws JsonProcessingException {
        // '<' as \u003c keeps "</script>" or "<!--" in statement text from ending the data block; still valid JSON.
        String data = JSON.writeValueAsString(snapshot).replace("<", "\\u003c");
        return ConsoleUi.html()
                .replace("<!--STYLE-->", "<style>\n" + ConsoleUi.css() + "</style>")
                .replace("<!--DATA-->", "<script id=\"dbwire-data\" type=\"application/json\">" + data + "</script>")
                .replace("<!--SCRIPT-->", "<script>\n" + ConsoleUi.js() + "</script>");
    }
}
