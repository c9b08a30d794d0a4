package io.dbwire.daemon.cli;

import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.record.RecordSink;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.console.Report;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.health.SilenceWatch;
import io.dbwire.daemon.lifecycle.Replay;
import io.dbwire.daemon.lifecycle.ReplayProgress;
import io.dbwire.daemon.lifecycle.ReplaySummary;
import io.dbwire.daemon.lifecycle.Signals;
import io.dbwire.daemon.lifecycle.Terminal;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.daemon.sink.network.NetworkOutputs;
import io.dbwire.daemon.sink.format.AlertJsonPlus;
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
import java.util.concurrent.atomic.AtomicInteger;
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

    @CommandLine.Option(names = "--report", paramLabel = "FILE.html",
            description = {"Also writes the console's views of the capture (overview, servers, alerts, sensor health)",
                "as one self-contained HTML file: open it from disk, attach it to a ticket."})
    Path report;
    @CommandLine.Option(names = "--fail-on-problems",
            description = "Exit " + ExitCodes.PROBLEMS + " when the summary counts any problem (for scripts and CI).")
    boolean failOnProblems;

    /** When the progress line is shown. */
    enum Progress { AUTO, ALWAYS, NEVER }

    @CommandLine.Option(names = "--progress", paramLabel = "WHEN", defaultValue = "AUTO",
            description = {"Progress line on stderr about once a second after the first 2 s: auto (default: when",
                "stderr is a terminal), always or never."})
    Progress progress;

    @CommandLine.Parameters(arity = "1..*", paramLabel = "PCAP", description = "Capture files, read in order.")
    List<Path> pcaps;

    private static RecordSink both(RecordSink a, RecordSink b) {
        return r -> {
            a.accept(r);
            b.accept(r);
        };
    }

    private static AlertSink both(AlertSink a, AlertSink b) {
        return x -> {
            a.accept(x);
            b.accept(x);
        };
    }

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
            if (Files.isDirectory(p) || !Files.isReadable(p)) {
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
        Report view = report == null ? null : new Report();
        ReplaySummary summary;
        String outputFailure;
        AtomicInteger signals = new AtomicInteger();
        // First SIGINT/SIGTERM: stop after the current packet, finish, flush whole lines, print the summary.
        // A second one: stop at once (the outputs may then end mid-line).
        try (ReplayOutputs outputs = new ReplayOutputs(records, alerts, out);
                Signals.Installed ignored = Signals.onStop(() -> {
                    if (signals.incrementAndGet() > 1) {
                        Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                    }
                })) {
            RecordSink recordSink = new RecordLineSink(outputs.records());
            AlertSink alertSink = new AlertLineSink(outputs.alerts(),
                    new AlertJsonPlus(alertFormatter, NetworkOutputs.sensorName(cfg.outputs())));
            if (view != null) {
                recordSink = both(recordSink, view.records());
                alertSink = both(alertSink, view.alerts());
            }
            summary = Replay.run(SensorConfigMapper.toSensorConfig(cfg), pcaps, recordSink, alertSink, keys,
                    new Replay.Extras(showProgress() ? new ReplayProgress(err, totalBytes(), System::nanoTime) : null,
                            () -> signals.get() > 0 || outputs.failure() != null, silenceWatch(cfg.health())));
            outputs.close(); // flushed here so that a failing last write is reported below
            outputFailure = outputs.failure();
        } catch (SourceException e) {
            throw new UsageException(e.getMessage());
        }
        if (outputFailure != null) {
            // A full disk: the summary of what was read, then one line, no stack trace; the records are incomplete.
            err.print(new ReplaySummary(summary.files(), summary.stats(), summary.sourceProblems(),
                    summary.elapsedNanos(), false, summary.nothingRead()).format());
            err.println("dbwire: " + outputFailure + "; replay stopped");
            err.flush();
            return ExitCodes.OUTPUT_FAILED;
        }
        err.print(summary.format());
        if (view != null) {
            try {
                view.write(report, view.snapshot(pcaps, summary.stats(), summary.sourceProblems()));
            } catch (IOException e) {
                throw new UsageException("--report " + report + ": cannot write (" + e.getMessage() + ")");
            }
            err.println("dbwire replay: report " + report);
        }
        // A file that gave nothing because of its link layer is an input the user must hear about, not a counter.
        for (String line : summary.nothingRead()) {
            err.println("dbwire: " + line);
        }
        err.flush();
        if (!summary.nothingRead().isEmpty()) {
            return ExitCodes.USAGE;
        }
        if (summary.interrupted()) {
            return ExitCodes.INTERRUPTED;
        }
        return failOnProblems && !summary.problems().isEmpty() ? ExitCodes.PROBLEMS : ExitCodes.OK;
    }

    /** mirror_silence of servers on packet time, with the run's settings. */
    static SilenceWatch silenceWatch(DaemonConfig.Health h) {
        return new SilenceWatch(new SilenceWatch.Settings(h.minSilence().toNanos() / 1_000, h.silenceIntervals(),
                h.steadyAfter().toNanos() / 1_000, SilenceWatch.MIN_OBSERVATIONS));
    }

    private boolean showProgress() {
        return progress == Progress.ALWAYS || (progress == Progress.AUTO && Terminal.stderrIsTerminal());
    }

    /** Sum of the inputs' sizes; 0 (unknown) when one is not a regular file, e.g. a pipe. */
    private long totalBytes() {
        long total = 0;
        for (Path p : pcaps) {
            try {
                if (!Files.isRegularFile(p)) {
                    return 0;
                }
                total += Files.size(p);
            } catch (IOException e) {
                return 0;
            }
        }
        return total;
    }
}
