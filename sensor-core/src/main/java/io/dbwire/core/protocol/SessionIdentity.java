package io.dbwire.core.protocol;

import io.dbwire.core.record.SessionInfo;

/**
 * Who a connection's records belong to, as far as the sensor saw it: identity from the startup or handshake
 * (changed later by the protocol: USE, COM_CHANGE_USER, application_name reports), never guessed. A connection
 * picked up mid-stream keeps nulls and says so. The {@link SessionInfo} block is built once per change.
 *
 * <p>One rule for empty values: a database or application sent as {@code ""} is recorded as null, because an
 * empty value is how clients (and the server's own ParameterStatus report) say that nothing was set. The user is
 * kept as sent: MySQL's anonymous account is the empty user name.
 */
public final class SessionIdentity {
    /** Records of the decrypted bytes of a TLS session: marked {@code tls} and {@code decrypted}. */
    private final boolean insideTls;
    private boolean joinedLate;
    private String user;
    private String database;
    private String application;
    private String authMethod;
    private String protocolVersion;
    private String clientTool;
    private java.util.Map<String, String> attributes;
    private SessionInfo info;
    /** Statements seen, counted up to {@link #TOOL_STATEMENTS}. */
    private int statementsSeen;

    /** A connection's first statements that may name its client program (a tool's start-up or first command). */
    static final int TOOL_STATEMENTS = 3;

    public SessionIdentity(boolean joinedLate, boolean insideTls) {
        this.joinedLate = joinedLate;
        this.insideTls = insideTls;
    }

    /** The start of the connection was not seen after all. */
    public void joinedLate() {
        joinedLate = true;
        info = null;
    }

    public void set(String newUser, String newDatabase, String newApplication) {
        user = newUser;
        database = nullIfEmpty(newDatabase);
        application = nullIfEmpty(newApplication);
        info = null;
    }

    public void user(String newUser) {
        user = newUser;
        info = null;
    }

    public void database(String newDatabase) {
        database = nullIfEmpty(newDatabase);
        info = null;
    }

    public void application(String newApplication) {
        application = nullIfEmpty(newApplication);
        info = null;
    }

    /**
     * The client program the login announced ({@link io.dbwire.core.protocol.attribution.ClientTools}) and the
     * attributes it announced (shown on the login record only; null or empty for none).
     */
    public void client(String tool, java.util.Map<String, String> announced) {
        clientTool = tool;
        attributes = announced == null || announced.isEmpty() ? null
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(announced));
        info = null;
    }

    /**
     * A statement of the connection, before its record is made: among the first {@link #TOOL_STATEMENTS} of a
     * connection seen from its start whose login named no program (nothing, or only a shared C library), one that
     * only a known tool sends names the tool ({@link io.dbwire.core.protocol.attribution.ClientTools#fromStatement})
     * for that record and the later ones. The login record keeps what the login said.
     */
    public void statement(String text) {
        if (statementsSeen >= TOOL_STATEMENTS) {
            return;
        }
        statementsSeen++;
        if (joinedLate || io.dbwire.core.protocol.attribution.ClientTools.decisive(clientTool)) {
            return;
        }
        String tool = io.dbwire.core.protocol.attribution.ClientTools.fromStatement(text);
        if (tool != null) {
            clientTool = tool;
            info = null;
        }
    }

    /** The wire protocol version in effect, e.g. PostgreSQL {@code 3.0} or {@code 3.2}. */
    public void protocolVersion(String version) {
        protocolVersion = version;
        info = null;
    }

    private static String nullIfEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The authentication method or plugin the server asked for (the last one, after a switch). */
    public void authMethod(String method) {
        authMethod = method;
        info = null;
    }

    public String user() {
        return user;
    }

    public String database() {
        return database;
    }

    public String application() {
        return application;
    }

    public boolean isJoinedLate() {
        return joinedLate;
    }

    /** The session block of statement and login records. */
    public SessionInfo info() {
        if (info == null) {
            info = new SessionInfo(user, database, application, insideTls, joinedLate, insideTls, authMethod,
                    protocolVersion, clientTool, null);
        }
        return info;
    }

    /** The session block of a login record: with the attributes the client announced. */
    public SessionInfo loginInfo() {
        return attributes == null ? info() : info().withAttributes(attributes);
    }

    /** The session block of a record about an encrypted stretch the sensor could not read. */
    public SessionInfo encryptedInfo() {
        return new SessionInfo(user, database, application, true, joinedLate, false, authMethod, protocolVersion,
                clientTool, null);
    }
}
