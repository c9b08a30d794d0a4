package io.dbwire.daemon.cli;

import io.dbwire.daemon.bench.Bench;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.config.SensorConfigMapper;
import io.dbwire.daemon.source.SourceException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole pipeline over a capture (from the file, then from memory; one thread, then all shards)",
            "and prints packets/s, Gbit/s and records/s per CPU-second and per wall second, bytes allocated per",
            "packet and GC time. Records are encoded to JSON and discarded. Make a capture with",
            "sensor-bench/scripts/make-bench-capture.sh."
        })
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption config = new ConfigOption();

    @CommandLine.Option(names = "--repeat", defaultValue = "3", description = "Passes per mode (default: 3).")
    int repeat;

    @CommandLine.Option(names = "--shards", defaultValue = "0",
            description = "Shard threads for the sharded pass (default: 0 = the number of cores; 1 = skip it).")
    int shards;

    @CommandLine.Option(names = "--mode", defaultValue = "all",
            description = "Which passes: all (default), file, memory or shards (one mode alone, e.g. to profile it).")
    String mode;

    @CommandLine.Parameters(paramLabel = "PCAP", description = "The capture (pcap or pcapng).")
    Path pcap;

    private final PrintStream out;

    BenchCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws InterruptedException {
        DaemonConfig cfg = config.load();
        if (!Files.isRegularFile(pcap) || !Files.isReadable(pcap)) {
            throw new UsageException(pcap + ": " + (Files.exists(pcap) ? "not a readable file" : "no such file"));
        }
        if (repeat < 1 || shards < 0) {
            throw new UsageException("--repeat must be at least 1 and --shards at least 0");
        }
        Bench.Mode passes;
        try {
            passes = Bench.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--mode must be all, file, memory or shards, not " + mode);
        }
        int threads = shards == 0 ? Runtime.getRuntime().availableProcessors() : shards;
        try {
            Bench.run(SensorConfigMapper.toSensorConfig(cfg, config.policy()), pcap, repeat, threads, passes, out);
        } catch (SourceException e) {
            throw new UsageException(e.getMessage());
        }
        return ExitCodes.OK;
    }
}
