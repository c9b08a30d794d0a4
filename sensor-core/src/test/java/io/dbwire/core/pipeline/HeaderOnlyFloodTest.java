package io.dbwire.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 20 000 connections that each stop after a header declaring a huge length, through the whole engine in a child
 * JVM with a 256 MiB heap: it must finish (a parser that allocated the declared length, up to its 256 KiB keep
 * cap, would need 5 GB) and retain less than {@link #BOUND_PER_CONNECTION} bytes per connection — flow, session
 * and framer state together, the figure docs/operations.md gives.
 */
class HeaderOnlyFloodTest {
    private static final int CONNECTIONS = 20_000;
    static final long BOUND_PER_CONNECTION = 8 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void manyConnectionsWithHugeDeclaredLengthsFitASmallHeap(String protocol) throws Exception {
        Map<String, String> out = runChild(protocol);
        assertThat(out.get("exit")).as("child output %s", out).isEqualTo("0");
        assertThat(Long.parseLong(out.get("flows"))).isEqualTo(CONNECTIONS);
        assertThat(Long.parseLong(out.get("bytes_per_connection"))).isLessThan(BOUND_PER_CONNECTION);
    }

    private static Map<String, String> runChild(String protocol) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), HeaderOnlyFlood.class.getName(), protocol,
                Integer.toString(CONNECTIONS)).redirectErrorStream(true).start();
        Map<String, String> out = new HashMap<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                all.append(line).append('\n');
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        out.put("exit", Integer.toString(p.exitValue()));
        System.out.print(all);
        return out;
    }
}
