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

    int command;
    final List<MySqlRun> runs;
    /**
     * {@code runs.get(0)} (null for no runs): nearly every exchange has one run, and {@link #run()} is asked for
     * every packet of the answer, so a result set's rows need no call into the list (an ArrayList or List12).
     */
    private final MySqlRun first;
    int index;
    Expect expect;
    /** Sequence id the next server packet of this exchange should carry. */
    int nextSeq = 1;
    private long columnsLeft;
    private long defsLeft;
    private int eofsLeft;
    /** Text of the statement a COM_STMT_PREPARE names, to file under its id once PREPARE_OK arrives. */
    StatementInfo prepared;
    /** A COM_STMT_PREPARE's answer gave its statement id. */
    boolean idKnown;
    /** A COM_STMT_EXECUTE of an id the catalog lacks: the one statement it can be, if the server accepts it. */
    StatementInfo soleCandidate;
    long statementId;
    /** COM_INIT_DB schema or COM_CHANGE_USER identity, applied when the server says OK. */
    String schema;
    String user;
    /** COM_CHANGE_USER: the plugin the client starts with, then the one an AuthSwitchRequest names. */
    String authPlugin;
    /** COM_CHANGE_USER: program_name of its connect attributes, null when it sent none. */
    String program;
    boolean infile;
    /**
     * Column types of the current binary result set, read from its definitions while the sensitive-data scan is
     * on (null otherwise, or when they could not be read); {@link #typesSeen} of them are known.
     */
    byte[] columnTypes;
    int typesSeen;
    /** A server packet of this exchange's answer was accepted. */
    boolean answered;

    Exchange(int command, List<MySqlRun> runs, Expect expect) {
        this.command = command;
        this.runs = runs;
        this.first = runs.isEmpty() ? null : runs.get(0);
        this.expect = expect;
    }

    /**
     * Makes this finished exchange of one run the next command's (MySqlCommandPhase keeps it as a spare): every
     * field as the constructor leaves it, its run reset for {@code statement}. A field added here must be reset
     * here too: MySqlExchangeReuseTest sets every field and checks.
     */
    void reuse(int command, StatementInfo statement, Expect expect) {
        this.command = command;
        this.expect = expect;
        index = 0;
        nextSeq = 1;
        columnsLeft = 0;
        defsLeft = 0;
        eofsLeft = 0;
        prepared = null;
        idKnown = false;
        soleCandidate = null;
        statementId = 0;
        schema = null;
        user = null;
        authPlugin = null;
        program = null;
        infile = false;
        columnTypes = null;
        typesSeen = 0;
        answered = false;
        runs.get(0).reset(statement);
    }

    /** A result set starts: {@code columns} definitions follow (0: metadata skipped), then their EOF or rows. */
    void expectColumns(long columns) {
        columnsLeft = columns;
        expect = columns > 0 ? Expect.COLUMNS : Expect.COLUMNS_EOF;
    }

    void columnDefinitionSeen() {
        if (--columnsLeft <= 0) {
            expect = Expect.COLUMNS_EOF;
        }
    }

    /**
     * PREPARE_OK announced {@code definitions} parameter and column definitions and {@code eofs} EOFs after them.
     * Returns false when nothing follows.
     */
    boolean expectDefinitions(long definitions, int eofs) {
        defsLeft = definitions;
        eofsLeft = eofs;
        if (definitions == 0) {
            return false;
        }
        expect = Expect.PREPARE_DEFS;
        return true;
    }

    /** Returns true when this was the last definition or EOF the PREPARE_OK announced. */
    boolean definitionSeen(boolean eof) {
        if (eof) {
            eofsLeft--;
        } else {
            defsLeft--;
        }
        return defsLeft <= 0 && eofsLeft <= 0;
    }

    /** Rows of this command's results are in the binary protocol (prepared statements). */
    boolean binaryRows() {
        return command == MySqlWire.COM_STMT_EXECUTE || command == MySqlWire.COM_STMT_FETCH
                || command == MySqlWire.COM_STMT_BULK_EXECUTE;
    }

    /** One result ended: the next packet starts another result (or answers the next statement). */
    void resultEnded() {
        expect = Expect.RESULT;
        infile = false;
        columnTypes = null;
    }

    MySqlRun run() {
        if (index == 0 && first != null) {
            return first;
        }
        return runs.get(Math.min(index, runs.size() - 1));
    }

    boolean lastRun() {
        return index >= runs.size() - 1;
    }
}
