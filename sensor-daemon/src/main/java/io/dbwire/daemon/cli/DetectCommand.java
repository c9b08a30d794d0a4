package io.dbwire.daemon.cli;

import io.dbwire.daemon.central.DetectService;
import io.dbwire.daemon.clock.MicrosClock;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.lifecycle.Signals;
import io.dbwire.daemon.sink.AlertFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

@CommandLine.Command(
        name = "detect",
        mixinStandardHelpOptions = true,
        description = {
            "Central detection: reads the records topics of many sensors from Kafka as one consumer group and writes",
            "alerts to alerts.file, outputs.kafka.alerts_topic and outputs.syslog (the detect section of the config;",
            "docs/scale.md). Runs until SIGTERM."
        })
final class DetectCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption config = new ConfigOption();

    @CommandLine.Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "Kafka brokers (default: detect.bootstrap_servers, then outputs.kafka.bootstrap_servers).")
    String bootstrapServers;

    @CommandLine.Option(names = "--topic", paramLabel = "TOPIC",
            description = "Records topic to read; repeatable (default: detect.records_topics).")
    List<String> topics;

    @CommandLine.Option(names = "--group-id", paramLabel = "GROUP",
            description = "Consumer group shared by the detect instances (default: detect.group_id).")
    String groupId;

    private final AlertFormatter alertFormatter;

    DetectCommand(AlertFormatter alertFormatter) {
        this.alertFormatter = alertFormatter;
    }

    @Override
    public Integer call() {
        DaemonConfig cfg = config.load();
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.onStop(stopRequested::countDown);
        DetectService service;
        try {
            service = DetectService.start(cfg, config.policy(),
                    new DetectService.Overrides(bootstrapServers, topics, groupId),
                    alertFormatter, MicrosClock.SYSTEM);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::stop, "dbwire-detect-shutdown"));
        try {
            while (!stopRequested.await(1, TimeUnit.SECONDS)) {
                if (!service.alive()) {
                    service.stop();
                    return ExitCodes.SOFTWARE; // the consumer loop failed (logged)
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        service.stop();
        return ExitCodes.OK;
    }
}
