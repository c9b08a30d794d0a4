package io.dbwire.daemon.sink.syslog;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.sink.AlertFormatter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts to a syslog receiver (outputs.syslog). {@link #accept} only offers the alert to a bounded queue (full =
 * dropped and counted); a sender thread renders it as RFC 5424 and sends it, reconnecting once a second while the
 * receiver is away and sending the same alert again once it is back.
 */
public final class SyslogOutput implements AlertSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyslogOutput.class);
    private static final long RETRY_PAUSE_MS = 1000;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** What the syslog output did; {@code accepted = sent + dropped_shutdown} once closed. */
    public static final class Stats {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong droppedFull = new AtomicLong();
        final AtomicLong droppedShutdown = new AtomicLong();
        final AtomicLong sendFailures = new AtomicLong();

        public long accepted() { return accepted.get(); }
        public long sent() { return sent.get(); }
        public long droppedFull() { return droppedFull.get(); }
        public long droppedShutdown() { return droppedShutdown.get(); }
        public long sendFailures() { return sendFailures.get(); }

        @Override
        public String toString() {
            return "accepted=" + accepted() + " sent=" + sent() + " dropped_buffer_full=" + droppedFull()
                    + " dropped_shutdown=" + droppedShutdown() + " send_failures=" + sendFailures();
        }
    }

    private final BlockingQueue<Alert> queue;
    private final SyslogTransport transport;
    private final AlertFormatter formatter;
    private final String hostname;
    private final String appName;
    private final Stats stats = new Stats();
    private final Thread sender;
    private volatile boolean closing;
    private boolean closed;

    private SyslogOutput(SyslogTransport transport, AlertFormatter formatter, String hostname, String appName,
            int bound) {
        this.queue = new ArrayBlockingQueue<>(bound);
        this.transport = transport;
        this.formatter = formatter;
        this.hostname = hostname;
        this.appName = appName;
        this.sender = new Thread(this::run, "dbwire-syslog");
        sender.setDaemon(true);
        sender.start();
    }

    public static SyslogOutput open(DaemonConfig.Syslog config, String sensorName, AlertFormatter formatter)
            throws IOException {
        SyslogTransport transport;
        switch (config.transport()) {
            case "udp":
                transport = new UdpTransport(config.host(), port(config, 514));
                break;
            case "tls":
                transport = new StreamTransport(config.host(), port(config, 6514), tlsFactory(config.caFile()));
                break;
            default:
                transport = new StreamTransport(config.host(), port(config, 601), null);
        }
        return new SyslogOutput(transport, formatter, sensorName, config.appName(), config.bufferAlerts());
    }

    private static int port(DaemonConfig.Syslog config, int standard) {
        return config.port() == null ? standard : config.port();
    }

    /** The JVM's default trust, or only the CA certificates in {@code caFile} (PEM). */
    private static SSLSocketFactory tlsFactory(String caFile) throws IOException {
        try {
            if (caFile == null) {
                return SSLContext.getDefault().getSocketFactory();
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(caFile))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
                if (i == 0) {
                    throw new IOException("outputs.syslog.ca_file: " + caFile + " (expected: PEM certificates)");
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("outputs.syslog.ca_file: " + caFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void accept(Alert alert) {
        if (queue.offer(alert)) {
            stats.accepted.incrementAndGet();
        } else {
            stats.droppedFull.incrementAndGet();
        }
    }

    private void run() {
        while (!closing || !queue.isEmpty()) {
            Alert a;
            try {
                a = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (a != null && !deliver(Rfc5424.message(a, hostname, appName, formatter.format(a)))) {
                return;
            }
        }
    }

    /** Sends until it succeeds; false when closing interrupted it (the message is then counted as dropped). */
    private boolean deliver(byte[] message) {
        while (true) {
            try {
                transport.send(message);
                stats.sent.incrementAndGet();
                return true;
            } catch (IOException e) {
                long n = stats.sendFailures.incrementAndGet();
                if (n <= 5 || n % 1000 == 0) {
                    LOG.warn("syslog: receiver unreachable, retrying every second (failure {}): {}", n, e.toString());
                }
            }
            try {
                Thread.sleep(RETRY_PAUSE_MS);
            } catch (InterruptedException e) {
                stats.droppedShutdown.incrementAndGet();
                return false;
            }
        }
    }

    public Stats stats() {
        return stats;
    }

    /** Sends what is queued for at most a few seconds; the rest is counted as dropped. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        try {
            sender.join(CLOSE_GRACE.toMillis());
            sender.interrupt();
            sender.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stats.droppedShutdown.addAndGet(queue.size());
        queue.clear();
        transport.close();
        LOG.info("syslog output closed: {}", stats);
    }
}
