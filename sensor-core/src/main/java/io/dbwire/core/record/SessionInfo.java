package io.dbwire.core.record;

/**
 * What the sensor knows about the database session a record belongs to. Identity it could not see (a
 * connection picked up mid-stream, or a TLS session without keys) is {@code null}, never guessed.
 *
 * @param tls        the connection switched to TLS (SSLRequest answered 'S', direct TLS, MySQL SSLRequest)
 * @param decrypted  the record was read from decrypted TLS application data (keys from a key log)
 * @param authMethod how the server had the client authenticate, as seen on the wire: PostgreSQL {@code trust},
 *                   {@code password} (clear text), {@code md5}, {@code scram-sha-256}, {@code gss}, {@code sspi};
 *                   MySQL the auth plugin ({@code caching_sha2_password}, {@code mysql_clear_password}, …);
 *                   null when not seen
 * @param protocolVersion the wire protocol version in effect: PostgreSQL {@code 3.0} or {@code 3.2} (the
 *                   StartupMessage's, lowered by NegotiateProtocolVersion); null for MySQL and when not seen
 * @param clientTool the client program its login announced ({@code psql}, {@code pgjdbc}, {@code mysql},
 *                   {@code Connector/J}…; the table in docs/records.md), null when nothing matched or not seen
 * @param attributes what the client announced at login besides user, database and application: MySQL connect
 *                   attributes, PostgreSQL's other startup parameters; only on {@code login} records, else null
 */
public record SessionInfo(String user, String database, String application, boolean tls, boolean midStream,
        boolean decrypted, String authMethod, String protocolVersion, String clientTool,
        java.util.Map<String, String> attributes) {

    public SessionInfo(String user, String database, String application, boolean tls, boolean midStream,
            boolean decrypted, String authMethod, String protocolVersion) {
        this(user, database, application, tls, midStream, decrypted, authMethod, protocolVersion, null, null);
    }

    /** This block with the login's announced attributes, for the {@code login} record. */
    public SessionInfo withAttributes(java.util.Map<String, String> announced) {
        return new SessionInfo(user, database, application, tls, midStream, decrypted, authMethod, protocolVersion,
                clientTool, announced);
    }

    public SessionInfo(String user, String database, String application, boolean tls, boolean midStream,
            boolean decrypted, String authMethod) {
        this(user, database, application, tls, midStream, decrypted, authMethod, null);
    }

    /** A session whose records were read in clear (or a bare TLS record): not decrypted. */
    public SessionInfo(String user, String database, String application, boolean tls, boolean midStream) {
        this(user, database, application, tls, midStream, false, null, null);
    }

    public SessionInfo(String user, String database, String application, boolean tls, boolean midStream,
            boolean decrypted) {
        this(user, database, application, tls, midStream, decrypted, null, null);
    }

    /** Whether the password crossed the network readable by anyone on the path. */
    public boolean clearTextPassword() {
        return !tls && ("password".equals(authMethod) || "mysql_clear_password".equals(authMethod));
    }
}
