package io.dbwire.core.protocol.toy;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.protocol.session.InFlight;
import io.dbwire.core.protocol.session.ProtocolSession;
import io.dbwire.core.protocol.session.RecordEmitter;
import io.dbwire.core.protocol.session.RequestRun;
import io.dbwire.core.protocol.session.SessionCounters;
import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tls.TlsContext;

/**
 * The state machine of a toy line protocol, the whole of what a new protocol must write besides its framer:
 * the client sends {@code QUERY <sql>}, the server answers each in order with {@code OK <rows>} or
 * {@code ERR <message>}. Identity, TLS, gaps, the exception fence, timing and records come from the skeleton.
 * A server line {@code CRASH} throws, to show the fence.
 */
final class ToySession extends ProtocolSession<ToyEvent> {
    private final RecordEmitter records;
    private final InFlight<RequestRun> inFlight;
    private final ConnectionInfo connection;
    private final ProtocolConfig config;
    private final RecordSink sink;

    /** A real protocol adds its own constant to {@link DatabaseProtocol}; the toy borrows one. */
    ToySession(ConnectionInfo connection, ProtocolConfig config, RecordSink sink, SessionCounters<ToyEvent> counters,
            boolean insideTls) {
        this(connection, config, sink, counters, insideTls, new RecordEmitter(DatabaseProtocol.POSTGRESQL,
                connection, config, SqlNormalizer.postgres(), sink, counters, insideTls));
    }

    private ToySession(ConnectionInfo connection, ProtocolConfig config, RecordSink sink,
            SessionCounters<ToyEvent> counters, boolean insideTls, RecordEmitter records) {
        super(counters, records, null, insideTls);
        this.connection = connection;
        this.config = config;
        this.sink = sink;
        this.records = records;
        this.inFlight = new InFlight<>(64, counters, this::incomplete);
        framers(new ToyFramer(handler(Direction.CLIENT_TO_SERVER, this::onClientLine)),
                new ToyFramer(handler(Direction.SERVER_TO_CLIENT, this::onServerLine)));
    }

    private void onClientLine(ToyFramer.Line line) {
        if (!line.text.startsWith("QUERY ")) {
            counters.reasons().increment(ToyEvent.PROTOCOL_VIOLATION);
            return;
        }
        RequestRun run = new RequestRun(records.describe(line.text.substring("QUERY ".length())));
        run.request(line);
        inFlight.add(run);
    }

    private void onServerLine(ToyFramer.Line line) {
        if (line.text.equals("CRASH")) {
            throw new IllegalStateException("a stand-in for a bug in a protocol's state machine");
        }
        RequestRun run = inFlight.pop();
        if (run == null) {
            counters.reasons().increment(ToyEvent.UNMATCHED_RESPONSE);
            return;
        }
        run.response(line);
        if (line.text.matches("OK \\d{1,18}")) {
            records.statement(run, run.statement(), null, Long.parseLong(line.text.substring(3)), RecordStatus.OK,
                    null);
        } else if (line.text.startsWith("ERR ")) {
            records.statement(run, run.statement(), null, null, RecordStatus.ERROR,
                    new ErrorInfo(null, line.text.substring(4)));
        } else {
            counters.reasons().increment(ToyEvent.PROTOCOL_VIOLATION);
            incomplete(run);
        }
    }

    private void incomplete(RequestRun run) {
        records.statement(run, run.statement(), null, null, RecordStatus.INCOMPLETE, null);
    }

    @Override
    protected void lostAlignment() {
        inFlight.drain(this::incomplete);
    }

    @Override
    protected ToySession decryptedSession(TlsContext context) {
        return new ToySession(connection, config, sink, counters, true);
    }
}
