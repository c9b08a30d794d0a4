package io.dbwire.core.protocol.session;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryCharged;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.tls.TlsContext;
import io.dbwire.core.tls.TlsDecryptingListener;
import io.dbwire.core.tls.TlsSessionSummary;
import io.dbwire.core.util.InternalErrors;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/**
 * What every protocol's session does the same way around its own state machine: guards the
 * {@link StreamListener} calls, feeds each direction's {@link Framer}, fences the protocol code so that a bug
 * costs a resynchronisation and a count instead of the connection or the engine, turns gaps into
 * {@link #lostAlignment()}, hands both directions to the TLS layer when the protocol says TLS starts
 * ({@link #startTls}), and emits the TLS record when that session ends.
 *
 * <p>Over TLS, the decrypted bytes go to a second session of the same protocol ({@link #decryptedSession});
 * until its first plaintext arrives, lost stretches are the TLS layer's business (without keys every record is
 * lost plaintext); if plaintext follows such a loss, the inner session starts as if joined mid-stream.
 *
 * <p>A protocol's session extends this with its phases; its framers report through {@link #handler}.
 */
public abstract class ProtocolSession<E extends Enum<E>> implements StreamListener, MemoryCharged {
    protected final SessionCounters<E> counters;
    private final RecordEmitter records;
    /** Bugs caught by the fence: logged (rate-limited, with the connection), then resync or close. */
    private final InternalErrors.Fence bugs;
    /** This session reads the decrypted bytes of an outer session's TLS stream. */
    private final boolean insideTls;
    /** Shared TLS state of the engine; null until needed when the session was built without one. */
    private TlsContext tlsContext;
    private Framer client;
    private Framer server;
    /** The connection's share of the memory budget: framers' buffers, the TLS session, catalogs draw from it. */
    private MemoryAccount memory = MemoryAccount.NONE;

    private boolean closed;
    /** Nothing more of this connection is read here (TLS, not this protocol, refused, closed). */
    private boolean stopped;
    /** After {@link #startTls}: where both directions' bytes go, and the session reading the decrypted ones. */
    private StreamListener tls;
    private ProtocolSession<E> decrypted;
    private long tlsStartTs;
    /** Inside TLS: plaintext arrived already; and whether stretches were lost before it. */
    private boolean plaintextSeen;
    private boolean lostBeforePlaintext;

    /** @param tlsContext the engine's key store and TLS counters; null reads TLS sessions for metadata only */
    protected ProtocolSession(SessionCounters<E> counters, RecordEmitter records, TlsContext tlsContext,
            boolean insideTls) {
        this.counters = counters;
        this.records = records;
        this.bugs = new InternalErrors.Fence(counters.layer(), records.connection());
        this.tlsContext = tlsContext;
        this.insideTls = insideTls;
    }

    /** Called once by the protocol's constructor, after it built its framers. */
    protected final void framers(Framer clientFramer, Framer serverFramer) {
        this.client = clientFramer;
        this.server = serverFramer;
    }

    @Override
    public void chargeTo(MemoryAccount account) {
        this.memory = account;
        client.chargeTo(account);
        server.chargeTo(account);
    }

    /** The connection's memory account ({@link MemoryAccount#NONE} outside a tracker). */
    protected final MemoryAccount memory() {
        return memory;
    }

    /** A framer's handler: frames go to {@code onFrame}; desync and tail bytes are handled here. */
    protected final <F> FrameHandler<F> handler(Direction direction, Consumer<F> onFrame) {
        return handler(direction, onFrame, first -> Integer.MAX_VALUE);
    }

    protected final <F> FrameHandler<F> handler(Direction direction, Consumer<F> onFrame, IntUnaryOperator keep) {
        return new DirectionHandler<>(direction) {
            @Override
            public void onFrame(F frame) {
                onFrame.accept(frame);
            }

            @Override
            public int keep(int firstByte) {
                return keep.applyAsInt(firstByte);
            }
        };
    }

    /**
     * A framer's handler for one direction, desync and tail bytes handled here; the protocol overrides
     * {@code onFrame} (and {@code keep}) in a class of its own per direction, so the framer's per-frame call has one
     * or two receiver types and inlines — the {@link #handler} closure funnels every protocol through one call site.
     */
    protected abstract class DirectionHandler<F> implements FrameHandler<F> {
        private final Direction direction;

        protected DirectionHandler(Direction direction) {
            this.direction = direction;
        }

        @Override
        public final void onDesync() {
            bytesLost(direction); // the framer skips bytes to find its footing again
            realign();
        }

        @Override
        public final void onTail(byte[] buffer, int offset, int length, long tsMicros) {
            toTls(direction, buffer, offset, length, tsMicros);
        }
    }

    // ---- the protocol's part ------------------------------------------------------------------------------

    /**
     * A gap, a violation or a bug: what was waiting for an answer can no longer be paired. Emit it incomplete
     * (once) and go on as after login. Also called at the end of the connection.
     */
    protected abstract void lostAlignment();

    /**
     * Bytes of {@code direction} were lost or skipped (a gap, a desync, a bug's resynchronisation); called before
     * {@link #lostAlignment()}. A protocol that reasons about what it has seen of a direction hooks in here.
     */
    protected void bytesLost(Direction direction) {}

    /** A session of the same protocol for the decrypted bytes of this connection's TLS session. */
    protected abstract ProtocolSession<E> decryptedSession(TlsContext context);

