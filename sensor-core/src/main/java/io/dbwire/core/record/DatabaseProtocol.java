package io.dbwire.core.record;

/** The wire protocols the sensor parses; a record's {@code protocol} field holds {@link #wireName()}. */
public enum DatabaseProtocol {
    POSTGRESQL("postgresql"),
    MYSQL("mysql");

    private final String wireName;

    DatabaseProtocol(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the records' {@code protocol} field (docs/records.md). */
    public String wireName() {
        return wireName;
    }
}
