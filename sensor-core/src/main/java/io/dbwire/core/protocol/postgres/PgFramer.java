package io.dbwire.core.protocol.postgres;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.memory.ShedReason;
import io.dbwire.core.protocol.session.FrameHandler;
import io.dbwire.core.protocol.session.Framer;
import io.dbwire.core.protocol.session.MessageBuffer;
import io.dbwire.core.util.ReasonCounters;

/**
 * Frames one direction of a PostgreSQL connection: finds message boundaries, checks every length against the
 * type's minimum and {@code maxMessageBytes}, keeps at most a bounded prefix of a body, and hands complete
 * messages to a {@link FrameHandler}. Large or counted-only bodies (DataRow, CopyData, passwords) are skipped by
 * count across calls without buffering. It never allocates a claimed length: the body buffer grows with the
 * bytes that arrived, up to {@code keepCap} ({@link MessageBuffer}).
 *
 * <p>After a bad length, a gap, or from the start of a mid-stream connection the framer probes for a boundary:
 * a known type byte with a length that fits the type. A candidate is confirmed by the next header passing the
 * same probe, or by ending exactly where the delivered data ends (the peer is waiting for an answer); until
 * then it is held, not dispatched. Bytes given up while probing are counted.
 */
final class PgFramer implements Framer {


    enum State { HEADER, BODY, SSL_ANSWER, RESYNC, HANDOFF, STOPPED }

    private static final int TYPED_HEADER = 5;
    private static final int STARTUP_HEADER = 4;

    private final boolean frontend;
    private final int maxMessageBytes;
    private final int keepCap;
    private final ReasonCounters<PgEvent> counters;
    private final FrameHandler<PgFrame> handler;
    /** The reused view handed to the handler; made with the first message, let go while the connection is quiet. */
    private PgFrame frame;

    private State state;
    /** Client direction before the StartupMessage: headers are the untyped 4-byte length. */
    private boolean startupMode;
    /** A header split across deliveries (made on first use, let go while quiet). */
    private byte[] header;
    private int headerFill;
    /** The resync probe's sliding window (made on first use, let go while quiet). */
    private byte[] window;
    private int windowFill;
    private final MessageBuffer body;
    private int type;
    private int declared;
    private int kept;
    private long bodyRemaining;
    private boolean keepBody;
    /** Bytes of the current body that are kept: keepCap, or the DataRow prefix the sensitive-data scan reads. */
    private int keepLimit;
    /** The current body is counted only, its prefix kept for the scan: never reported as truncated. */
    private boolean scanOnly;
    /** Bytes of a DataRow kept for the opt-in sensitive-data scan; 0 (the default): DataRows keep nothing. */
    private int dataRowKeep;
    private long firstTs;
    private long wire;
    /** The message in progress was found by the resync probe and still needs confirming. */
    private boolean tentative;
    /** A complete tentative message sits in {@link #frame} waiting for the next header to confirm it. */
    private boolean holding;
    /** No header has been judged yet in this direction: the place to recognise a TLS stream. */
    private boolean fresh = true;

    // Cursor over the buffer of the current onData call.
    private byte[] in;
    private int pos;
    private int end;
    private long ts;

    PgFramer(boolean frontend, boolean startupMode, boolean resync, int maxMessageBytes, int keepCap,
            ReasonCounters<PgEvent> counters, FrameHandler<PgFrame> handler) {
        this.frontend = frontend;
        this.startupMode = startupMode && !resync;
        this.maxMessageBytes = Math.max(0, maxMessageBytes);
        this.keepCap = Math.max(64, keepCap);
        this.counters = counters;
        this.handler = handler;
        this.body = new MessageBuffer(this.keepCap);
        this.state = resync ? State.RESYNC : State.HEADER;
    }

    State state() {
        return state;
    }

    /** Keep the first {@code bytes} of each DataRow body (bounded by keepCap) for the sensitive-data scan. */
    void keepDataRows(int bytes) {
        dataRowKeep = Math.max(0, Math.min(keepCap, bytes));
    }

    /** The client's StartupMessage was seen: from now on messages carry a type byte. */
    void typed() {
        startupMode = false;
    }

