package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.column;
import static io.dbwire.core.protocol.mysql.MySqlBytes.okEof;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static io.dbwire.core.protocol.mysql.MySqlBytes.query;
import static io.dbwire.core.protocol.mysql.MySqlBytes.textRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * zstd protocol compression (MySQL 8.0.18+, CLIENT_ZSTD_COMPRESSION_ALGORITHM): each compressed packet carries one
 * zstd frame. No MySQL 8 server can run here (Debian ships MariaDB, which has no zstd protocol compression), so
 * the frames come from the reference encoder (the zstd 1.5.4 CLI, as libzstd in the server) and from
 * aircompressor's encoder.
 */
class MySqlZstdTest {
    static final long ZSTD = MySqlFixtures.MODERN | MySqlWire.CLIENT_ZSTD_COMPRESSION_ALGORITHM;
    static final String INSERT = "INSERT INTO items VALUES (1,'item 1'),(2,'item 2'),(3,'item 3'),(4,'item 4'),"
            + "(5,'item 5'),(6,'item 6'),(7,'item 7'),(8,'item 8'),(9,'item 9'),(10,'item 10'),(11,'item 11'),"
            + "(12,'item 12')";

    /**
     * COM_QUERY {@link #INSERT} (191 bytes with its header) as `zstd -3 --no-check` 1.5.4 compresses it: one frame
     * with its content size, one compressed block (literals + sequences), no checksum.
     */
    static final byte[] CLI_INSERT = MySqlBytes.hex(
            "79 00 00"                                     // compressed length 121
            + "00"                                         // compressed sequence 0
            + "bf 00 00"                                   // uncompressed length 191
            + "28 b5 2f fd"                                // zstd magic number
            + "20 bf"                                      // frame header: single segment, content size 191
            + "85 03 00"                                   // block header: last block, compressed, 112 bytes
            + "24 04 bb 00 00 00 03 49 4e 53 45 52 54 20 49 4e 54 4f 20 69 74 65 6d 73 20 56 41 4c 55 45 53 20"
            + "28 31 2c 27 20 31 27 29 2c 28 32 32 33 33 34 34 35 35 36 36 37 37 38 38 39 39 31 30 30 31 31 31"
            + "32 32 27 29 16 00 80 04 dc 2b 43 a8 63 60 39 a6 06 82 80 3c 60 19 48 01 f6 40 32 60 05 e4 01 cb"
            + "40 0a b0 07 92 01 2b 20 0f 58 06 33 b7 c8 9a 4f");

    static byte[] answerTwoRows() {
        return MySqlBytes.cat(payload().lenenc(2).packet(1), column(2, "id"), column(3, "name"),
                textRow(4, "6", "six".repeat(30)), textRow(5, "7", "seven".repeat(20)), okEof(6, 2));
    }

    static MySqlScript session() {
        byte[] answer = answerTwoRows();
        int half = answer.length / 2;
        return MySqlFixtures.login(MySqlScript.connection(), ZSTD)
                .client(1000, CLI_INSERT)
                .server(1100, MySqlBytes.zstdCompressed(0, MySqlBytes.ok(1, 12, 2)))
                .client(2000, MySqlBytes.zstdCompressed(1, query("SELECT id, name FROM t WHERE id > 5")))
                // One MySQL result set across two compressed packets, split inside a row.
                .server(2100, MySqlBytes.zstdCompressed(1, Arrays.copyOfRange(answer, 0, half)),
                        MySqlBytes.zstdCompressed(2, Arrays.copyOfRange(answer, half, answer.length)))
                .client(3000, payload().int3(5).int1(2).int3(0)    // raw: uncompressed length 0
                        .bytes(payload().int1(MySqlWire.COM_QUIT).packet(0)).build());
    }

    @Test
    void zstdSessionIsDecompressedAndParsed() {
        assertSession(session().run());
    }

    @Test
    void everySplitPointAndByteByByte() {
        MySqlScript s = session();
        for (int at = 1; at < 200; at++) {
            assertSession(s.runSplitAt(at));
        }
        assertSession(s.run(1));
    }

