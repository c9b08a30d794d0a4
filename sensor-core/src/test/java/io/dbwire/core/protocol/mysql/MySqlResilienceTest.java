package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.column;
import static io.dbwire.core.protocol.mysql.MySqlBytes.err;
import static io.dbwire.core.protocol.mysql.MySqlBytes.ok;
import static io.dbwire.core.protocol.mysql.MySqlBytes.okEof;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static io.dbwire.core.protocol.mysql.MySqlBytes.query;
import static io.dbwire.core.protocol.mysql.MySqlBytes.textRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.GapInfo;
import io.dbwire.core.record.RecordJson;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.Direction;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MySqlResilienceTest {

    /** A whole connection touching every kind of exchange; deliveries as a client and server would send them. */
    static MySqlScript fullSession() {
        return MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, query("SELECT id, name FROM t WHERE id > 5"))
                .server(1100, payload().lenenc(2).packet(1), column(2, "id"), column(3, "name"),
                        textRow(4, "6", "six"), textRow(5, "7", null), okEof(6, 2))
                .client(2000, query("SELECT 1; DELETE FROM t WHERE id = 3"))
                .server(2100, payload().lenenc(1).packet(1), column(2, "1"), textRow(3, "1"),
                        okEof(4, 2 | MySqlWire.SERVER_MORE_RESULTS_EXISTS), ok(5, 1, 2))
                .client(3000, payload().int1(MySqlWire.COM_STMT_PREPARE).str("UPDATE t SET a = ? WHERE id = ?")
                        .packet(0))
                .server(3100, payload().int1(0).int4(1).int2(0).int2(2).int1(0).int2(0).packet(1),
                        column(2, "?"), column(3, "?"))
                .client(4000, payload().int1(MySqlWire.COM_STMT_EXECUTE).int4(1).int1(0).int4(1).int1(0).int1(1)
                        .int2(3).int2(3).int4(5).int4(6).packet(0))
                .server(4100, ok(1, 1, 2))
                .client(5000, query("INSERT INTO t VALUES (1)"))
                .server(5100, err(1, 1062, "23000", "Duplicate entry '1' for key 'PRIMARY'"))
                .client(6000, payload().int1(MySqlWire.COM_QUIT).packet(0));
    }

    static List<String> json(MySqlScript.Result r) {
        return r.records().stream().map(RecordJson::toJson).collect(Collectors.toList());
    }

    @Test
    void fullSessionRecords() {
        MySqlScript.Result r = fullSession().run();
        assertThat(r.records()).extracting(x -> x.statement() == null ? x.kind().json() : x.statement().operation())
                .containsExactly("login", "SELECT", "SELECT", "DELETE", "PREPARE", "UPDATE", "INSERT", "QUIT");
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
        assertThat(r.count(MySqlEvent.UNMATCHED_RESPONSE)).isZero();
    }

    @Test
    void everySplitPointGivesTheSameRecords() {
        List<String> whole = json(fullSession().run());
        int longest = fullSession().steps().stream().mapToInt(s -> s.bytes().length).max().orElse(0);
        for (int at = 1; at < longest; at++) {
            assertThat(json(fullSession().runSplitAt(at))).as("split at %d", at).isEqualTo(whole);
        }
        for (int chunk = 1; chunk <= 17; chunk++) {
            assertThat(json(fullSession().run(chunk))).as("chunks of %d", chunk).isEqualTo(whole);
        }
    }

    @Test
    void gapInTheAnswerMakesTheStatementIncompleteAndTheNextOneIsFollowed() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, query("SELECT * FROM big"))
                .server(1100, payload().lenenc(1).packet(1), column(2, "v"), textRow(3, "a"))
                .gap(Direction.SERVER_TO_CLIENT, 1200, 50_000)
                .server(1300, textRow(200, "z"), okEof(201, 2))
                .client(2000, query("SELECT 2"))
                .server(2100, payload().lenenc(1).packet(1), column(2, "2"), textRow(3, "2"), okEof(4, 2))
                .run();
        List<TransactionRecord> s = r.records().stream().filter(x -> x.kind() == RecordKind.STATEMENT)
                .collect(Collectors.toList());
        assertThat(s).extracting(TransactionRecord::status).containsExactly(RecordStatus.INCOMPLETE, RecordStatus.OK);
        assertThat(s.get(0).response().rows()).isEqualTo(1);
        assertThat(s.get(0).response().durationUs()).isNull();
        assertThat(s.get(0).gaps()).as("the hole that cut it").isEqualTo(new GapInfo(0, 50_000));
        assertThat(s.get(1).response().rows()).isEqualTo(1);
        assertThat(s.get(1).gaps()).isNull();
        assertThat(r.count(MySqlEvent.GAPS)).isEqualTo(1);
    }

    /**
     * After a hole, an answer that goes out of sequence shows that part of it is missing: the statement ends
     * incomplete then (not during the hole), and carries the hole, like the records emitted during it. Once an
     * answer completed in step, later records owe the hole nothing.
     */
    @Test
    void aStatementFoundCutLaterByAnAnswerOutOfSequenceCarriesTheHole() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, query("SELECT 1"))
                .server(1100, payload().lenenc(1).packet(1), column(2, "1"), textRow(3, "1"), okEof(4, 2))
                .gap(Direction.CLIENT_TO_SERVER, 1500, 40) // a command the mirror lost
                .client(2000, query("SELECT 2"))
                .server(2100, payload().lenenc(1).packet(1), column(2, "v"), textRow(5, "x"), okEof(6, 2))
                .client(3000, query("SELECT 3"))
                .server(3100, payload().lenenc(1).packet(1), column(2, "3"), textRow(3, "3"), okEof(4, 2))
                .run();
        List<TransactionRecord> s = r.records().stream().filter(x -> x.kind() == RecordKind.STATEMENT)
                .collect(Collectors.toList());
        assertThat(s).extracting(x -> x.statement().text()).containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
        assertThat(s).extracting(TransactionRecord::status).containsExactly(RecordStatus.OK,
                RecordStatus.INCOMPLETE, RecordStatus.OK);
        assertThat(s.get(0).gaps()).isNull();
        assertThat(s.get(1).gaps()).as("cut after the hole, found out later").isEqualTo(new GapInfo(40, 0));
        assertThat(s.get(2).gaps()).as("an answer completed in step since").isNull();
        assertThat(r.count(MySqlEvent.GAP_INCOMPLETE_STATEMENTS)).isEqualTo(1);
        assertThat(r.count(MySqlEvent.INCOMPLETE_STATEMENTS)).isEqualTo(1);
    }

    @Test
    void midStreamPickupConfirmsBoundariesBeforeTrustingThem() {
        byte[] tail = textRow(9, "in the middle of an old result set");
        MySqlScript.Result r = MySqlScript.connection().midStream()
                .server(0, java.util.Arrays.copyOfRange(tail, 7, tail.length), textRow(10, "x"), okEof(11, 2))
                .client(1000, query("SELECT a FROM t"))
                .server(1100, payload().lenenc(1).packet(1), column(2, "a"), textRow(3, "1"), textRow(4, "2"),
                        okEof(5, 2))
                .client(2000, query("UPDATE t SET a = 1"))
                .server(2100, ok(1, 2, 2))
                .run();
        assertThat(r.records()).as(r.counters().nonZero().toString()).extracting(x -> x.statement().text())
                .containsExactly("SELECT a FROM t", "UPDATE t SET a = 1");
        assertThat(r.records().get(0).status()).as(r.counters().nonZero().toString()).isEqualTo(RecordStatus.OK);
        assertThat(r.records()).allSatisfy(x -> {
            assertThat(x.session().midStream()).isTrue();
            assertThat(x.session().user()).isNull();
            assertThat(x.status()).isEqualTo(RecordStatus.OK);
        });
        assertThat(r.records().get(0).response().rows()).isEqualTo(2);
        assertThat(r.records().get(1).response().rowsAffected()).isEqualTo(2);
    }

    @Test
    void absurdLengthIsCountedAndTheStreamResynchronises() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, MySqlBytes.hex("ff ff fe 00 03 53 45 4c"))       // 16 MiB - 2 claimed, over the max
                .client(2000, query("SELECT 5"))
                .server(2100, ok(1, 0, 2))
                .run(Integer.MAX_VALUE, new io.dbwire.core.config.ProtocolConfig(java.util.Set.of(),
                        java.util.Set.of(3306), io.dbwire.core.config.StatementMode.FULL, 16_384, 1 << 20));
        assertThat(r.count(MySqlEvent.OVERSIZED_LENGTH)).isEqualTo(1);
        assertThat(r.records()).filteredOn(x -> x.kind() == RecordKind.STATEMENT)
                .extracting(x -> x.statement().text()).containsExactly("SELECT 5");
        assertThat(r.count(MySqlEvent.INTERNAL_ERROR_RESYNCED)).isZero();
    }

    @Test
    void sequenceViolationIsCountedAndTheReceivedIdAdopted() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, query("SELECT 1"))
                .server(1100, payload().lenenc(1).packet(1), column(7, "1"), textRow(8, "1"), okEof(9, 2))
                .run();
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isEqualTo(1);
        assertThat(r.records().get(1).response().rows()).isEqualTo(1);
    }

    @Test
    void encryptedConnectionPickedUpMidStreamIsOneTlsRecord() {
        MySqlScript.Result r = MySqlScript.connection().midStream()
                .client(0, MySqlBytes.hex("17 03 03 00 05 aa bb cc dd ee"   // application_data, 5 bytes
                        + "17 03 03 00 02 11 22"))                          // and another record
                .server(10, MySqlBytes.hex("17 03 03 00 03 01 02 03"))
                .run();
        assertThat(r.records()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(RecordKind.TLS);
            assertThat(t.session().midStream()).isTrue();
            assertThat(t.request().bytes()).isEqualTo(17); // all of it is TLS
            assertThat(t.tls().client().records()).isEqualTo(2);
            assertThat(t.tls().turns().count()).isEqualTo(1);
        });
    }

    @Test
    void serverAnswerWithoutCommandIsCounted() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .server(1000, ok(1, 0, 2))
                .run();
        assertThat(r.count(MySqlEvent.UNMATCHED_RESPONSE)).isEqualTo(1);
        assertThat(r.records()).hasSize(1);
    }
}
