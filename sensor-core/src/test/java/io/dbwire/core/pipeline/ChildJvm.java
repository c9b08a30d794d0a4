package io.dbwire.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test classpath in a JVM of its own (the given options, e.g. its heap, and exit on
 * OutOfMemoryError), so a test can measure memory without its own heap in the way. The child reports
 * {@code key=value} lines; they come back as a map, with the exit code under {@code exit}, and the whole output
 * is echoed.
 */
final class ChildJvm {
    private ChildJvm() {}

    static Map<String, String> run(List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> r = new HashMap<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                all.append(line).append('\n');
                int eq = line.indexOf('=');
                if (eq > 0) {
                    r.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        r.put("exit", Integer.toString(p.exitValue()));
        System.out.print(all);
        return r;
    }
}
