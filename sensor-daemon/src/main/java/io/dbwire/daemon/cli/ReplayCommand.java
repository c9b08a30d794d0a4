package io.dbwire.daemon.cli;

import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.config.PolicyConfig;
import io.dbwire.core.detect.policy.StatementAllowList;
import io.dbwire.core.detect.state.DetectionSnapshot;
import io.dbwire.daemon.config.ConfigException;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.PolicyLoader;
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
import java.util.concurrent.atomic.AtomicReference;
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

    @CommandLine.Option(names = "--policy", paramLabel = "FILE",
            description = {"DAM policy file (groups, rules, ignore rules, allow-list; docs/alerts.md \"Policy\");",
                "replaces detection.policy of the config."})
    Path policyFile;

    @CommandLine.Option(names = "--allowlist", paramLabel = "FILE",
            description = "Imports a statement allow-list file (as --allowlist-out writes it) on top of the policy's.")
    Path allowlistIn;

    @CommandLine.Option(names = "--allowlist-mode", paramLabel = "MODE",
            description = "Statement allow-list mode for this replay: off, learn, warn or enforce-alert.")
    String allowlistMode;

    @CommandLine.Option(names = "--allowlist-out", paramLabel = "FILE",
            description = "Exports the statement allow-list (imported plus learnt) to FILE at the end, as YAML.")
    Path allowlistOut;

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
        PolicyConfig policy = policy(cfg);
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
            AtomicReference<DetectionSnapshot> finalState = new AtomicReference<>();
            summary = Replay.run(SensorConfigMapper.toSensorConfig(cfg, policy), pcaps, recordSink, alertSink, keys,
                    new Replay.Extras(showProgress() ? new ReplayProgress(err, totalBytes(), System::nanoTime) : null,
                            () -> signals.get() > 0 || outputs.failure() != null, silenceWatch(cfg.health()), cfg.detection().on(),
                            finalState::set));
            if (allowlistOut != null) {
                writeAllowList(finalState.get());
            }
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

    /** The policy of --policy or detection.policy, with --allowlist and --allowlist-mode applied. */
    private PolicyConfig policy(DaemonConfig cfg) {
        PolicyLoader loader = new PolicyLoader();
        try {
            PolicyConfig p = policyFile != null ? loader.load(policyFile) : config.policy(); // read with cfg
            if (allowlistIn == null && allowlistMode == null) {
                return p;
            }
            List<PolicyConfig.AllowEntry> imported = allowlistIn == null ? List.of()
                    : loader.loadAllowList(allowlistIn).entries();
            return PolicyLoader.withAllowList(Path.of("--allowlist-mode"), p, allowlistMode, imported);
        } catch (ConfigException e) {
            throw new UsageException("policy: " + e.getMessage());
        }
    }

    private void writeAllowList(DetectionSnapshot state) {
        Object tree = state == null ? null : state.detectors().get(StatementAllowList.NAME);
        try {
            new PolicyLoader().writeAllowList(allowlistOut, tree);
        } catch (IOException e) {
            throw new UsageException("--allowlist-out " + allowlistOut + ": cannot write (" + e.getMessage() + ")");
        }
        err.println("dbwire replay: allow-list " + allowlistOut + (tree == null ? " (allow-list off: empty)" : ""));
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
