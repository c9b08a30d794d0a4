package io.dbwire.daemon.cli;

import io.dbwire.daemon.fault.FatalErrors;
import io.dbwire.daemon.lifecycle.InternalErrorLog;
import io.dbwire.daemon.sink.AlertFormatter;
import io.dbwire.core.detect.alert.AlertJson;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** {@code java -jar dbwire.jar <command>}: the entry point. Usage errors are one line {@code dbwire: ...}, exit 2. */
@CommandLine.Command(
        name = "dbwire",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Passive database-traffic sensor: PostgreSQL/MySQL wire traffic in, JSON records and alerts out.")
public final class DbwireCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        FatalErrors.install();
        int status;
        try {
            status = execute(System.out, System.err, args);
        } catch (RuntimeException | Error e) {
            // picocli hands only Exceptions to the handler below; an Error (OutOfMemoryError) arrives here.
            FatalErrors.haltIfFatal("main", e);
            System.err.println("dbwire: internal error: " + e);
            e.printStackTrace();
            status = ExitCodes.SOFTWARE;
        }
        System.exit(status);
    }

    /** Runs one command line in-process with the given streams; returns the exit code. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return execute(out, err, AlertJson::toJson, args);
    }

    public static int execute(PrintStream out, PrintStream err, AlertFormatter alerts, String... args) {
        InternalErrorLog.install();
        CommandLine cl = new CommandLine(new DbwireCli())
                .addSubcommand(new ReplayCommand(out, err, alerts))
                .addSubcommand(new RunCommand(alerts))
                .addSubcommand(new BenchCommand(out))
                .addSubcommand(new DetectCommand(alerts))
                .addSubcommand(new AllowListCommand())
                .addSubcommand(new BaselinesCommand(out))
                .setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("dbwire: " + ex.getMessage());
            if (a.length == 0) {
                ex.getCommandLine().usage(err); // nothing asked at all: show what can be asked
            }
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UsageException) {
                err.println("dbwire: " + ex.getMessage());
                return ExitCodes.USAGE;
            }
            err.println("dbwire: internal error: " + ex);
            ex.printStackTrace(err);
            return ExitCodes.SOFTWARE;
        });
        if (args.length > 0 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
            // Checked before picocli, which would let a following --help win and exit 0.
            err.println("dbwire: unknown command '" + args[0] + "' (expected: one of "
                    + String.join(", ", cl.getSubcommands().keySet()) + ")");
            return ExitCodes.USAGE;
        }
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (replay or run)");
    }
}
