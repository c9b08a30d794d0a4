package io.dbwire.daemon.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JVM and GC metrics ({@code jvm_memory_*}, {@code jvm_gc_collection_seconds}, {@code jvm_threads_*},
 * {@code process_*}, ...) from the Prometheus Java client's JVM instrumentation, in the same text format.
 */
final class JvmMetricsText {
    private static final PrometheusRegistry REGISTRY = new PrometheusRegistry();
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    static {
        JvmMetrics.builder().register(REGISTRY);
    }

    private JvmMetricsText() {}

    static String render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
        try {
            WRITER.write(out, REGISTRY.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