    private static void assertSession(MySqlScript.Result r) {
        List<TransactionRecord> s = MySqlCommandPhaseTest.statements(r);
        assertThat(s).extracting(x -> x.statement().operation()).containsExactly("INSERT", "SELECT", "QUIT");
        assertThat(s.get(0).statement().text()).isEqualTo(INSERT);
        assertThat(s.get(0).response().rowsAffected()).isEqualTo(12);
        assertThat(s.get(1).response().rows()).isEqualTo(2);
        assertThat(s).allSatisfy(x -> assertThat(x.status()).isEqualTo(RecordStatus.OK));
        assertThat(r.count(MySqlEvent.COMPRESSED_SESSIONS)).isEqualTo(1);
        assertThat(r.count(MySqlEvent.COMPRESSED_PACKETS)).isEqualTo(6);
        assertThat(r.count(MySqlEvent.DECOMPRESSION_FAILURE)).isZero();
        assertThat(r.count(MySqlEvent.COMPRESSION_UNSUPPORTED)).isZero();
        assertThat(r.count(MySqlEvent.SEQUENCE_VIOLATION)).isZero();
    }

    @Test
    void bothFlagsMeanZlib() {
        long caps = ZSTD | MySqlWire.CLIENT_COMPRESS;
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), caps)
                .client(1000, MySqlBytes.compressed(0, query("SELECT 1")))
                .server(1100, MySqlBytes.compressed(0, MySqlBytes.cat(payload().lenenc(1).packet(1), column(2, "1"),
                        textRow(3, "1"), okEof(4, 2))))
                .run();
        assertThat(MySqlCommandPhaseTest.statements(r)).singleElement()
                .satisfies(x -> assertThat(x.response().rows()).isEqualTo(1));
        assertThat(r.count(MySqlEvent.DECOMPRESSION_FAILURE)).isZero();
    }

    @Test
    void corruptFrameIsCountedAndTheStatementIsIncomplete() {
        byte[] bad = CLI_INSERT.clone();
        for (int i = 20; i < bad.length; i += 3) {
            bad[i] ^= 0x5a; // literals and sequences scrambled; the headers still parse
        }
        for (int chunk : new int[] {Integer.MAX_VALUE, 7, 1}) {
            MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), ZSTD)
                    .client(1000, bad)
                    .server(1100, MySqlBytes.zstdCompressed(0, MySqlBytes.ok(1, 12, 2)))
                    .run(chunk);
            assertThat(r.records()).extracting(TransactionRecord::kind).containsExactly(RecordKind.LOGIN);
            assertThat(r.count(MySqlEvent.DECOMPRESSION_FAILURE)).isEqualTo(1);
            assertThat(r.count(MySqlEvent.INTERNAL_ERROR_RESYNCED)).isZero();
        }
    }

    @Test
    void frameOfAnotherSizeThanDeclaredIsAFailure() {
        byte[] frame = MySqlBytes.zstdCompressed(0, query("SELECT 1"));
        frame[4]++; // uncompressed length one more than the frame holds
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), ZSTD).client(1000, frame).run();
        assertThat(r.count(MySqlEvent.DECOMPRESSION_FAILURE)).isEqualTo(1);
        assertThat(r.count(MySqlEvent.INTERNAL_ERROR_RESYNCED)).isZero();
    }

    @Test
    void truncatedFrameIsAFailure() {
        byte[] whole = MySqlBytes.zstdCompressed(0, query(INSERT));
        byte[] cut = Arrays.copyOf(whole, whole.length - 4);
        cut[0] -= 4; // the compressed length says so too: the frame itself ends early
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), ZSTD).client(1000, cut).run();
        assertThat(r.count(MySqlEvent.DECOMPRESSION_FAILURE)).isEqualTo(1);
        assertThat(r.count(MySqlEvent.INTERNAL_ERROR_RESYNCED)).isZero();
    }

    @Test
    void declaredLengthAboveTheBoundIsRefusedBeforeAnyBuffer() {
        ProtocolConfig small = new ProtocolConfig(Set.of(), Set.of(3306), StatementMode.FULL, 16_384, 1024);
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), ZSTD)
                .client(1000, payload().int3(20).int1(0).int3(0xFFFFFF).zeros(20).build()) // claims 16 MiB
                .run(Integer.MAX_VALUE, small);
        assertThat(r.count(MySqlEvent.DECOMPRESSION_FAILURE)).isEqualTo(1);
        assertThat(r.count(MySqlEvent.COMPRESSED_PACKETS)).isZero();
    }
}