    /**
     * A look at a delivery before it is framed (the protocol may recognise another service, or TLS met
     * mid-stream, and {@link #stop} or {@link #startTls}). Returns true when it took the bytes.
     */
    protected boolean screen(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        return false;
    }

    /** The connection ended (before the in-flight requests are flushed). */
    protected void onClosing() {}

    // ---- what protocols call ------------------------------------------------------------------------------

    /** Parsing ends for this connection. */
    protected final void stop() {
        stopped = true;
        client.stop();
        server.stop();
    }

    protected final boolean stopped() {
        return stopped;
    }

    /** This session reads the decrypted bytes of an outer session. */
    protected final boolean insideTls() {
        return insideTls;
    }

    /** From here both directions are TLS records; {@code from} hands over what it has already read. */
    protected final void startTls(Framer from, long startTs) {
        counters.increment(CommonEvent.TLS_SESSIONS);
        stop();
        if (insideTls) {
            return; // TLS inside decrypted TLS is no database protocol: nothing more to read
        }
        if (tlsContext == null) {
            tlsContext = TlsContext.metadataOnly();
        }
        tlsStartTs = startTs;
        decrypted = decryptedSession(tlsContext);
        decrypted.chargeTo(memory);
        TlsDecryptingListener session = tlsContext.open(decrypted, this::onTlsSummary);
        session.chargeTo(memory);
        tls = session;
        from.handOff();
    }

    /** Bytes that belong to the TLS stream (a framer's tail, a delivery recognised as TLS). */
    protected final void toTls(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        if (tls != null && length > 0) {
            tls.onData(direction, buffer, offset, length, tsMicros);
        }
    }

    /** The TLS session ended (after the decrypted session closed): its record, with the identity it showed. */
    private void onTlsSummary(TlsSessionSummary summary) {
        records.tlsSession(tlsStartTs, summary, decrypted.records.identity());
    }

    private void realign() {
        if (!stopped) {
            lostAlignment();
        }
    }

    // ---- StreamListener -----------------------------------------------------------------------------------

    @Override
    public final void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        if (closed || buffer == null || length <= 0 || offset < 0 || offset > buffer.length - length) {
            return;
        }
        if (tls != null) {
            tls.onData(direction, buffer, offset, length, tsMicros);
            return;
        }
        if (stopped) {
            return;
        }
        try {
            if (insideTls && !plaintextSeen) {
                plaintextSeen = true;
                if (lostBeforePlaintext) { // keys came late or part of the session was lost: we join mid-stream
                    counters.increment(CommonEvent.GAPS);
                    client.gap();
                    server.gap();
                    bytesLost(Direction.CLIENT_TO_SERVER);
                    bytesLost(Direction.SERVER_TO_CLIENT);
                    realign();
                }
            }
            if (!screen(direction, buffer, offset, length, tsMicros)) {
                framer(direction.reverse()).exchangeBoundary();
                framer(direction).onData(buffer, offset, length, tsMicros);
            }
        } catch (RuntimeException e) {
            internalError(direction, e);
        }
    }

    @Override
    public final void onGap(Direction direction, long missingBytes, long tsMicros) {
        if (closed) {
            return;
        }
        if (tls != null) {
            tls.onGap(direction, missingBytes, tsMicros); // the TLS layer counts it; the plaintext side sees a gap
            return;
        }
        if (stopped) {
            return;
        }
        if (insideTls && !plaintextSeen) {
            lostBeforePlaintext = true; // not a problem of this parser unless plaintext follows
            return;
        }
        counters.increment(CommonEvent.GAPS);
        records.gapStarts(direction, missingBytes);
        try {
            framer(direction).gap();
            bytesLost(direction);
            realign();
        } catch (RuntimeException e) {
            internalError(direction, e);
        } finally {
            records.gapDone();
        }
    }

    @Override
    public final void onClose(CloseReason reason, long tsMicros) {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
        server.close();
        try {
            onClosing();
            if (tls != null) {
                stopped = true;
                tls.onClose(reason, tsMicros); // closes the decrypted session, then delivers the summary
                return;
            }
            realign();
        } catch (RuntimeException e) {
            bugs.caughtAtClose(e);
            counters.increment(CommonEvent.INTERNAL_ERROR_CLOSED);
        }
        stopped = true;
    }

    /** Between messages, both framers give their body buffers back; over TLS the decrypted session's do. */
    @Override
    public final void onQuiet() {
        if (closed) {
            return;
        }
        if (decrypted != null) {
            decrypted.onQuiet();
        }
        client.trimIdle();
        server.trimIdle();
        trimIdle();
    }

    /** After the framers let their buffers go on a quiet connection: drop references the protocol keeps to them. */
    protected void trimIdle() {}

    /**
     * The one fence around protocol code: a bug is logged with the connection (rate-limited), the direction
     * resynchronises and what was in flight is emitted incomplete. After repeated bugs in this connection, or if
     * that flush fails too, the connection is no longer read.
     */
    private void internalError(Direction direction, RuntimeException e) {
        InternalErrors.Remedy remedy = bugs.caught(e, () -> {
            framer(direction).gap();
            bytesLost(direction);
            realign();
        });
        if (remedy == InternalErrors.Remedy.RESYNCHRONISED) {
            counters.increment(CommonEvent.INTERNAL_ERROR_RESYNCED);
        } else {
            counters.increment(CommonEvent.INTERNAL_ERROR_CLOSED);
            stop();
        }
    }

    private Framer framer(Direction direction) {
        return direction == Direction.CLIENT_TO_SERVER ? client : server;
    }
}
