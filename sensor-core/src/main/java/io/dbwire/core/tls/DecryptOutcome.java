package io.dbwire.core.tls;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/**
 * What became of one protected TLS record; counted per session. Never an exception, never wrong plaintext. Without
 * keys every protected record is NO_KEYS, and a session picked up mid-stream has no ClientHello: both are the normal
 * metadata-only case (volume). Records that fail to decrypt or are lost are problems.
 */
public enum DecryptOutcome implements CountedEvent {
    /** Authenticated and decrypted (application data or a protected handshake message). */
    DECRYPTED(VOLUME),
    /** Held in the bounded buffer because its keys had not arrived yet (later counted again as what it became). */
    QUEUED_FOR_KEYS(VOLUME),
    /** No usable secret for this record: none in the key log when the session closed, or the wrong ones. */
    NO_KEYS(VOLUME),
    /** The wait buffer was full; this record and the rest of its direction cannot be decrypted. */
    BUFFER_FULL,
    /** The AEAD tag did not verify: wrong key, tampered or corrupted record. Nothing is emitted for it. */
    TAG_FAILURE,
    /** Shorter than the AEAD overhead. */
    TRUNCATED,
    /** The negotiated suite is not one of {@link TlsCipherSuite}. */
    UNSUPPORTED_CIPHER,
    /** The ClientHello (and so the client random, the key log's key) was not seen: mid-stream pickup. */
    NO_CLIENT_HELLO(VOLUME),
    /** Part of the record was lost in a TCP gap; with the sequence number known, decryption continues after it. */
    LOST_IN_GAP,
    /** After a gap lost the record framing or the key stage, the direction stays undecryptable. */
    AFTER_LOSS,
    /** TLS 1.3 0-RTT data (needs CLIENT_EARLY_TRAFFIC_SECRET, not supported). */
    EARLY_DATA,
    /** A TLS 1.3 inner plaintext with no content type (all zeros). */
    BAD_INNER_PLAINTEXT;

    private final Kind kind;

    DecryptOutcome() {
        this(Kind.PROBLEM);
    }

    DecryptOutcome(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "tls.decrypt";
    }
}
