package io.dbwire.daemon.it.stories;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.it.stories.StoryCalendar.Placement;
import io.dbwire.daemon.lifecycle.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retiming tool on two real recordings: copies land at their times, as distinct connections, complete. */
class PcapLayoutTest {
    private static final Path STORIES = Path.of("..", "testdata", "stories");

    @Test
    void copiesOfARecordingBecomeDistinctConnectionsAtTheirTimesWithEveryStatementOfTheServerLog(@TempDir Path tmp)
            throws Exception {
        StoryPcap report = StoryPcap.read("pg-report", STORIES.resolve("pg-report.pcap"));
        StoryPcap app = StoryPcap.read("pg-app", STORIES.resolve("pg-app.pcap"));
        long t0 = StoryCalendar.epochMicros(3, java.time.LocalTime.of(10, 0));
        Endpoint server = StoryCalendar.PG_SERVER;
        // Overlapping copies: the same recording twice from one host 1 s apart, and from another host.
        List<Placement> placements = List.of(
                new Placement("pg-app", t0, "10.1.0.11", server, null),
                new Placement("pg-report", t0 + 500_000, "10.1.0.30", server, null),
                new Placement("pg-report", t0 + 1_500_000, "10.1.0.30", server, null),
                new Placement("pg-app", t0 + 20_000_000, "10.1.0.12", server, null));
        Path pcap = tmp.resolve("layout.pcap");
        PcapLayout.Written written = new PcapLayout(Map.of("pg-report", report, "pg-app", app))
                .write(placements, pcap);
        assertThat(written.packets()).isEqualTo(2L * report.frames().size() + 2L * app.frames().size());

        List<TransactionRecord> records = new ArrayList<>();
        Replay.run(StoryEvaluation.defaultSettings(), List.of(pcap), records::add, a -> { });
        List<TransactionRecord> statements = records.stream().filter(r -> r.kind().json().equals("statement"))
                .toList();
        assertThat(statements).allSatisfy(r -> {
            assertThat(r.server()).isEqualTo(server);
            assertThat(r.tsMicros()).isBetween(t0, t0 + 20_000_000 + app.durationMicros());
        });
        long reportStatements = loggedStatements("pg-report");
        long appStatements = loggedStatements("pg-app");
        assertThat(statements.stream().filter(r -> r.client().ip().equals("10.1.0.30")).count())
                .isEqualTo(2 * reportStatements);
        assertThat(statements.stream().filter(r -> r.client().ip().equals("10.1.0.11")).count())
                .isEqualTo(appStatements);
        assertThat(statements.stream().filter(r -> r.client().ip().equals("10.1.0.12")).count())
                .isEqualTo(appStatements);
        assertThat(statements.stream().filter(r -> r.client().ip().equals("10.1.0.30"))
                .map(r -> r.client().port()).distinct().count()).as("one connection per copy").isEqualTo(2);
        assertThat(statements).extracting(TransactionRecord::status).allMatch(s -> s.json().equals("ok"));
    }

    /** Statements the server logged during the recording: the ground truth. */
    private static long loggedStatements(String story) throws Exception {
        return Files.readAllLines(STORIES.resolve(story + ".log")).stream()
                .filter(l -> l.contains("LOG:  statement:") || l.contains("LOG:  execute ")).count();
    }
}