    /** The client sent SSLRequest/GSSENCRequest: the server's next byte is an untyped 'S', 'N' or 'G'. */
    void expectSslAnswer() {
        if (state == State.HEADER && headerFill == 0) {
            state = State.SSL_ANSWER;
        }
    }

    /**
     * Called by the handler while it handles the 'S' answer or a TLS frame: the rest of the bytes of the current
     * delivery (and, for a recognised TLS stream, the bytes already read) go to {@link FrameHandler#onTail}.
     */
    @Override
    public void handOff() {
        state = State.HANDOFF;
    }

    /** Parsing of this direction ends (TLS, cancel, unsupported protocol, close). */
    @Override
    public void stop() {
        state = State.STOPPED;
    }

    @Override
    public void onData(byte[] buf, int offset, int length, long tsMicros) {
        in = buf;
        pos = offset;
        end = offset + length;
        ts = tsMicros;
        while (pos < end) {
            boolean more;
            switch (state) {
                case HEADER -> more = decodeHeader();
                case BODY -> more = decodeBody();
                case SSL_ANSWER -> more = decodeSslAnswer();
                case RESYNC -> more = probe();
                case HANDOFF -> {
                    handler.onTail(in, pos, end - pos, ts);
                    pos = end;
                    more = false;
                }
                default -> more = false;
            }
            if (!more) {
                break;
            }
        }
        in = null;
    }

    /** Bytes are missing here: whatever was partial or unconfirmed is given up and the direction resyncs. */
    @Override
    public void gap() {
        if (state == State.STOPPED) {
            return;
        }
        dropHeld();
        headerFill = 0;
        tentative = false;
        startupMode = false;
        state = State.RESYNC;
        windowFill = 0;
        counters.increment(PgEvent.RESYNCS);
    }

    /**
     * The other direction spoke: bytes this direction has not framed with confidence belong to an exchange that
     * is over. A direction still probing (or inside a message the probe found and nothing confirmed yet) probes
     * afresh from its next byte, so a false boundary cannot swallow the first message of the next exchange and
     * pair every later answer with the request before it.
     */
    @Override
    public void exchangeBoundary() {
        boolean unconfirmedBody = state == State.BODY && tentative;
        if (state != State.RESYNC && !unconfirmedBody && !holding) {
            return;
        }
        dropHeld();
        if (unconfirmedBody) {
            counters.add(PgEvent.RESYNC_SKIPPED_BYTES, wire - bodyRemaining);
        } else if (state == State.RESYNC) {
            counters.add(PgEvent.RESYNC_SKIPPED_BYTES, windowFill);
        }
        tentative = false;
        headerFill = 0;
        windowFill = 0;
        state = State.RESYNC;
    }

    @Override
    public void close() {
        dropHeld();
        state = State.STOPPED;
    }

    private boolean decodeSslAnswer() {
        int b = in[pos] & 0xff;
        if (b != 'S' && b != 'N' && b != 'G') {
            state = State.HEADER; // e.g. an ErrorResponse from a server that rejects the request: frame it
            return true;
        }
        pos++;
        state = State.HEADER;
        PgFrame frame = frame();
        frame.type = b;
        frame.sslAnswer = true;
        frame.tls = false;
        frame.body = body.array();
        frame.kept = 0;
        frame.declaredLength = 0;
        frame.truncated = false;
        frame.wireBytes = 1;
        frame.firstTs = ts;
        frame.lastTs = ts;
        dispatch();
        return true;
    }

    private boolean decodeHeader() {
        int size = startupMode ? STARTUP_HEADER : TYPED_HEADER;
        if (headerFill == 0) {
            firstTs = ts;
        }
        if (header == null) {
            header = new byte[TYPED_HEADER];
        }
        int n = Math.min(size - headerFill, end - pos);
        System.arraycopy(in, pos, header, headerFill, n);
        pos += n;
        headerFill += n;
        if (headerFill < size) {
            return false;
        }
        headerFill = 0;
        if (startupMode) {
            acceptStartupHeader(PgWire.int32(header, 0));
        } else {
            acceptTypedHeader(header[0] & 0xff, PgWire.int32(header, 1));
        }
        return true;
    }

