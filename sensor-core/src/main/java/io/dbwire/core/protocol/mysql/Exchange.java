package io.dbwire.core.protocol.mysql;

import io.dbwire.core.record.StatementInfo;
import java.util.List;

/**
 * One command in flight and what its answer must look like next. The request decides the expected response
 * (Zeek's mysql analyzer does the same): a COM_QUERY expects OK, ERR, a LOCAL INFILE request or a result set;
 * a COM_STMT_PREPARE expects PREPARE_OK and its definitions; and so on. A COM_QUERY holds one run per statement
 * of its split text; each result (ended without SERVER_MORE_RESULTS_EXISTS, or by the next result) completes one.
 */
final class Exchange {
    enum Expect {
        /** OK, ERR, LOCAL INFILE request (COM_QUERY only) or a column count starting a result set. */
        RESULT,
        /** Column definitions still to come. */
        COLUMNS,
        /** The EOF after the column definitions (absent under CLIENT_DEPRECATE_EOF: then a row or terminator). */
        COLUMNS_EOF,
        /** Rows until an EOF/OK terminator or an ERR. */
        ROWS,
        /** PREPARE_OK or ERR. */
        PREPARE,
        /** Parameter and column definitions (and their EOFs) after PREPARE_OK. */
        PREPARE_DEFS,
        /** COM_FIELD_LIST: column definitions until EOF, or ERR. */
        FIELD_LIST,
        /** COM_STATISTICS: one human-readable string packet. */
        STATISTICS,
        /** OK, ERR, or an EOF (COM_SET_OPTION, COM_DEBUG). */
        SIMPLE,
        /** COM_CHANGE_USER: auth switch / more data until OK or ERR. */
        AUTH,
        /** Replication stream after COM_BINLOG_DUMP: absorbed until the connection ends. */
        STREAM
    }

    final int command;
    final List<MySqlRun> runs;
    int index;
    Expect expect;
    /** Sequence id the next server packet of this exchange should carry. */
    int nextSeq = 1;
    long columnsLeft;
    long defsLeft;
    int eofsLeft;
    /** Text of the statement a COM_STMT_PREPARE names, to file under its id once PREPARE_OK arrives. */
    StatementInfo prepared;
    /** COM_INIT_DB schema or COM_CHANGE_USER identity, applied when the server says OK. */
    String schema;
    String user;
    boolean infile;
    /** A server packet of this exchange's answer was accepted. */
    boolean answered;

    Exchange(int command, List<MySqlRun> runs, Expect expect) {
        this.command = command;
        this.runs = runs;
        this.expect = expect;
    }

    MySqlRun run() {
        return runs.get(Math.min(index, runs.size() - 1));
    }

    boolean lastRun() {
        return index >= runs.size() - 1;
    }
}
