package io.dbwire.daemon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbwire.core.detect.state.DetectionSnapshot;
import io.dbwire.daemon.lifecycle.StateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(
        name = "baselines",
        mixinStandardHelpOptions = true,
        description = {
            "Prints what the sensor has learnt, from its detection state snapshot (detection-state.json in the",
            "state directory, written by run): per detector and entity how long it was learnt, its per-minute",
            "series (count, median, max), peaks, time-of-day profiles, recurring job runs, known clients, users",
            "and statements. Read-only; a running sensor rewrites the snapshot every 5 minutes."
        })
final class BaselinesCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption config = new ConfigOption();

    @CommandLine.Option(names = "--state", paramLabel = "DIR",
            description = "State directory (default: state.directory of the configuration).")
    Path state;

    @CommandLine.Option(names = "--entity", paramLabel = "TEXT",
            description = "Only entities whose name contains TEXT, e.g. client=10.1.0.21, user=export, a "
                    + "fingerprint or server address; repeatable (any matches).")
    List<String> entities = new ArrayList<>();

    private final PrintStream out;

    BaselinesCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        Path dir = state != null ? state : Path.of(config.load().state().directory());
        Path file = StateStore.fileIn(dir);
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no detection state (run writes it every 5 minutes and at shutdown)");
        }
        DetectionSnapshot s;
        try {
            s = new ObjectMapper().readValue(file.toFile(), DetectionSnapshot.class);
        } catch (IOException e) {
            throw new UsageException(file + ": not a detection state snapshot: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        out.println("dbwire baselines: " + file);
        int shown = new BaselineReport(out, entities).print(s);
        if (!entities.isEmpty() && shown == 0) {
            out.println("no entity matches " + String.join(", ", entities));
        }
        return ExitCodes.OK;
    }
}
