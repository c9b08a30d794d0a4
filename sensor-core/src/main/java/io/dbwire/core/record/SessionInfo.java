package io.dbwire.core.record;

/**
 * What the sensor knows about the database session a record belongs to. Identity it could not see (a
 * connection picked up mid-stream, or a TLS session without keys) is {@code null}, never guessed.
 *
 * @param tls       the connection switched to TLS (SSLRequest answered 'S', direct TLS, MySQL SSLRequest)
 * @param decrypted the record was read from decrypted TLS application data (keys from a key log)
 */
public record SessionInfo(String user, String database, String application, boolean tls, boolean midStream,
        boolean decrypted) {

    /** A session whose records were read in clear (or a bare TLS record): not decrypted. */
    public SessionInfo(String user, String database, String application, boolean tls, boolean midStream) {
        this(user, database, application, tls, midStream, false);
    }
}
