package io.dbwire.core.tls;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryCharged;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.util.ReasonCounters;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sits between the TCP layer and a protocol parser on a TLS connection: frames records, reads the handshake
 * for metadata (fingerprints, version, suite, certificate, turns), and, when the key store holds the session's
 * secrets, hands the decrypted application data to {@code downstream} exactly as clear-text bytes would arrive
 * (same direction, same packet time; undecryptable stretches become {@link StreamListener#onGap}).
 *
 * <p>Feed it the TLS bytes only: for PostgreSQL, the bytes after the server's 'S' answer to SSLRequest (or from
 * the first byte for direct TLS); for MySQL, the bytes after the client's SSLRequest packet. On close it emits
 * one {@link TlsSessionSummary} and closes {@code downstream}.
 */
public final class TlsDecryptingListener implements StreamListener, MemoryCharged {
    /**
     * Heap of a TLS session at rest, charged when it starts: this listener, both directions' readers (256-byte
     * buffers) and handshake assemblers (1 KiB), the decryptor, turn tracker, the ClientHello's metadata and the
     * inner protocol session: about 6.6 KiB retained per session in the TLS flood (docs/operations.md), rounded up.
     */
    public static final int SESSION_BYTES = 8 * 1024;

    private final StreamListener downstream;
    private final Consumer<TlsSessionSummary> summaries;
    private final ReasonCounters<TlsViolation> violations = new ReasonCounters<>(TlsViolation.class);
    private final ReasonCounters<DecryptOutcome> outcomes = new ReasonCounters<>(DecryptOutcome.class);
    private final Side[] sides = new Side[2];
    private final SessionDecryptor decryptor;
    private final TurnTracker turns;
    private final long[] bytes = new long[2];
    private final long[] records = new long[2];
    private boolean closed;

    private ClientHello clientHello;
    private ServerHello serverHello;
    private String ja3;
    private String ja4;
    private CertificateSummary certificate;
    private String alpnSelected;
    private long clientHelloMicros = -1;
    private long handshakeMicros = -1;
    private boolean clientFinishedSeen;

    /**
     * @param keys      where session secrets arrive; null for metadata only
     * @param summaries receives the summary once, at close
     */
    public TlsDecryptingListener(
            StreamListener downstream, KeyLogStore keys, Consumer<TlsSessionSummary> summaries, TlsOptions options) {
        this.downstream = downstream;
        this.summaries = summaries;
        this.turns = new TurnTracker(options.keepTurns());
        for (Direction d : Direction.values()) {
            sides[d.ordinal()] = new Side(d, options.maxHandshakeMessage());
        }
        this.decryptor = new SessionDecryptor(keys, new Plaintext(), outcomes, options.pendingBudgetBytes(),
                options.keyWaitMicros());
    }

    @Override
    public void chargeTo(MemoryAccount account) {
        account.grow(MemoryConsumer.TLS_SESSIONS, SESSION_BYTES);
        for (Side side : sides) {
            side.reader.chargeTo(account);
            side.handshake.chargeTo(account);
        }
        decryptor.chargeTo(account);
    }

    /** True if {@code b} starts like a TLS handshake record (type 22, version 3.x): a probe for direct TLS. */
    public static boolean looksLikeTls(byte[] b, int off, int len) {
        return len >= 3 && b[off] == TlsConstants.HANDSHAKE && b[off + 1] == 3 && (b[off + 2] & 0xff) <= 4;
    }

    @Override
    public void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        if (closed) {
            return;
        }
        bytes[direction.ordinal()] += length;
        sides[direction.ordinal()].reader.onData(buffer, offset, length, tsMicros);
    }

    @Override
    public void onGap(Direction direction, long missingBytes, long tsMicros) {
        if (!closed) {
            sides[direction.ordinal()].reader.onGap(missingBytes, tsMicros);
        }
    }

    @Override
    public void onClose(CloseReason reason, long tsMicros) {
        if (closed) {
            return;
        }
        closed = true;
        for (Side side : sides) {
            side.reader.finish(tsMicros);
        }
        turns.finish();
        decryptor.close(tsMicros);
        downstream.onClose(reason, tsMicros);
        summaries.accept(summary(reason, tsMicros));
    }

    /** The summary as of now; {@code reason} may be null while the connection is open. */
    public TlsSessionSummary summary(CloseReason reason, long nowMicros) {
        return new TlsSessionSummary(
                serverHello == null ? null : TlsConstants.versionName(serverHello.version()),
                serverHello == null ? null : TlsCipherSuite.name(serverHello.cipherSuite()),
                clientHello == null ? null : clientHello.sni(),
                clientHello == null ? List.of() : clientHello.alpnNames(),
                alpnSelected,
                ja3,
                ja3 == null ? null : Fingerprints.ja3Hash(ja3),
                ja4,
                certificate,
                clientHelloMicros,
                handshakeMicros,
                bytes[0],
                bytes[1],
                records[0],
                records[1],
                turns.stats(),
                decryptor.anyDecrypted(),
                outcomes.nonZero(),
                violations.nonZero(),
                reason,
                nowMicros);
    }

    private boolean tls13() {
        return serverHello != null && serverHello.version() == TlsConstants.TLS13;
    }

    private void onRecord(Direction d, int type, int version, byte[] frag, int off, int len, long ts) {
        records[d.ordinal()]++;
        if (decryptor.isProtected(d, type)) {
            observeProtected(d, type, len, ts);
            decryptor.onRecord(d, type, version, frag, off, len, ts);
            return;
        }
        if (type == TlsConstants.HANDSHAKE) {
            sides[d.ordinal()].handshake.feed(frag, off, len, ts);
        } else if (type == TlsConstants.CHANGE_CIPHER_SPEC) {
            decryptor.onChangeCipherSpec(d);
        }
    }

    /**
     * Turns and handshake time from the wire alone, so they are the same with or without keys. The client's
     * first protected record is its Finished (TLS 1.2 and 1.3 alike); in TLS 1.3 the server's protected
     * records before it are its handshake flight, and application data starts after it.
     */
    private void observeProtected(Direction d, int type, int len, long ts) {
        if (serverHello == null) {
            if (clientHello == null) {
                turns.onApplicationRecord(d, len, ts); // picked up mid-stream: every record is application data
            }
            return; // else 0-RTT data: neither handshake nor a turn we can place
        }
        if (d == Direction.CLIENT_TO_SERVER && !clientFinishedSeen) {
            clientFinishedSeen = true;
            if (clientHelloMicros >= 0) {
                handshakeMicros = ts - clientHelloMicros;
            }
            return;
        }
        boolean applicationData = tls13() ? clientFinishedSeen : type == TlsConstants.APPLICATION_DATA;
        if (applicationData) {
            turns.onApplicationRecord(d, len, ts);
        }
    }

    private void onHandshake(Direction d, int type, byte[] b, int off, int len, long ts) {
        switch (type) {
            case TlsConstants.CLIENT_HELLO:
                if (d == Direction.CLIENT_TO_SERVER && clientHello == null) {
                    clientHello = ClientHello.decode(b, off, len);
                    if (clientHello == null) {
                        violations.increment(TlsViolation.CLIENT_HELLO_MALFORMED);
                        return;
                    }
                    clientHelloMicros = ts;
                    ja3 = Fingerprints.ja3(clientHello);
                    ja4 = Fingerprints.ja4(clientHello);
                    decryptor.onClientHello(clientHello.random());
                }
                break;
            case TlsConstants.SERVER_HELLO:
                // First real ServerHello only (a HelloRetryRequest may precede it): a later one can only be
                // bytes misread after a loss, and must not change the negotiated suite.
                if (d == Direction.SERVER_TO_CLIENT && serverHello == null) {
                    ServerHello hello = ServerHello.decode(b, off, len);
                    if (hello == null) {
                        violations.increment(TlsViolation.SERVER_HELLO_MALFORMED);
                        return;
                    }
                    if (!hello.helloRetry()) {
                        serverHello = hello;
                        alpnSelected = hello.alpn();
                    }
                    decryptor.onServerHello(hello);
                }
                break;
            case TlsConstants.ENCRYPTED_EXTENSIONS:
                if (d == Direction.SERVER_TO_CLIENT) {
                    String alpn = ServerHello.alpnOf(b, off, len);
                    alpnSelected = alpn != null ? alpn : alpnSelected;
                }
                break;
            case TlsConstants.CERTIFICATE:
                if (d == Direction.SERVER_TO_CLIENT && certificate == null) {
                    certificate = CertificateSummary.decode(b, off, len, tls13());
                    if (certificate == null) {
                        violations.increment(TlsViolation.CERTIFICATE_MALFORMED);
                    }
                }
                break;
            case TlsConstants.FINISHED:
                decryptor.onFinished(d);
                break;
            case TlsConstants.KEY_UPDATE:
                decryptor.onKeyUpdate(d);
                break;
            default:
                break;
        }
    }

    /** One direction's reader and handshake assembler: the same code for both directions. */
    private final class Side implements TlsRecordReader.Sink, HandshakeAssembler.Sink {
        final Direction direction;
        final TlsRecordReader reader;
        final HandshakeAssembler handshake;

        Side(Direction direction, int maxHandshake) {
            this.direction = direction;
            this.reader = new TlsRecordReader(this, violations);
            this.handshake = new HandshakeAssembler(this, violations, maxHandshake);
        }

        @Override
        public void onRecord(int contentType, int version, byte[] fragment, int offset, int length, long ts) {
            TlsDecryptingListener.this.onRecord(direction, contentType, version, fragment, offset, length, ts);
        }

        @Override
        public void onLostRecord(int contentType, int length, long ts) {
            records[direction.ordinal()]++;
            if (decryptor.isProtected(direction, contentType)) {
                decryptor.onLostRecord(direction, contentType, length, ts);
            } else {
                handshake.reset();
            }
        }

        @Override
        public void onFramingLost(long missingBytes, long ts) {
            handshake.reset();
            decryptor.onFramingLost(direction, missingBytes, ts);
        }

        @Override
        public void onHandshake(int type, byte[] body, int offset, int length, long ts) {
            TlsDecryptingListener.this.onHandshake(direction, type, body, offset, length, ts);
        }
    }

    /** Decrypted records: application data goes downstream, protected handshake messages to the assembler. */
    private final class Plaintext implements SessionDecryptor.Output {
        @Override
        public void onPlaintext(Direction d, int contentType, byte[] b, int off, int len, long ts) {
            if (contentType == TlsConstants.APPLICATION_DATA) {
                if (len > 0) {
                    downstream.onData(d, b, off, len, ts);
                }
            } else if (contentType == TlsConstants.HANDSHAKE) {
                sides[d.ordinal()].handshake.feed(b, off, len, ts);
            }
        }

        @Override
        public void onPlaintextLost(Direction d, long lost, long ts) {
            if (lost > 0) {
                downstream.onGap(d, lost, ts);
            }
        }
    }
}
