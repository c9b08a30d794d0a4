package io.dbwire.core.protocol;

/** The wire protocols the sensor parses. */
public enum DatabaseProtocol {
    POSTGRESQL,
    MYSQL
}
