package io.dbwire.core.protocol.sensitive;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.config.SensitiveScanConfig;
import io.dbwire.core.protocol.postgres.PgEvent;
import io.dbwire.core.protocol.session.RequestRun;
import io.dbwire.core.record.SensitiveCounts;
import io.dbwire.core.util.ReasonCounters;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SensitiveRowsTest {
    private final ReasonCounters<PgEvent> reasons = new ReasonCounters<>(PgEvent.class);
    /** The protocol's counters, as RecordEmitter wires them. */
    private final SensitiveRows.Events counters = new SensitiveRows.Events() {
        @Override
        public void rowScanned() {
            reasons.increment(PgEvent.SENSITIVE_ROWS_SCANNED);
        }

        @Override
        public void rowCut() {
            reasons.increment(PgEvent.SENSITIVE_ROWS_CUT);
        }

        @Override
        public void rowSkipped() {
            reasons.increment(PgEvent.SENSITIVE_ROWS_SKIPPED);
        }

        @Override
        public void valuesFound(int n) {
            reasons.add(PgEvent.SENSITIVE_VALUES_FOUND, n);
        }
    };

    private SensitiveRows rows(int maxRowBytes, long maxRows) {
        return new SensitiveRows(new SensitiveScanConfig(true, maxRowBytes, maxRows), counters);
    }

    /** DataRow body: int16 count, then int32 length (-1 NULL) and bytes per column. */
    private static byte[] dataRow(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(values.length >> 8);
        out.write(values.length);
        for (String v : values) {
            byte[] b = v == null ? null : v.getBytes(StandardCharsets.UTF_8);
            int len = b == null ? -1 : b.length;
            out.write(len >>> 24);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
            if (b != null) {
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }

    /** MySQL text row: lenenc strings, 0xFB for NULL (values under 251 bytes here). */
    private static byte[] textRow(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String v : values) {
            if (v == null) {
                out.write(0xFB);
                continue;
            }
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            out.write(b.length);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    @Test
    void postgresDataRowCountsPerColumnAndSkipsNulls() {
        SensitiveRows scan = rows(4096, 100);
        RequestRun run = new RequestRun(null);
        byte[] r1 = dataRow("1", "alice@example.com", null, "4111 1111 1111 1111");
        byte[] r2 = dataRow("2", "bob@example.org", "123-45-6788", "none");
        scan.postgresDataRow(r1, r1.length, r1.length, run, 1);
        scan.postgresDataRow(r2, r2.length, r2.length, run, 2);
        SensitiveCounts c = run.sensitiveCounts();
        assertThat(c.card()).isEqualTo(1);
        assertThat(c.nationalId()).isEqualTo(1);
        assertThat(c.email()).isEqualTo(2);
        assertThat(c.columns()).containsExactly(new SensitiveCounts.Column(1, 0, 0, 2),
                new SensitiveCounts.Column(2, 0, 1, 0), new SensitiveCounts.Column(3, 1, 0, 0));
        assertThat(reasons.get(PgEvent.SENSITIVE_ROWS_SCANNED)).isEqualTo(2);
        assertThat(reasons.get(PgEvent.SENSITIVE_VALUES_FOUND)).isEqualTo(4);
    }

    @Test
    void aRowWithNothingFoundAllocatesNoTally() {
        RequestRun run = new RequestRun(null);
        byte[] r = dataRow("1", "plain text", "42");
        rows(4096, 100).postgresDataRow(r, r.length, r.length, run, 1);
        assertThat(run.sensitiveCounts()).isNull();
    }

    @Test
    void aLongRowIsScannedOnlyInItsKeptPrefixAndCountedCut() {
        RequestRun run = new RequestRun(null);
        byte[] r = dataRow("alice@example.com", "x".repeat(100), "4111111111111111");
        int kept = 40; // the framer kept 40 bytes: the card in the third column is beyond them
        rows(40, 100).postgresDataRow(r, kept, r.length, run, 1);
        SensitiveCounts c = run.sensitiveCounts();
        assertThat(c.email()).isEqualTo(1);
        assertThat(c.card()).isZero();
        assertThat(c.rowsCut()).isEqualTo(1);
        assertThat(reasons.get(PgEvent.SENSITIVE_ROWS_CUT)).isEqualTo(1);
    }

    @Test
    void rowsBeyondThePerStatementBoundAreSkippedAndCounted() {
        SensitiveRows scan = rows(4096, 2);
        RequestRun run = new RequestRun(null);
        byte[] r = dataRow("carol@example.net");
        for (int i = 1; i <= 5; i++) {
            scan.postgresDataRow(r, r.length, r.length, run, i);
        }
        assertThat(run.sensitiveCounts().email()).isEqualTo(2);
        assertThat(run.sensitiveCounts().rowsSkipped()).isEqualTo(3);
        assertThat(reasons.get(PgEvent.SENSITIVE_ROWS_SKIPPED)).isEqualTo(3);
    }

    @Test
    void malformedDataRowsNeverReadOutsideTheKeptBytes() {
        RequestRun run = new RequestRun(null);
        SensitiveRows scan = rows(4096, 100);
        byte[][] bad = {{}, {0}, {0, 5}, {0, 1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a'},
            {0, 2, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 0, 0}, {(byte) 0xff, (byte) 0xff, 0, 0, 0, 1}};
        for (byte[] b : bad) {
            scan.postgresDataRow(b, b.length, b.length, run, 1);
        }
        assertThat(reasons.get(PgEvent.SENSITIVE_ROWS_SCANNED)).isEqualTo(bad.length);
    }

    @Test
    void mysqlTextRowWithNulls() {
        RequestRun run = new RequestRun(null);
        byte[] r = textRow("7", null, "dave@example.com", "5555555555554444");
        rows(4096, 100).mysqlTextRow(r, r.length, r.length, run, 1);
        SensitiveCounts c = run.sensitiveCounts();
        assertThat(c.columns()).containsExactly(new SensitiveCounts.Column(2, 0, 0, 1),
                new SensitiveCounts.Column(3, 1, 0, 0));
    }

    @Test
    void mysqlBinaryRowWalksValuesByColumnType() {
        // columns: LONG id, VAR_STRING email, LONGLONG n, DATETIME t (NULL), VAR_STRING card
        byte[] types = {3, (byte) 253, 8, 12, (byte) 253};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x00); // header
        int bitmapBytes = (types.length + 7 + 2) / 8;
        byte[] bitmap = new byte[bitmapBytes];
        int nullColumn = 3;
        bitmap[(nullColumn + 2) / 8] |= (byte) (1 << ((nullColumn + 2) % 8));
        out.write(bitmap, 0, bitmap.length);
        out.write(new byte[] {0x40, 0x40, 0x40, 0x40}, 0, 4); // id: "@@@@" as bytes must not look like text
        byte[] email = "erin@example.com".getBytes(StandardCharsets.UTF_8);
        out.write(email.length);
        out.write(email, 0, email.length);
        out.write(new byte[] {'4', '1', '1', '1', '1', '1', '1', '1'}, 0, 8); // n: 8 bytes that are not text
        byte[] card = "378282246310005".getBytes(StandardCharsets.UTF_8);
        out.write(card.length);
        out.write(card, 0, card.length);
        byte[] r = out.toByteArray();
        RequestRun run = new RequestRun(null);
        rows(4096, 100).mysqlBinaryRow(r, r.length, r.length, types, types.length, run, 1);
        SensitiveCounts c = run.sensitiveCounts();
        assertThat(c.columns()).containsExactly(new SensitiveCounts.Column(1, 0, 0, 1),
                new SensitiveCounts.Column(4, 1, 0, 0));
    }

    @Test
    void binaryRowsWithoutColumnTypesAreSkippedNotGuessed() {
        RequestRun run = new RequestRun(null);
        byte[] r = {0, 0, 3, 'a', '@', 'b'};
        rows(4096, 100).mysqlBinaryRow(r, r.length, r.length, null, 0, run, 1);
        assertThat(run.sensitiveCounts().rowsSkipped()).isEqualTo(1);
        assertThat(run.sensitiveCounts().email()).isZero();
    }
}
