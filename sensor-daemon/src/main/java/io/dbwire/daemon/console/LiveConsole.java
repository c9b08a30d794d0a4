package io.dbwire.daemon.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.record.RecordSink;
import io.dbwire.daemon.config.ConfigException;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.console.traffic.ConsoleFeed;
import io.dbwire.daemon.metrics.MetricsSource;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.tls.KeyListenerToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The web console of {@code run}: its feed, tapped into the record and alert sinks before the pipeline starts,
 * and its HTTP server, started once the daemon can answer for its metrics.
 */
public final class LiveConsole implements AutoCloseable {
    /** Records and alerts waiting for the console's thread; beyond it they are counted and not shown. */
    static final int QUEUE_ITEMS = 65_536;

    private final DaemonConfig.Console config;
    private final ConsoleFeed feed = new ConsoleFeed(QUEUE_ITEMS);
    private ConsoleServer server;

    private LiveConsole(DaemonConfig.Console config) {
        this.config = config;
    }

    /** A console for {@code console.*}, or null when {@code console.port} is null. */
    public static LiveConsole of(DaemonConfig.Console config) {
        return config.port() == null ? null : new LiveConsole(config);
    }

    /** {@code sink}, and then the console's feed. */
    public RecordSink tap(RecordSink sink) {
        RecordSink console = feed.records();
        return r -> {
            sink.accept(r);
            console.accept(r);
        };
    }

    public AlertSink tap(AlertSink sink) {
        AlertSink console = feed.alerts();
        return a -> {
            sink.accept(a);
            console.accept(a);
        };
    }

    /**
     * Reads the token file (if any) and starts serving.
     *
     * @throws ConfigException for a bad token file (the message names {@code console.token_file})
     * @throws IOException     when the address cannot be bound
     */
    public void serve(MetricsSource metrics, MicrosClock clock) throws ConfigException, IOException {
        KeyListenerToken token = config.tokenFile() == null ? null
                : KeyListenerToken.read(Path.of(config.tokenFile()), "console.token_file");
        server = ConsoleServer.start(config.address(), config.port(), token, () -> snapshot(metrics, clock));
    }

    /** What the views render: traffic and alerts as of now, and the numbers of /metrics. */
    private ObjectNode snapshot(MetricsSource metrics, MicrosClock clock) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = feed.snapshot(f, clock.nowMicros());
        o.put("mode", "live");
        o.put("title", "dbwire run");
        o.set("health", HealthJson.live(f, metrics));
        return o;
    }

    public MetricsSource.ConsoleCounts counts() {
        return new MetricsSource.ConsoleCounts(feed.dropped(), feed.depth(), server == null ? 0 : server.refused());
    }

    /** The console server's refusals, or null before {@link #serve}. */
    public io.dbwire.daemon.http.HttpCounts httpCounts() {
        return server == null ? null : server.http().counts();
    }

    /** The bound address, or null before {@link #serve}. */
    public InetSocketAddress address() {
        return server == null ? null : server.address();
    }

    public ConsoleFeed feed() {
        return feed;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        feed.close();
    }
}
