package io.dbwire.daemon.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A throw-away single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run as a child
 * JVM from the Kafka artifacts on the test class path: own log directory, free loopback ports. {@link #stop()} and
 * {@link #start()} may be repeated on the same directory and ports, which is how the outage tests take the broker
 * away and bring it back with its data.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 60_000;

    private final Path dir;
    private final int port;
    private Process process;

    private KafkaBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Formats the storage and starts the broker; returns once it accepts connections. */
    public static KafkaBroker startNew() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dbwire-kafka");
        int port = freePort();
        int controllerPort = freePort();
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                ""));
        Files.writeString(dir.resolve("logback.xml"),
                "<configuration><appender name='f' class='ch.qos.logback.core.FileAppender'><file>"
                        + dir.resolve("broker.log")
                        + "</file><encoder><pattern>%d %-5level %logger{20} %msg%n</pattern></encoder></appender>"
                        + "<root level='WARN'><appender-ref ref='f'/></root></configuration>\n");
        KafkaBroker broker = new KafkaBroker(dir, port);
        broker.format();
        broker.start();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path directory() {
        return dir;
    }

    /** Starts the broker process on the existing directory and waits until its port answers. */
    public void start() throws IOException, InterruptedException {
        process = java("kafka.Kafka", dir.resolve("server.properties").toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.out").toFile()))
                .start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!listening()) {
            if (!process.isAlive()) {
                throw new IOException("kafka broker exited " + process.exitValue() + "; see " + dir.resolve("broker.out"));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("kafka broker did not listen within " + START_TIMEOUT_MS + " ms; see " + dir);
            }
            Thread.sleep(200);
        }
    }

    /** Kills the broker at once (SIGKILL): an outage as the client sees it. Data already acknowledged stays. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void format() throws IOException, InterruptedException {
        Process p = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", dir.resolve("server.properties").toString())
                .redirectOutput(dir.resolve("format.out").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("kafka storage format failed: " + Files.readString(dir.resolve("format.out")));
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
                "-cp", testClassPath(), mainClass));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /** Surefire puts the full test class path here (java.class.path may be only its booter jar). */
    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
