package io.dbwire.core.record;

/** Values of the {@code protocol} field. */
public final class ProtocolNames {
    public static final String POSTGRESQL = "postgresql";
    public static final String MYSQL = "mysql";

    private ProtocolNames() {}
}
