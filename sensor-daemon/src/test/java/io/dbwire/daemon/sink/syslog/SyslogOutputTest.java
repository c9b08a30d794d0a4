package io.dbwire.daemon.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertJson;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.record.Endpoint;
import io.dbwire.daemon.config.DaemonConfig;
import io.dbwire.daemon.it.RsyslogServer;
import io.dbwire.daemon.sink.format.AlertCef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The syslog output against a real rsyslog (one per class; the TLS test starts its own), lines parsed back. */
class SyslogOutputTest {
    /** RSYSLOG_SyslogProtocol23Format: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG}. */
    private static final Pattern RFC5424 =
            Pattern.compile("<(\\d+)>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (-|\\[.*?\\]) (.*)");
    private static RsyslogServer rsyslog;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RsyslogServer.available(), "rsyslogd not installed");
        rsyslog = RsyslogServer.startPlain();
    }

    @AfterAll
    static void stop() throws Exception {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    @Test
    void alertsAsJsonOverTcpWithOctetCountingArriveWhole() throws Exception {
        // A multi-byte user name: the frame length counts octets, not characters.
        Alert high = alert("c1", "auth_bruteforce", Severity.HIGH, "rené", "12 failed logins");
        Alert low = alert("c2", "new_statement", Severity.LOW, "app", "new statement fingerprint");
        try (SyslogOutput out = SyslogOutput.open(config("tcp", rsyslog.tcpPort(), "json", null), "sensor-a",
                AlertJson::toJson)) {
            out.accept(high);
            out.accept(low);
        }
        List<Matcher> lines = received(rsyslog, 2, "auth_bruteforce", "new_statement");
        Matcher h = lines.get(0);
        assertThat(h.group(1)).isEqualTo(Integer.toString(13 * 8 + 3)); // log audit, error
        assertThat(h.group(2)).startsWith("2023-11-14T22:13:20.000001");
        assertThat(h.group(3)).isEqualTo("sensor-a");
        assertThat(h.group(4)).isEqualTo("dbwire");
        assertThat(h.group(8)).isEqualTo(AlertJson.toJson(high));
        assertThat(lines.get(1).group(1)).isEqualTo(Integer.toString(13 * 8 + 5)); // notice
        assertThat(lines.get(1).group(8)).isEqualTo(AlertJson.toJson(low));
    }

    @Test
    void alertsAsCefOverUdpParseBackToTheirFields() throws Exception {
        Alert a = alert("c3", "risky_statement", Severity.CRITICAL, "app", "COPY TO PROGRAM | sh = bad");
        try (SyslogOutput out = SyslogOutput.open(config("udp", rsyslog.udpPort(), "cef", null), "sensor-b",
                new AlertCef("sensor-b", "0.1.0"))) {
            out.accept(a);
        }
        Matcher m = received(rsyslog, 1, "risky_statement").get(0);
        String cef = m.group(8);
        List<String> header = splitHeader(cef);
        assertThat(header.subList(0, 7)).containsExactly("CEF:0", "dbwire", "dbwire sensor", "0.1.0",
                "risky_statement", "COPY TO PROGRAM | sh = bad", "10");
        Map<String, String> ext = extension(header.get(7));
        assertThat(ext).containsEntry("externalId", "c3").containsEntry("src", "10.0.0.9")
                .containsEntry("dst", "10.0.0.5").containsEntry("dpt", "5432").containsEntry("duser", "app")
                .containsEntry("dvchost", "sensor-b").containsEntry("cs1", "shop").containsEntry("cs2", "T1110")
                .containsEntry("rt", "1700000000000").containsEntry("msg", "COPY TO PROGRAM | sh = bad")
                .containsEntry("cs3", "login failed").containsEntry("cnt", "1").containsEntry("cfp1", "50.0");
    }

    @Test
    void alertsWaitWhileTheReceiverIsAwayAndAllArriveWhenItReturns() throws Exception {
        try (SyslogOutput out = SyslogOutput.open(config("tcp", rsyslog.tcpPort(), "json", null), "sensor-c",
                AlertJson::toJson)) {
            out.accept(alert("d0", "outage_probe", Severity.MEDIUM, "app", "before"));
            assertThat(received(rsyslog, 1, "outage_probe")).hasSize(1);
            rsyslog.stop();
            for (int i = 1; i <= 5; i++) {
                out.accept(alert("d" + i, "outage_probe", Severity.MEDIUM, "app", "during"));
            }
            Thread.sleep(1500);
            assertThat(out.stats().sent()).isEqualTo(1);
            rsyslog.start();
            long deadline = System.currentTimeMillis() + 15_000;
            while (out.stats().sent() < 6 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(out.stats().sendFailures()).isPositive();
        }
        List<Matcher> lines = received(rsyslog, 6, "outage_probe");
        assertThat(lines).extracting(m -> m.group(8).replaceAll(".*\"id\":\"(d\\d)\".*", "$1"))
                .containsExactly("d0", "d1", "d2", "d3", "d4", "d5");
    }

    @Test
    void alertsOverTlsReachAReceiverWhoseCertificateIsCheckedAgainstTheCaFile() throws Exception {
        try (RsyslogServer tls = RsyslogServer.startTls()) {
            Alert a = alert("e1", "tls_probe", Severity.INFO, "app", "over tls");
            try (SyslogOutput out = SyslogOutput.open(
                    config("tls", tls.tcpPort(), "json", tls.certificate().toString()), "sensor-d",
                    AlertJson::toJson)) {
                out.accept(a);
            }
            Matcher m = received(tls, 1, "tls_probe").get(0);
            assertThat(m.group(1)).isEqualTo(Integer.toString(13 * 8 + 6));
            assertThat(m.group(8)).isEqualTo(AlertJson.toJson(a));
        }
    }

    /** Waits (up to 10 s) until rsyslog wrote at least {@code n} lines of these MSGIDs; returns them. */
    private static List<Matcher> received(RsyslogServer server, int n, String... msgIds) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            List<Matcher> lines = parse(server.awaitLines(0, 0), msgIds);
            if (lines.size() >= n || System.currentTimeMillis() > deadline) {
                return lines;
            }
            Thread.sleep(100);
        }
    }

    /** Lines of these MSGIDs (detections), in order; rsyslog's own lines are skipped. */
    private static List<Matcher> parse(List<String> lines, String... msgIds) {
        List<String> wanted = List.of(msgIds);
        return lines.stream().map(RFC5424::matcher).filter(Matcher::matches)
                .filter(m -> wanted.contains(m.group(6))).toList();
    }

    /** CEF header fields split at unescaped pipes, unescaped; the 8th element is the extension. */
    private static List<String> splitHeader(String cef) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        for (; i < cef.length() && out.size() < 7; i++) {
            char c = cef.charAt(i);
            if (c == '\\' && i + 1 < cef.length()) {
                cur.append(cef.charAt(++i));
            } else if (c == '|') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cef.substring(i));
        return out;
    }

    /** key=value pairs; a value runs to the next unescaped " key=". */
    private static Map<String, String> extension(String ext) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=((?:\\\\.|[^\\\\])*?)(?= \\w+=|$)").matcher(ext);
        while (m.find()) {
            out.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
        }
        return out;
    }

    private static DaemonConfig.Syslog config(String transport, int port, String format, String caFile) {
        return new DaemonConfig.Syslog("127.0.0.1", port, transport, format, "dbwire", caFile, 100);
    }

    private static Alert alert(String id, String detection, Severity severity, String user, String summary) {
        return new Alert(1_700_000_000_000_001L, id, detection, severity, summary, "T1110", 50.0, "10.0.0.9",
                new Endpoint("10.0.0.5", 5432), user, "shop", 1_699_999_940_000_000L, 1_700_000_000_000_000L,
                Map.of("failures", 12), Map.of(), List.of("login failed"), 0);
    }
}
