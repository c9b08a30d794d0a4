package io.dbwire.core.protocol.sensitive;

/**
 * How a value of each MySQL column type is laid out in a binary result row.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row_value
 */
final class MySqlBinaryTypes {
    private MySqlBinaryTypes() {}

    /** Bytes of a fixed-size value (integers, floats, NULL), or -1 for the other layouts. */
    static int fixedSize(int type) {
        switch (type) {
            case 1: // TINY
                return 1;
            case 2: // SHORT
            case 13: // YEAR
                return 2;
            case 3: // LONG
            case 9: // INT24
            case 4: // FLOAT
                return 4;
            case 8: // LONGLONG
            case 5: // DOUBLE
                return 8;
            case 6: // NULL
                return 0;
            default:
                return -1;
        }
    }

    /** Dates and times: one length byte, then that many bytes. */
    static boolean lengthByte(int type) {
        switch (type) {
            case 7: // TIMESTAMP
            case 10: // DATE
            case 11: // TIME
            case 12: // DATETIME
            case 14: // NEWDATE
            case 17: // TIMESTAMP2
            case 18: // DATETIME2
            case 19: // TIME2
                return true;
            default:
                return false; // everything else is a length-encoded string
        }
    }
}
