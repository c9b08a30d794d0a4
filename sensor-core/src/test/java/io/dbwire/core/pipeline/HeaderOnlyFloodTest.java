package io.dbwire.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
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
        return ChildJvm.run(List.of("-Xmx256m"), HeaderOnlyFlood.class, protocol, Integer.toString(CONNECTIONS));
    }
}
