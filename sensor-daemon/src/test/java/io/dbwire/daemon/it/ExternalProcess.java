package io.dbwire.daemon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real tools the integration tests drive (initdb, pg_ctl, psql, tcpdump), with bounded waits. */
final class ExternalProcess {
    private ExternalProcess() {}

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Prefixes a command so that it runs as the postgres OS user when we are root (PostgreSQL refuses root). */
    static List<String> asPostgres(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    record Result(int exitCode, String output) {}

    static Result run(List<String> command, Map<String, String> env, String stdin, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeoutSeconds + " s: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static String runOrFail(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Result r = run(command, env, null, 120);
        if (r.exitCode() != 0) {
            throw new IOException("exit " + r.exitCode() + " from " + command + ":\n" + r.output());
        }
        return r.output();
    }

    static void chownToPostgres(Path path) throws IOException, InterruptedException {
        if (isRoot()) {
            runOrFail(List.of("chown", "-R", "postgres:", path.toString()), Map.of());
        }
    }
}
