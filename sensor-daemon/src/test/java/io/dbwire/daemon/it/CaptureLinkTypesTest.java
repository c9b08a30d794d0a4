package io.dbwire.daemon.it;

import static io.dbwire.daemon.it.LinkTypeConverter.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.daemon.cli.DbwireCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One real psql session against PostgreSQL 15, captured on Linux loopback (Ethernet), rewritten into every link
 * type a BSD, macOS, OpenBSD or raw-IP capture would have: each must replay to exactly the records of the
 * original. A file whose link layer gives nothing makes {@code dbwire replay} say so and exit 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptureLinkTypesTest {
    private static final int AF_INET = 2;

    private Path work;
    private PostgresServer server;
    private Path ethernet;
    private SensorConfig config;
    private List<String> expected;

    @BeforeAll
    void capturePsql() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's postgresql-15 (CI installs them)");
        }
        work = Files.createTempDirectory("dbwire-linktypes");
        server = PostgresServer.start();
        ethernet = work.resolve("ethernet.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), ethernet)) {
            server.psql("disable", PostgresServer.APP_PASSWORD, "linktypes", List.of(),
                    "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (2);\nSELECT * FROM t;\n");
            tcpdump.stop();
        }
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        config = new SensorConfig(d.decap(), d.tcp(), new ProtocolConfig(Set.of(server.port()), p.mysqlPorts(),
                StatementMode.FULL, p.maxStatementBytes(), p.maxMessageBytes()), d.detection());
        expected = recordsOf(ethernet);
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theEthernetOriginalHoldsTheSession() throws Exception {
        CaptureReplay.Result r = CaptureReplay.replay(ethernet, config);
        assertThat(r.records()).filteredOn(x -> x.kind() == RecordKind.LOGIN).hasSize(1);
        assertThat(r.records()).filteredOn(x -> x.kind() == RecordKind.STATEMENT)
                .extracting(x -> x.statement().text())
                .containsExactly("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2)", "SELECT * FROM t");
    }

    @ParameterizedTest(name = "link type {0} ({1})")
    @CsvSource({
        "0,   null-little-endian",
        "0,   null-big-endian",
        "108, loop",
        "12,  raw",
        "12,  openbsd-loop",
        "14,  raw",
        "101, raw",
        "228, raw",
        "109, enc",
        "9,   ppp",
        "50,  ppp",
        "104, c-hdlc",
        "117, pflog",
        "239, nflog",
        "258, pktap",
    })
    void everyIpLinkTypeGivesTheSameRecords(int linkType, String form) throws Exception {
        Path converted = LinkTypeConverter.convert(ethernet, work.resolve(linkType + "-" + form + ".pcap"), linkType,
                form.equals("pktap"), frame -> header(form, frame));
        assertThat(recordsOf(converted)).isEqualTo(expected);
    }

    @Test
    void anUnsupportedLinkTypeIsOneLineAndExitTwo() throws Exception {
        Path user0 = LinkTypeConverter.convert(ethernet, work.resolve("user0.pcap"), 147, true, frame -> new byte[0]);
        Cli run = Cli.replay(user0);
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.lines().filter(l -> l.startsWith("dbwire: " + user0)))
                .singleElement().asString().contains("nothing read: link type 147 is not supported");
        assertThat(run.out).isEmpty();
    }

    @Test
    void aLinkHeaderWithoutIpIsOneLineAndExitTwo() throws Exception {
        // DLT_NULL naming AF_APPLETALK (16) in front of every packet.
        Path appletalk = LinkTypeConverter.convert(ethernet, work.resolve("appletalk.pcap"), 0, false,
                frame -> bytes(16, 0, 0, 0));
        Cli run = Cli.replay(appletalk);
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.lines().filter(l -> l.startsWith("dbwire: ")).collect(Collectors.toList()))
                .singleElement().asString().contains("nothing read: no IPv4 or IPv6 packet")
                .contains("link type 0 null: not_ip=");
    }

    @Test
    void aReadableFileNextToAnUnreadableOneStillGivesItsRecords() throws Exception {
        Path user0 = LinkTypeConverter.convert(ethernet, work.resolve("user0b.pcap"), 147, true, frame -> new byte[0]);
        Cli run = Cli.replay(ethernet, user0);
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out.lines().filter(l -> l.contains("\"kind\":\"login\""))).hasSize(1);
        assertThat(run.err).doesNotContain("dbwire: " + ethernet);
    }

    private static byte[] header(String form, byte[] frame) {
        boolean v6 = LinkTypeConverter.etherType(frame) == 0x86DD;
        int family = v6 ? 30 : AF_INET;
        switch (form) {
            case "null-little-endian":
                return bytes(family, 0, 0, 0);
            case "null-big-endian":
            case "loop":
            case "openbsd-loop":
                return bytes(0, 0, 0, family);
            case "raw":
                return new byte[0];
            case "enc":
                return bytes(family, 0, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 0);
            case "ppp":
                return bytes(0xFF, 0x03, 0x00, v6 ? 0x57 : 0x21);
            case "c-hdlc":
                return bytes(0x0F, 0x00, frame[12], frame[13]);
            case "pflog": {
                byte[] h = new byte[48]; // FreeBSD's pfloghdr: length 45 padded to 48
                h[0] = 45;
                h[1] = (byte) family;
                return h;
            }
            case "nflog": {
                int tlv = 4 + frame.length - 14;
                return bytes(AF_INET, 0, 0, 0, 8, 0, 1, 0, 8, 0, 0, 0, tlv & 0xFF, tlv >> 8, 9, 0);
            }
            case "pktap":
                return bytes(12, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0); // length 12, next: Ethernet
            default:
                throw new IllegalArgumentException(form);
        }
    }

    private List<String> recordsOf(Path capture) throws Exception {
        CaptureReplay.Result r = CaptureReplay.replay(capture, config);
        assertThat(r.summary().nothingRead()).isEmpty();
        return r.records().stream().map(RecordJson::toJson).collect(Collectors.toList());
    }

    /** {@code dbwire replay} in-process, as a user runs it. */
    private static final class Cli {
        int exit;
        String out;
        String err;

        static Cli replay(Path... files) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String[] args = new String[files.length + 1];
            args[0] = "replay";
            for (int i = 0; i < files.length; i++) {
                args[i + 1] = files[i].toString();
            }
            Cli c = new Cli();
            c.exit = DbwireCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), args);
            c.out = out.toString(StandardCharsets.UTF_8);
            c.err = err.toString(StandardCharsets.UTF_8);
            return c;
        }
    }
}
