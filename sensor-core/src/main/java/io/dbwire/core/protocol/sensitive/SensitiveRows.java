package io.dbwire.core.protocol.sensitive;

import io.dbwire.core.config.SensitiveScanConfig;

/**
 * The opt-in sensitive-data scan of result rows, for one connection (docs/records.md, sensitive data). The
 * framer keeps at most {@link #rowKeep()} bytes of a row in its reused buffer; this walks that prefix value by
 * value (PostgreSQL DataRow, MySQL text and binary rows) and tallies findings into the statement's run. Values
 * are never copied, kept or logged. Off: {@link #on()} is false and nothing here is called.
 */
public final class SensitiveRows {
    /** What a statement's findings are tallied on (the request's run). */
    public interface Target {
        SensitiveTally sensitiveTally();
    }

    /** What the scan reports to its protocol's counters. */
    public interface Events {
        void rowScanned();

        void rowCut();

        void rowSkipped();

        void valuesFound(int n);
    }

    private final SensitiveScanConfig config;
    private final Events counters;
    /** Only with the scan on (168 B a connection with its digit tables; off by default, never called then). */
    private final ValueScanner scanner;
    private Target current;
    private int found;
    /** Set by {@link #lenenc}: the value's length and first byte. */
    private long valueLength;
    private int valueStart;
    private final ValueScanner.Findings sink = (column, kind) -> {
        current.sensitiveTally().found(column, kind);
        found++;
    };

    /** The scan off (the default): shared by every connection, since nothing here is called then. */
    public static final SensitiveRows OFF = new SensitiveRows(SensitiveScanConfig.OFF, null);

    /** The scan for {@code config}: {@link #OFF} when it is off, so a connection holds nothing for it. */
    public static SensitiveRows of(SensitiveScanConfig config, java.util.function.Supplier<Events> counters) {
        return config == null || !config.enabled() ? OFF : new SensitiveRows(config, counters.get());
    }

    public SensitiveRows(SensitiveScanConfig config, Events counters) {
        this.config = config == null ? SensitiveScanConfig.OFF : config;
        this.counters = counters;
        this.scanner = this.config.enabled() ? new ValueScanner() : null;
    }

    public boolean on() {
        return config.enabled();
    }

    /** Bytes of a row the framer keeps for the scan. */
    public int rowKeep() {
        return config.maxRowBytes();
    }

    /**
     * A DataRow body: int16 column count, then per column int32 length (-1: NULL) and the value.
     * https://www.postgresql.org/docs/current/protocol-message-formats.html
     *
     * @param rowNumber 1-based row of the statement's result
     */
    public void postgresDataRow(byte[] body, int kept, long declared, Target run, long rowNumber) {
        if (!admit(run, rowNumber)) {
            return;
        }
        int columns = kept >= 2 ? u16(body, 0) : 0;
        int at = 2;
        for (int c = 0; c < columns && at + 4 <= kept; c++) {
            int len = s32(body, at);
            at += 4;
            if (len < 0) {
                continue;
            }
            int end = (int) Math.min((long) at + len, kept);
            scanner.scan(body, at, end, c, sink);
            at = end;
        }
        finish(run, declared > kept);
    }

    /** A text result row: per column a length-encoded string, or 0xFB for NULL. */
    public void mysqlTextRow(byte[] body, int kept, long length, Target run, long rowNumber) {
        if (!admit(run, rowNumber)) {
            return;
        }
        int at = 0;
        for (int c = 0; at < kept; c++) {
            int first = body[at] & 0xff;
            if (first == 0xFB) {
                at++;
                continue;
            }
            if (!lenenc(body, at, kept)) {
                break;
            }
            int end = (int) Math.min(valueStart + valueLength, kept);
            scanner.scan(body, valueStart, end, c, sink);
            at = end;
        }
        finish(run, length > kept);
    }

    /**
     * A binary result row: 0x00, a NULL bitmap of (columns + 7 + 2) / 8 bytes, then each non-NULL value in its
     * column type's binary form; only string-like values are scanned. {@code types} null: the column
     * definitions were not seen (metadata skipped, a cursor fetch), the row is skipped and counted.
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html
     */
    public void mysqlBinaryRow(byte[] body, int kept, long length, byte[] types, int columns, Target run,
            long rowNumber) {
        if (types == null || columns <= 0 || columns > types.length) {
            skip(run);
            return;
        }
        if (!admit(run, rowNumber)) {
            return;
        }
        int bitmap = (columns + 7 + 2) / 8;
        int at = 1 + bitmap;
        for (int c = 0; c < columns && at < kept; c++) {
            int bit = c + 2;
            if (1 + bit / 8 < kept && (body[1 + bit / 8] & (1 << (bit % 8))) != 0) {
                continue; // NULL
            }
            int fixed = MySqlBinaryTypes.fixedSize(types[c] & 0xff);
            if (fixed >= 0) {
                at += fixed;
                continue;
            }
            if (MySqlBinaryTypes.lengthByte(types[c] & 0xff)) {
                at += 1 + (body[at] & 0xff); // at < kept: checked by the loop
                continue;
            }
            if (!lenenc(body, at, kept)) {
                break;
            }
            int end = (int) Math.min(valueStart + valueLength, kept);
            scanner.scan(body, valueStart, end, c, sink);
            at = end;
        }
        finish(run, length > kept);
    }

    private boolean admit(Target run, long rowNumber) {
        if (rowNumber > config.maxRowsPerStatement()) {
            skip(run);
            return false;
        }
        current = run;
        found = 0;
        return true;
    }

    private void skip(Target run) {
        run.sensitiveTally().rowSkipped();
        counters.rowSkipped();
    }

    private void finish(Target run, boolean cut) {
        counters.rowScanned();
        if (cut) {
            run.sensitiveTally().rowCut();
            counters.rowCut();
        }
        if (found > 0) {
            counters.valuesFound(found);
        }
        current = null;
    }

    /** Reads a length-encoded length at {@code at}; false when the kept prefix ends inside it. */
    private boolean lenenc(byte[] b, int at, int kept) {
        int first = b[at] & 0xff;
        int size = first < 0xFB ? 0 : first == 0xFC ? 2 : first == 0xFD ? 3 : first == 0xFE ? 8 : -1;
        if (size < 0 || at + 1 + size > kept) {
            return false;
        }
        long len = size == 0 ? first : 0;
        for (int k = 0; k < size; k++) {
            len |= (long) (b[at + 1 + k] & 0xff) << (8 * k);
        }
        valueLength = len < 0 ? Long.MAX_VALUE / 2 : len;
        valueStart = at + 1 + size;
        return true;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int s32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
