package io.dbwire.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench command's output, not its speed: every mode ran over the whole capture and produced every record. */
class BenchCommandTest {
    @Test
    void everyModeSeesEveryPacketAndRecordOfTheBundledCapture() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                "bench", "--repeat", "1", "--shards", "2", "../testdata/pg-basic-vxlan.pcap");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(1, 4)).allSatisfy(l -> assertThat(l).contains("packets=275 records=30")
                .contains("alloc/packet=").contains("gc="));
        assertThat(lines.get(1)).startsWith("file, one thread");
        assertThat(lines.get(2)).startsWith("memory, one thread");
        assertThat(lines.get(3)).startsWith("memory, shards").contains("threads=2");
    }

    @Test
    void oneModeRunsAloneAndAnUnknownModeIsAUsageError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()), "bench", "--repeat", "2", "--shards", "2", "--mode",
                "memory", "../testdata/pg-basic-vxlan.pcap");
        assertThat(code).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.subList(1, lines.size())).hasSize(2)
                .allSatisfy(l -> assertThat(l).startsWith("memory, one thread").contains("packets=275 records=30"));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        code = DbwireCli.execute(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), "bench", "--mode", "disk",
                "../testdata/pg-basic-vxlan.pcap");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--mode must be all, file, memory or shards");
    }

    @Test
    void aMissingCaptureIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DbwireCli.execute(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), "bench", "no-such.pcap");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("dbwire: no-such.pcap: no such file");
    }
}
