package io.dbwire.daemon.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.daemon.cli.DbwireCli;
import io.dbwire.daemon.config.ConfigLoader;
import io.dbwire.daemon.lifecycle.Daemon;
import io.dbwire.daemon.clock.MicrosClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser: a running daemon fed the bundled capture as VXLAN datagrams on loopback, then
 * every view checked for the capture's server, users, application, fingerprints and alert; the same views from a
 * {@code replay --report} file opened from disk; and a console with a token refusing requests without it.
 */
class ConsoleBrowserTest {
    private static final Path CAPTURE = Path.of("../testdata/pg-basic-vxlan.pcap");
    private static final String SERVER = "127.0.0.1:5432";
    /** {@code SELECT id, name FROM customers WHERE id = ?} in the capture (README's first record). */
    private static final String FINGERPRINT = "b061d4634e4c8efa";
    private static final String TOKEN = "console-test-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void eachViewOfTheLiveConsoleShowsTheCapturedTraffic() throws Exception {
        Daemon daemon = startDaemon(null);
        try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("profile"))) {
            feed(daemon);
            String base = "http://127.0.0.1:" + daemon.consoleAddress().getPort() + "/";
            checkViews(browser, base, "");
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + daemon.metricsAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("dbwire_console_queue_dropped_total 0\n", "dbwire_console_queue_depth 0\n");
        } finally {
            daemon.stop();
        }
    }

    @Test
    void aReportFileOpenedFromDiskShowsTheSameViews() throws Exception {
        Path report = dir.resolve("pg-basic.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "replay", "--report", report.toString(),
                "--records", dir.resolve("records.jsonl").toString(), "--alerts", dir.resolve("alerts.jsonl").toString(),
                CAPTURE.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String html = Files.readString(report);
        // Self-contained: nothing loaded from elsewhere (the one http:// is the SVG namespace name).
        assertThat(html).doesNotContain(" src=", "<link", "https://", "url(");
        try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("profile"))) {
            checkViews(browser, report.toUri().toString(), "report-");
            browser.open(report.toUri() + "#alerts");
            // At the end of the capture the follow-up alert folds the last two failures.
            assertThat(browser.waitForText("#alert-list", "12 failed logins", "+2 folded")).contains("10 failed logins");
            assertThat(browser.text("#status")).contains("report", "pg-basic-vxlan.pcap");
        }
    }

    @Test
    void withATokenTheConsoleRefusesRequestsWithoutIt() throws Exception {
        Path tokenFile = dir.resolve("console.token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Daemon daemon = startDaemon(tokenFile);
        try {
            String base = "http://127.0.0.1:" + daemon.consoleAddress().getPort();
            HttpClient http = HttpClient.newHttpClient();
            assertThat(status(http, base + "/", null)).isEqualTo(401);
            assertThat(status(http, base + "/api/snapshot", null)).isEqualTo(401);
            assertThat(status(http, base + "/api/snapshot", "Bearer wrong-token-wrong-token-wrong-token")).isEqualTo(401);
            assertThat(status(http, base + "/?token=wrong", null)).isEqualTo(401);
            assertThat(status(http, base + "/api/snapshot", "Bearer " + TOKEN)).isEqualTo(200);
            String basic = Base64.getEncoder().encodeToString(("anyone:" + TOKEN).getBytes(StandardCharsets.UTF_8));
            assertThat(status(http, base + "/app.js", "Basic " + basic)).isEqualTo(200);

            try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("profile"))) {
                browser.open(base + "/"); // 401 with a Basic challenge: the browser gets no console
                assertThat(browser.driver.findElements(By.id("nav"))).isEmpty();
                browser.open(base + "/?token=" + TOKEN); // traded for a cookie, then redirected to /
                assertThat(browser.driver.getCurrentUrl()).doesNotContain("token");
                browser.waitForText("#status", "live");
            }
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + daemon.metricsAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("dbwire_console_requests_refused_total [5-9]\n");
        } finally {
            daemon.stop();
        }
    }

    private void checkViews(HeadlessChromium browser, String base, String shotPrefix) throws Exception {
        browser.open(base + "#overview");
        browser.waitForText("#servers-table", SERVER, "postgresql");
        assertThat(browser.text("#sources-table")).contains("VNI 4242");
        browser.screenshot(shotPrefix + "overview");

        browser.open(base + "#server/" + SERVER);
        browser.waitForText("#server-title", SERVER);
        assertThat(browser.waitForText("#fingerprints", FINGERPRINT)).contains("SELECT id, name FROM customers WHERE id = ?");
        assertThat(browser.text("#users")).contains("app");
        assertThat(browser.text("#applications")).contains("orders-api");
        assertThat(browser.text("#clients")).contains("127.0.0.1");
        browser.screenshot(shotPrefix + "server");

        browser.open(base + "#alerts");
        String alerts = browser.waitForText("#alert-list", "auth_bruteforce", "failed logins from 127.0.0.1");
        assertThat(alerts).contains("login failed 28P01 user=app", "threshold");
        browser.waitForElement("#alert-timeline circle");
        browser.screenshot(shotPrefix + "alerts");
        new Select(browser.driver.findElement(By.id("filter-severity"))).selectByValue("low");
        browser.waitForText("#alert-list", "No alert matches the filters.");
        new Select(browser.driver.findElement(By.id("filter-severity"))).selectByValue("");
        browser.driver.findElement(By.id("filter-user")).sendKeys("app");
        browser.waitForText("#alert-list", "auth_bruteforce");

        browser.open(base + "#health");
        String health = browser.waitForText("#content", "Sensor health", "Packets", "275");
        assertThat(health).contains("Drops and problems by reason", "decap.tcp");
        assertThat(browser.text("#source-silence")).contains("VNI 4242");
        browser.screenshot(shotPrefix + "health");
    }

    private Daemon startDaemon(Path tokenFile) throws Exception {
        String yaml = "listen: {address: 127.0.0.1, vxlan_port: 0, queue_packets: 4096}\n"
                + "metrics: {address: 127.0.0.1, port: 0}\n"
                + "console: {address: 127.0.0.1, port: 0" + (tokenFile == null ? "" : ", token_file: " + tokenFile) + "}\n"
                + "alerts: {file: " + dir.resolve("run-alerts.jsonl") + "}\n"
                + "state: {directory: " + dir.resolve("state") + "}\n";
        Daemon daemon = new Daemon(new ConfigLoader().parse(yaml),
                new Daemon.Options(true, Duration.ofHours(1), MicrosClock.SYSTEM, AlertJson::toJson));
        daemon.start();
        return daemon;
    }

    /** Sends the capture and waits until the pipeline has read it and the console has folded its records. */
    private static void feed(Daemon daemon) throws Exception {
        List<byte[]> payloads = VxlanDatagrams.payloads(CAPTURE);
        VxlanDatagrams.send(payloads, daemon.vxlanAddress());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (daemon.sensorStats().packets() < payloads.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(daemon.sensorStats().packets()).isEqualTo(payloads.size());
        daemon.consoleFeed().awaitDrained(10_000);
    }

    private static int status(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