    private void acceptStartupHeader(int length) {
        if (fresh && looksLikeTls(header)) {
            tlsDetected(header, STARTUP_HEADER);
            return;
        }
        fresh = false;
        if (length < PgWire.STARTUP_MIN_LENGTH || length > PgWire.MAX_STARTUP_LENGTH) {
            // Not a startup packet: treat the stream as typed messages of a connection we joined late.
            counters.increment(PgEvent.PROTOCOL_VIOLATION_STARTUP);
            startupMode = false;
            enterResync(0, STARTUP_HEADER);
            handler.onDesync();
            return;
        }
        begin(PgWire.UNTYPED, length, STARTUP_HEADER, true);
    }

    private void acceptTypedHeader(int t, int length) {
        fresh = false;
        boolean sane = length >= 4 && length - 4 <= maxMessageBytes;
        boolean known = PgWire.known(frontend, t);
        boolean fits = sane && known && PgWire.lengthFits(frontend, t, length);
        if (holding) {
            if (!fits) { // the held candidate was not a boundary after all
                dropHeld();
                counters.increment(PgEvent.RESYNC_SKIPPED_BYTES);
                enterResync(1, TYPED_HEADER);
                return;
            }
            holding = false;
            dispatch();
            if (state != State.HEADER) {
                return; // the handler stopped this direction
            }
        }
        if (!sane) {
            counters.increment(length < 4 && length >= 0 ? PgEvent.PROTOCOL_VIOLATION_LENGTH : PgEvent.OVERSIZED_LENGTH);
            counters.increment(PgEvent.RESYNC_SKIPPED_BYTES);
            enterResync(1, TYPED_HEADER);
            handler.onDesync();
        } else if (!known) {
            // Possibly a newer protocol's message: its length is sane, so skip it by count and stay in step.
            counters.increment(PgEvent.PROTOCOL_VIOLATION_TYPE);
            begin(t, length, TYPED_HEADER, false);
        } else if (!fits) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_LENGTH);
            counters.increment(PgEvent.RESYNC_SKIPPED_BYTES);
            enterResync(1, TYPED_HEADER);
            handler.onDesync();
        } else {
            begin(t, length, TYPED_HEADER, PgWire.keep(frontend, t));
        }
    }

    private void begin(int t, int length, int headerSize, boolean keep) {
        type = t;
        declared = length - 4;
        bodyRemaining = declared;
        kept = 0;
        scanOnly = !keep && t == PgWire.B_DATA_ROW && dataRowKeep > 0 && !frontend;
        keepBody = keep || scanOnly;
        keepLimit = scanOnly ? dataRowKeep : keepCap;
        wire = (long) declared + headerSize;
        state = State.BODY;
        if (declared == 0) {
            finish();
        }
    }

    private boolean decodeBody() {
        int take = (int) Math.min(bodyRemaining, end - pos);
        if (keepBody) {
            int copy = Math.min(take, keepLimit - kept);
            if (copy > 0) {
                int got = body.append(kept, in, pos, copy);
                kept += got;
                if (got < copy) {
                    keepLimit = kept; // the memory budget refused more: the rest is counted, not kept
                }
            }
        }
        pos += take;
        bodyRemaining -= take;
        if (bodyRemaining > 0) {
            return false;
        }
        finish();
        return true;
    }

    private void finish() {
        PgFrame frame = frame();
        frame.type = type;
        frame.sslAnswer = false;
        frame.tls = false;
        frame.body = body.array();
        frame.kept = kept;
        frame.declaredLength = declared;
        frame.truncated = keepBody && !scanOnly && declared > kept;
        frame.wireBytes = wire;
        frame.firstTs = firstTs;
        frame.lastTs = ts;
        state = State.HEADER;
        if (frame.truncated) {
            counters.increment(PgEvent.MESSAGE_TRUNCATED);
        }
        if (tentative) {
            tentative = false;
            if (pos < end) {
                holding = true; // confirm by the next header
                return;
            }
            // Ends exactly where the delivered data ends: a message the peer now waits on. Accept it.
        }
        dispatch();
    }

    private void dispatch() {
        counters.increment(PgEvent.MESSAGES_PARSED);
        handler.onFrame(frame);
        shrink();
    }

    /** A rare long statement must not pin its buffer for the life of the connection. */
    private void shrink() {
        if (!holding) {
            body.release();
        }
    }

    @Override
    public void trimIdle() {
        if (state != State.BODY && headerFill == 0 && !holding) {
            body.trim();
            frame = null; // made again by the next message, like the buffer
            header = null;
            if (state != State.RESYNC) {
                window = null;
            }
        }
    }

    private PgFrame frame() {
        if (frame == null) {
            frame = new PgFrame();
        }
        return frame;
    }

    /** Bytes held by this direction's body buffer (for memory-bound tests). */
    int bufferCapacity() {
        return body.capacity();
    }

    /** Starts probing with the bytes header[from..to) already seen. */
    private void enterResync(int from, int to) {
        state = State.RESYNC;
        counters.increment(PgEvent.RESYNCS);
        windowFill = 0;
        if (window == null) {
            window = new byte[TYPED_HEADER];
        }
        for (int i = from; i < to; i++) {
            window[windowFill++] = header[i];
        }
        // windowFill <= 4 here: the first candidate is tested when the next byte arrives.
    }

    private boolean probe() {
        if (window == null) {
            window = new byte[TYPED_HEADER];
        }
        while (pos < end) {
            window[windowFill++] = in[pos++];
            if (windowFill < TYPED_HEADER) {
                continue;
            }
            if (fresh) {
                fresh = false;
                if (looksLikeTls(window)) {
                    tlsDetected(window, TYPED_HEADER);
                    return true; // the loop hands the rest over, or stops
                }
            }
            int t = window[0] & 0xff;
            int length = PgWire.int32(window, 1);
            if (length >= 4 && length - 4 <= maxMessageBytes && PgWire.known(frontend, t)
                    && PgWire.lengthFits(frontend, t, length)) {
                windowFill = 0;
                firstTs = ts;
                tentative = true;
                begin(t, length, TYPED_HEADER, PgWire.keep(frontend, t));
                return true;
            }
            System.arraycopy(window, 1, window, 0, TYPED_HEADER - 1);
            windowFill = TYPED_HEADER - 1;
            counters.increment(PgEvent.RESYNC_SKIPPED_BYTES);
        }
        return false;
    }

    /**
     * A TLS record header: content type 20..23 (change_cipher_spec, alert, handshake, application_data), then
     * version major 3, minor 0..4. RFC 8446 section 5.1. No PostgreSQL message starts like this: a startup
     * length would be above 300 MB, and 0x14..0x17 are no type bytes.
     */
    private static boolean looksLikeTls(byte[] b) {
        return b[0] >= 0x14 && b[0] <= 0x17 && b[1] == 0x03 && b[2] >= 0 && b[2] <= 0x04;
    }

    /** {@code prefix[0..n)}: the bytes already read that begin the TLS stream. */
    private void tlsDetected(byte[] prefix, int n) {
        state = State.STOPPED;
        PgFrame frame = frame();
        frame.type = PgWire.UNTYPED;
        frame.tls = true;
        frame.sslAnswer = false;
        frame.body = body.array();
        frame.kept = 0;
        frame.declaredLength = 0;
        frame.truncated = false;
        frame.wireBytes = 0;
        frame.firstTs = ts;
        frame.lastTs = ts;
        handler.onFrame(frame);
        if (state == State.HANDOFF) {
            handler.onTail(prefix.clone(), 0, n, ts);
        }
    }

    private void dropHeld() {
        if (holding) {
            holding = false;
            counters.add(PgEvent.RESYNC_SKIPPED_BYTES, frame.wireBytes);
        }
    }

    @Override
    public void chargeTo(MemoryAccount account) {
        body.chargeTo(account, MemoryConsumer.MESSAGE_BUFFERS,
                ShedReason.MESSAGE_TRUNCATED);
    }
}
