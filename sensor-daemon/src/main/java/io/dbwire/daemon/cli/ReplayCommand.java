package io.dbwire.daemon.cli;

import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.lifecycle.Replay;
import io.dbwire.daemon.lifecycle.ReplaySummary;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.daemon.sink.AlertLineSink;
import io.dbwire.daemon.sink.RecordLineSink;
import io.dbwire.daemon.source.SourceException;
import io.dbwire.core.tls.KeyLogStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Reads pcap/pcapng files (plain or VXLAN/GENEVE-wrapped) through the sensor.",
            "Records and alerts are JSON lines (records have \"kind\", alerts \"detection\"); a summary goes to stderr."
        })
final class ReplayCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption config = new ConfigOption();

    @CommandLine.Option(names = "--records", paramLabel = "FILE|-", defaultValue = "-",
            description = "Where records go (default: - = stdout).")
    String records;

    @CommandLine.Option(names = "--alerts", paramLabel = "FILE|-", defaultValue = "-",
            description = "Where alerts go (default: - = stdout).")
    String alerts;

    @CommandLine.Option(names = "--keylog", paramLabel = "FILE",
            description = {"NSS key log (SSLKEYLOGFILE format) whose secrets decrypt TLS sessions; repeatable.",
                "Keys do not expire during a replay. Lines are counted (tls.keylog.*), never printed."})
    List<Path> keylogs = List.of();

    @CommandLine.Parameters(arity = "1..*", paramLabel = "PCAP", description = "Capture files, read in order.")
    List<Path> pcaps;

    private final PrintStream out;
    private final PrintStream err;
    private final AlertFormatter alertFormatter;

    ReplayCommand(PrintStream out, PrintStream err, AlertFormatter alertFormatter) {
        this.out = out;
        this.err = err;
        this.alertFormatter = alertFormatter;
    }

    @Override
    public Integer call() {
        DaemonConfig cfg = config.load();
        for (Path p : pcaps) {
            // Checked before any output so a typo in the third file does not leave half a run behind.
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new UsageException(p + ": " + (Files.exists(p) ? "not a readable file" : "no such file"));
            }
        }
        for (Path p : keylogs) {
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new UsageException("--keylog " + p + ": " + (Files.exists(p) ? "not a readable file" : "no such file"));
            }
        }
        KeyLogStore keys = null;
        if (!keylogs.isEmpty()) {
            List<String> texts = new ArrayList<>();
            for (Path p : keylogs) {
                try {
                    texts.add(Files.readString(p, StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new UsageException("--keylog " + p + ": cannot read (" + e.getClass().getSimpleName() + ")");
                }
            }
            keys = Replay.keyStore(cfg.tls().maxSessions(), texts);
        }
        ReplaySummary summary;
        try (ReplayOutputs outputs = new ReplayOutputs(records, alerts, out)) {
            summary = Replay.run(SensorConfigMapper.toSensorConfig(cfg), pcaps,
                    new RecordLineSink(outputs.records()), new AlertLineSink(outputs.alerts(), alertFormatter), keys);
        } catch (SourceException e) {
            throw new UsageException(e.getMessage());
        }
        err.print(summary.format());
        // A file that gave nothing because of its link layer is an input the user must hear about, not a counter.
        for (String line : summary.nothingRead()) {
            err.println("dbwire: " + line);
        }
        err.flush();
        return summary.nothingRead().isEmpty() ? ExitCodes.OK : ExitCodes.USAGE;
    }
}
