package io.dbwire.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real MariaDB with three authentication plugins (mysql_native_password, ed25519, and PAM with
 * pam_use_cleartext_plugin, which switches the client to mysql_clear_password), driven by libmariadb through
 * Python's MySQLdb, which also sends COM_CHANGE_USER — once accepted (with an auth switch to client_ed25519) and
 * once refused. The records must show the plugin after every switch and put the refusal under the user it refused.
 * Last, libmariadb's mysql_list_fields sends a COM_FIELD_LIST, whose record names the table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbAuthPluginsCaptureTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String PAM_SERVICE = "dbwire-test-no-such-service";

    /** One connection per step; each prints a line the test checks, so a client-side surprise shows at once. */
    private static final String WORKLOAD = String.join("\n",
            "import sys, MySQLdb",
            "port = int(sys.argv[1])",
            "def connect(user, password):",
            "    return MySQLdb.connect(host='127.0.0.1', port=port, user=user, passwd=password, db='shop')",
            "for user, password in (('nat', 'nat-pw'), ('edu', 'edu-pw')):",
            "    c = connect(user, password); cur = c.cursor(); cur.execute('SELECT CURRENT_USER()')",
            "    print('login', user, cur.fetchone()[0]); c.close()",
            "try:",
            "    connect('pamu', 'pam-secret')",
            "    print('pam', 'accepted')",
            "except MySQLdb.OperationalError as e:",
            "    print('pam', e.args[0])",
            "c = connect('nat', 'nat-pw')",
            "c.change_user('edu', 'edu-pw', 'shop')",
            "cur = c.cursor(); cur.execute('SELECT CURRENT_USER()'); print('changed', cur.fetchone()[0])",
            "try:",
            "    c.change_user('mallory', 'wrong', 'shop')",
            "    print('refused', 'accepted')",
            "except MySQLdb.OperationalError as e:",
            "    print('refused', e.args[0])",
            // COM_FIELD_LIST through libmariadb's own mysql_list_fields (MySQLdb does not expose it).
            "import ctypes",
            "lib = ctypes.CDLL('libmariadb.so.3')",
            "lib.mysql_init.restype = ctypes.c_void_p",
            "lib.mysql_real_connect.restype = ctypes.c_void_p",
            "lib.mysql_real_connect.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,",
            "                                   ctypes.c_char_p, ctypes.c_uint, ctypes.c_char_p, ctypes.c_ulong]",
            "lib.mysql_list_fields.restype = ctypes.c_void_p",
            "lib.mysql_list_fields.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]",
            "lib.mysql_num_fields.argtypes = [ctypes.c_void_p]",
            "lib.mysql_free_result.argtypes = [ctypes.c_void_p]",
            "lib.mysql_close.argtypes = [ctypes.c_void_p]",
            "m = lib.mysql_init(None)",
            "if lib.mysql_real_connect(m, b'127.0.0.1', b'nat', b'nat-pw', b'shop', port, None, 0):",
            "    res = lib.mysql_list_fields(m, b'acct', b'i%')",
            "    print('fieldlist', lib.mysql_num_fields(res) if res else 'failed')",
            "    if res: lib.mysql_free_result(res)",
            "lib.mysql_close(m)",
            "");

    private MariaDbServer server;
    private String clientOutput;
    private CaptureReplay.Result replay;
    private List<MariaDbGeneralLog.Connection> log;

    @BeforeAll
    void captureLogins() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(MariaDbServer.available() && LoopbackCapture.available() && Files.isExecutable(PYTHON),
                    "needs root, tcpdump, Debian's mariadb-server and python3-mysqldb (CI installs them)");
        }
        Path work = Files.createTempDirectory("dbwire-mariadb-auth");
        server = MariaDbServer.start(List.of("--plugin-load-add=auth_ed25519", "--plugin-load-add=auth_pam",
                "--pam-use-cleartext-plugin=ON"));
        server.adminSql(String.join(" ",
                "CREATE USER 'nat'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('nat-pw');",
                "CREATE USER 'edu'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('edu-pw');",
                "CREATE USER 'pamu'@'%' IDENTIFIED VIA pam USING '" + PAM_SERVICE + "';",
                "GRANT ALL ON shop.* TO 'nat'@'%', 'edu'@'%', 'pamu'@'%';",
                "CREATE TABLE shop.acct (id int, info text, name text);"));
        Path capture = work.resolve("auth.pcap");
        try (LoopbackCapture tcpdump = LoopbackCapture.start(server.port(), capture)) {
            ExternalProcess.Result r = ExternalProcess.run(List.of(PYTHON.toString(), "-c", WORKLOAD,
                    Integer.toString(server.port())), Map.of(), null, 120);
            clientOutput = r.output();
            tcpdump.stop();
        }
        server.stop();
        log = MariaDbGeneralLog.read(server.generalLog());
        SensorConfig d = SensorConfig.defaults();
        ProtocolConfig p = d.protocols();
        replay = CaptureReplay.replay(capture, new SensorConfig(d.decap(), d.tcp(),
                new ProtocolConfig(p.postgresPorts(), Set.of(server.port()), StatementMode.FULL,
                        p.maxStatementBytes(), p.maxMessageBytes()), d.detection()));
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theClientSawWhatTheScriptExpects() {
        assertThat(clientOutput).contains("login nat nat@%", "login edu edu@%", "changed edu@%", "refused 1045");
        // PAM without a service file refuses, but only after the switch to mysql_clear_password and the password.
        assertThat(clientOutput).contains("pam 1045");
    }

    @Test
    void eachLoginShowsThePluginAfterItsSwitches() {
        Map<String, String> byUser = new LinkedHashMap<>();
        for (TransactionRecord l : logins()) {
            byUser.putIfAbsent(l.session().user() + " " + l.status(), l.session().authMethod());
        }
        assertThat(byUser).containsEntry("nat OK", "mysql_native_password")
                .containsEntry("edu OK", "client_ed25519")
                .containsEntry("pamu ERROR", "mysql_clear_password");
    }

    @Test
    void aClearTextPasswordSwitchRaisesTlsDowngrade() {
        assertThat(replay.alerts()).extracting(Alert::detection).contains("tls_downgrade");
        TransactionRecord pam = logins().stream().filter(l -> "pamu".equals(l.session().user())).findFirst()
                .orElseThrow();
        assertThat(pam.session().clearTextPassword()).isTrue();
        assertThat(pam.error().code()).isEqualTo("1045");
    }

    @Test
    void changeUserIsALoginWithItsOwnPluginAndARefusalBelongsToTheAttemptedUser() {
        List<TransactionRecord> changing = connectionWithLogins(3);
        List<TransactionRecord> logins = changing.stream().filter(r -> r.kind() == RecordKind.LOGIN)
                .collect(Collectors.toList());
        assertThat(logins).extracting(r -> r.session().user(), TransactionRecord::status,
                r -> r.session().authMethod())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("nat", RecordStatus.OK, "mysql_native_password"),
                        org.assertj.core.groups.Tuple.tuple("edu", RecordStatus.OK, "client_ed25519"),
                        org.assertj.core.groups.Tuple.tuple("mallory", RecordStatus.ERROR,
                                "mysql_native_password"));
        assertThat(logins.get(2).error().code()).isEqualTo("1045");
        // The SELECT between the two changes ran as edu, as the server says ("changed edu@%").
        assertThat(changing).filteredOn(r -> r.kind() == RecordKind.STATEMENT
                && "SELECT CURRENT_USER()".equals(r.statement().text()))
                .singleElement().satisfies(s -> assertThat(s.session().user()).isEqualTo("edu"));
    }

    @Test
    void theGeneralLogAgreesOnTheUsers() {
        List<String> logged = new ArrayList<>();
        for (MariaDbGeneralLog.Connection c : log) {
            for (MariaDbGeneralLog.Command cmd : c.commands) {
                if (cmd.name().equals("Connect") || cmd.name().equals("Change user")) {
                    logged.add(cmd.name() + " " + cmd.argument().split("@")[0]);
                }
            }
        }
        assertThat(logged).as("general log").containsSubsequence("Connect nat", "Connect edu", "Connect nat",
                "Change user edu");
    }

    @Test
    void fieldListRecordsNameTheTable() {
        assertThat(clientOutput).contains("fieldlist 2"); // id and info match i%
        assertThat(replay.records()).filteredOn(r -> r.kind() == RecordKind.STATEMENT
                && "FIELD_LIST".equals(r.statement().operation()))
                .singleElement().satisfies(r -> {
                    assertThat(r.statement().text()).isEqualTo("COM_FIELD_LIST acct i%");
                    assertThat(r.status()).isEqualTo(RecordStatus.OK);
                });
        assertThat(log.stream().flatMap(c -> c.commands.stream()).map(MariaDbGeneralLog.Command::name))
                .contains("Field List");
    }

    private List<TransactionRecord> logins() {
        return replay.records().stream().filter(r -> r.kind() == RecordKind.LOGIN).collect(Collectors.toList());
    }

    /** The records of the first connection with {@code n} login records. */
    private List<TransactionRecord> connectionWithLogins(int n) {
        Map<Long, List<TransactionRecord>> byConnection = new LinkedHashMap<>();
        for (TransactionRecord r : replay.records()) {
            byConnection.computeIfAbsent(r.connectionId(), k -> new ArrayList<>()).add(r);
        }
        return byConnection.values().stream()
                .filter(rs -> rs.stream().filter(r -> r.kind() == RecordKind.LOGIN).count() == n)
                .findFirst().orElseThrow(() -> new AssertionError("no connection with " + n + " logins: "
                        + replay.records()));
    }
}
