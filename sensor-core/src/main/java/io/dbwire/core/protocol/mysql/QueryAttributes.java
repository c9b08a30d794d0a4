package io.dbwire.core.protocol.mysql;

/**
 * Skips the query attributes that precede COM_QUERY text when CLIENT_QUERY_ATTRIBUTES is on (MySQL 8.0.23+):
 * parameter_count, parameter_set_count, NULL bitmap, new_params_bind_flag, per parameter type and name, then the
 * binary values. Attribute values are never kept. https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html
 */
final class QueryAttributes {
    /** Attributes decoded per query at most; more is treated as a broken body. */
    static final int MAX_ATTRIBUTES = 1024;

    // Binary protocol value types (https://dev.mysql.com/doc/dev/mysql-server/latest/field__types_8h.html)
    private static final int TYPE_DECIMAL = 0x00;
    private static final int TYPE_TINY = 0x01;
    private static final int TYPE_SHORT = 0x02;
    private static final int TYPE_LONG = 0x03;
    private static final int TYPE_FLOAT = 0x04;
    private static final int TYPE_DOUBLE = 0x05;
    private static final int TYPE_NULL = 0x06;
    private static final int TYPE_TIMESTAMP = 0x07;
    private static final int TYPE_LONGLONG = 0x08;
    private static final int TYPE_INT24 = 0x09;
    private static final int TYPE_DATE = 0x0A;
    private static final int TYPE_TIME = 0x0B;
    private static final int TYPE_DATETIME = 0x0C;
    private static final int TYPE_YEAR = 0x0D;

    private QueryAttributes() {}

    /** Returns the number of attributes skipped, or -1 when the body does not hold them. */
    static int skip(MySqlReader r) {
        long count = r.lenenc();
        r.lenenc(); // parameter_set_count, always 1
        if (r.failed() || count < 0 || count > MAX_ATTRIBUTES) {
            return -1;
        }
        if (count == 0) {
            return 0;
        }
        int n = (int) count;
        int bitmapBytes = (n + 7) / 8;
        long[] nulls = new long[(n + 63) / 64];
        for (int i = 0; i < bitmapBytes; i++) {
            int bits = r.int1();
            for (int j = 0; j < 8 && i * 8 + j < n; j++) {
                if ((bits & (1 << j)) != 0) {
                    nulls[(i * 8 + j) / 64] |= 1L << ((i * 8 + j) % 64);
                }
            }
        }
        if (r.int1() != 1) {
            return -1; // without types the values cannot be sized
        }
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = r.int2() & 0xff;
            r.skipLenencString(); // name
        }
        for (int i = 0; i < n && !r.failed(); i++) {
            if ((nulls[i / 64] & (1L << (i % 64))) == 0) {
                skipValue(r, types[i]);
            }
        }
        return r.failed() ? -1 : n;
    }

    private static void skipValue(MySqlReader r, int type) {
        switch (type) {
            case TYPE_NULL -> { }
            case TYPE_TINY -> r.skip(1);
            case TYPE_SHORT, TYPE_YEAR -> r.skip(2);
            case TYPE_LONG, TYPE_INT24, TYPE_FLOAT -> r.skip(4);
            case TYPE_LONGLONG, TYPE_DOUBLE -> r.skip(8);
            case TYPE_DATE, TYPE_DATETIME, TYPE_TIMESTAMP, TYPE_TIME -> r.skip(r.int1());
            case TYPE_DECIMAL -> r.skipLenencString();
            default -> r.skipLenencString(); // strings, blobs, JSON, new decimal, bit, enum, set, geometry
        }
    }
}
