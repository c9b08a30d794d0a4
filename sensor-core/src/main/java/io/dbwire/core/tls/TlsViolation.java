package io.dbwire.core.tls;

import io.dbwire.core.util.CountedEvent;

/** Counted reasons why TLS bytes did not read as the specification says. Never an exception. */
public enum TlsViolation implements CountedEvent {
    /** Record content type outside 20..23 (RFC 8446 5.1); the reader scans for the next plausible header. */
    BAD_CONTENT_TYPE,
    /** Record version major byte is not 3. */
    BAD_RECORD_VERSION,
    /** Record length above {@link TlsConstants#MAX_RECORD_BODY}. */
    RECORD_TOO_LONG,
    /** Bytes went missing inside a record whose header was read: that record is lost, framing survives. */
    GAP_IN_RECORD,
    /** Bytes went missing at or across a record header: framing is lost until a plausible header is found. */
    GAP_LOST_FRAMING,
    /** The connection ended inside a record: that record never completed. */
    TRUNCATED_AT_CLOSE,
    /** Bytes skipped while looking for a plausible record header after a violation or gap. */
    RESYNC_SKIPPED_BYTES,
    /** A handshake message whose declared length exceeds the assembler's bound; skipped. */
    HANDSHAKE_TOO_LONG,
    /** A ClientHello whose fields overrun their enclosing lengths. */
    CLIENT_HELLO_MALFORMED,
    /** A ServerHello whose fields overrun their enclosing lengths. */
    SERVER_HELLO_MALFORMED,
    /** A Certificate message or leaf certificate that does not parse. */
    CERTIFICATE_MALFORMED;

    private final Kind kind;

    TlsViolation() {
        this(Kind.PROBLEM);
    }

    TlsViolation(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "tls.violation";
    }
}
