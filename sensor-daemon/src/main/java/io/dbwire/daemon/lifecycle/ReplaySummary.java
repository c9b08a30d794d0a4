package io.dbwire.daemon.lifecycle;

import io.dbwire.core.memory.MemoryReport;
import io.dbwire.core.pipeline.SensorStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What a replay did, for the summary on stderr.
 *
 * @param files          capture files read
 * @param stats          the sensor's totals after finish()
 * @param sourceProblems problems of the daemon's own reading, by {@code source.reason}
 * @param elapsedNanos   wall time of reading and processing
 * @param interrupted    stopped early by SIGINT/SIGTERM: the totals cover what was read until then
 * @param nothingRead    one line per file none of whose packets got past the link layer (unsupported link type,
 *                       no IP), e.g. {@code a.pcap: nothing read: link type 147 is not supported (…)}
 */
public record ReplaySummary(int files, SensorStats stats, Map<String, Long> sourceProblems, long elapsedNanos,
        boolean interrupted, List<String> nothingRead) {
    public ReplaySummary {
        sourceProblems = Map.copyOf(sourceProblems);
        nothingRead = List.copyOf(nothingRead);
    }

    public ReplaySummary(int files, SensorStats stats, Map<String, Long> sourceProblems, long elapsedNanos) {
        this(files, stats, sourceProblems, elapsedNanos, false, List.of());
    }

    /** All problems, engine and source, sorted by name. */
    public Map<String, Long> problems() {
        Map<String, Long> all = new TreeMap<>(stats.problems());
        sourceProblems.forEach((k, v) -> all.merge(k, v, Long::sum));
        return all;
    }

    /**
     * What the mirror lost, in an operator's terms, when it lost anything or reordered a request past its answer
     * (else empty): bytes and estimated packets per direction, connections affected, statements a hole cut short
     * (records with {@code gaps}) and records without timing. The same counters are in the problems line.
     */
    String lossLine() {
        Map<String, Long> c = stats.counters();
        long holes = c.getOrDefault("tcp.gap_events", 0L);
        long late = sumOf(c, "request_after_answer");
        if (holes == 0 && late == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "dbwire replay: mirror loss: requests %d bytes in ~%d packets, answers %d"
                + " bytes in ~%d packets; %d of %d connections; %d statements cut short (records with gaps); %d"
                + " records without timing (request seen after its answer)%n",
                c.getOrDefault("tcp.gap_bytes_client_to_server", 0L),
                c.getOrDefault("tcp.gap_packets_client_to_server", 0L),
                c.getOrDefault("tcp.gap_bytes_server_to_client", 0L),
                c.getOrDefault("tcp.gap_packets_server_to_client", 0L),
                c.getOrDefault("tcp.connections_with_gaps", 0L), stats.flows(),
                sumOf(c, "gap_incomplete_statements"), late);
    }

    /** A protocol counter summed over the protocols ({@code postgres.x}, {@code mysql.x}). */
    private static long sumOf(Map<String, Long> counters, String reason) {
        long sum = 0;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            if (e.getKey().endsWith("." + reason) && !e.getKey().startsWith("tcp.")) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /**
     * The memory budget's high-water marks (bytes): in total and per consumer; what was shed is among the problems
     * ({@code memory.*}). Empty without a budget.
     */
    String memoryLine() {
        MemoryReport m = stats.memory();
        if (m.limitBytes() == 0) {
            return "";
        }
        StringJoiner peaks = new StringJoiner(" ");
        m.highWater().forEach((c, v) -> peaks.add(c.label() + "=" + v));
        return String.format(Locale.ROOT, "dbwire replay: memory: budget_bytes=%d peak_bytes=%d peak_by_consumer: %s%n",
                m.limitBytes(), m.highWaterBytes(), peaks);
    }

    /**
     * Lines: totals and rates, problems by reason, mirror loss ({@link #lossLine}), the memory budget's peaks; one
     * more when the replay was interrupted.
     */
    public String format() {
        double seconds = elapsedNanos / 1e9;
        long perSecond = seconds > 0 ? Math.round(stats.packets() / seconds) : 0;
        StringJoiner problems = new StringJoiner(" ");
        problems().forEach((k, v) -> problems.add(k + "=" + v));
        return String.format(Locale.ROOT,
                "dbwire replay: files=%d packets=%d bytes=%d flows=%d records=%d alerts=%d elapsed=%.3fs packets/s=%d%n"
                        + "dbwire replay: problems: %s%n",
                files, stats.packets(), stats.bytes(), stats.flows(), stats.records(), stats.alerts(), seconds,
                perSecond, problems.length() == 0 ? "none" : problems.toString())
                + lossLine()
                + memoryLine()
                + (interrupted ? "dbwire replay: interrupted: outputs end at the last whole line; files after the"
                        + " current one were not read" + System.lineSeparator() : "");
    }
}
