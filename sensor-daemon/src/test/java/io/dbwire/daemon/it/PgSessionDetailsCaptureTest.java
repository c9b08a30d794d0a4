package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.TransactionRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
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

/**
 * Real PostgreSQL 15: a COMMIT of a failed transaction (the server answers with the tag ROLLBACK), psql with an
 * empty application_name, and a client asking for protocol 3.2 that the server lowers to 3.0 with
 * NegotiateProtocolVersion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgSessionDetailsCaptureTest {
    private PostgresServer server;
    private CaptureReplay.Result replay;
    private ServerLog log;
    private byte[] negotiated;

    @BeforeAll
    void capture() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(PostgresServer.available() && LoopbackCapture.available(),
                    "needs root, tcpdump and Debian's postgresql-15 (CI installs them)");
        }
        Path work = Files.createTempDirectory("dbwire-pg-details");
        server = PostgresServer.start();
        Path capture = work.resolve("details.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture)) {
            // psql goes on after an error in a script: the COMMIT reaches the server inside a failed transaction.
            server.psql("disable", PostgresServer.APP_PASSWORD, "txn", List.of(),
                    "CREATE TABLE acct (id int PRIMARY KEY);\nBEGIN;\nINSERT INTO acct VALUES (1);\n"
                            + "INSERT INTO acct VALUES (1);\nCOMMIT;\nBEGIN;\nINSERT INTO acct VALUES (2);\nCOMMIT;\n");
            server.psql("disable", PostgresServer.APP_PASSWORD, "", List.of("-c", "SELECT 1"), null);
            negotiated = startupAskingFor32();
            tcpdump.stop();
        }
        server.stop();
        log = ServerLog.read(server.csvLog());
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        replay = CaptureReplay.replay(capture, new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(Set.of(server.port()), p.mysqlPorts(), StatementMode.FULL, p.maxStatementBytes(),
                        p.maxMessageBytes()), d.detection()));
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCommitOfAFailedTransactionSaysItRolledBack() {
        List<TransactionRecord> commits = statements().stream()
                .filter(r -> "COMMIT".equals(r.statement().operation())).collect(Collectors.toList());
        assertThat(commits).hasSize(2);
        assertThat(commits.get(0).status()).isEqualTo(RecordStatus.OK);
        assertThat(commits.get(0).response().commandTag()).isEqualTo("ROLLBACK");
        assertThat(commits.get(0).response().transaction()).isEqualTo(ResponseInfo.ROLLED_BACK);
        assertThat(commits.get(1).response().commandTag()).isEqualTo("COMMIT");
        assertThat(commits.get(1).response().transaction()).isEqualTo(ResponseInfo.COMMITTED);
        // The server's log: the duplicate key, then both COMMITs as statements.
        List<String> logged = log.connections.values().stream().flatMap(c -> c.statements.stream())
                .map(Object::toString).collect(Collectors.toList());
        assertThat(logged).containsSubsequence("INSERT INTO acct VALUES (1); [23505]", "COMMIT;",
                "INSERT INTO acct VALUES (2);", "COMMIT;");
        assertThat(statements()).filteredOn(r -> r.statement().text().startsWith("INSERT INTO acct VALUES (1)"))
                .extracting(TransactionRecord::status).containsExactly(RecordStatus.OK, RecordStatus.ERROR);
    }

    @Test
    void anEmptyApplicationNameIsNull() {
        TransactionRecord select = statements().stream().filter(r -> "SELECT 1".equals(r.statement().text()))
                .findFirst().orElseThrow();
        assertThat(select.session().application()).isNull();
        assertThat(statements()).filteredOn(r -> r.statement().text().startsWith("CREATE TABLE"))
                .singleElement().satisfies(r -> assertThat(r.session().application()).isEqualTo("txn"));
    }

    @Test
    void theNegotiatedProtocolVersionIsInTheSessionBlock() {
        // PostgreSQL 15 knows 3.0 only: it answered the 3.2 request with NegotiateProtocolVersion, newest minor 0.
        assertThat((char) negotiated[0]).isEqualTo('v');
        List<TransactionRecord> logins = replay.records().stream().filter(r -> r.kind() == RecordKind.LOGIN)
                .collect(Collectors.toList());
        assertThat(logins).hasSize(3).allSatisfy(l -> assertThat(l.session().protocolVersion()).isEqualTo("3.0"));
        TransactionRecord asked32 = logins.get(2);
        assertThat(asked32.session().user()).isEqualTo(PostgresServer.APP_USER);
        assertThat(asked32.status()).isEqualTo(RecordStatus.INCOMPLETE); // we hung up at the password request
        assertThat(statements()).allSatisfy(r -> assertThat(r.session().protocolVersion()).isEqualTo("3.0"));
    }

    private List<TransactionRecord> statements() {
        return replay.records().stream().filter(r -> r.kind() == RecordKind.STATEMENT).collect(Collectors.toList());
    }

    /**
     * A StartupMessage for protocol 3.2 with one protocol option the server does not know; returns the server's
     * first message and hangs up (the SCRAM exchange that follows is not the point).
     */
    private byte[] startupAskingFor32() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeInt(3 << 16 | 2);                                        // protocol 3.2
        for (String s : new String[] {"user", PostgresServer.APP_USER, "database", PostgresServer.DATABASE,
                "_pq_.dbwire_probe", "1", ""}) {
            b.write(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(body.size() + 4);
            out.write(body.toByteArray());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte type = in.readByte();
            int length = in.readInt();
            byte[] message = new byte[length - 4];
            in.readFully(message);
            in.readByte(); // the next message (the authentication request) has begun: the server got past 'v'
            byte[] typed = new byte[1 + message.length];
            typed[0] = type;
            System.arraycopy(message, 0, typed, 1, message.length);
            return typed;
        }
    }
}
