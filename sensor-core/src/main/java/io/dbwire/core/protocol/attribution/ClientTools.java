package io.dbwire.core.protocol.attribution;

import java.util.Locale;
import java.util.Map;

/**
 * Names the client program behind a connection from what its login announced (docs/records.md, client tools):
 * PostgreSQL startup parameters ({@code application_name} and the parameters a driver always sends), MySQL
 * connect attributes ({@code program_name}, {@code _client_name}). The first matching row of a small table wins;
 * no match is null, never a guess. The table is in docs/records.md; keep the two in step.
 */
public final class ClientTools {
    /** What a login names that many programs share (C libraries): a statement may still name the program. */
    private static final java.util.Set<String> LIBRARIES = java.util.Set.of("libpq", "libmysqlclient", "libmariadb");
    /** The mysql/mariadb command-line client's first statement in an interactive session (its banner). */
    private static final java.util.regex.Pattern MYSQL_BANNER = java.util.regex.Pattern.compile(
            "(?i)\\s*select\\s+@@version_comment\\s+limit\\s+(?:1|\\?)\\s*;?\\s*");
    /** MySQL Connector/J's session-variable query at connect (its comment naming the driver is not in normalised text). */
    private static final java.util.regex.Pattern CONNECTOR_J = java.util.regex.Pattern.compile(
            "(?is)\\s*(?:/\\*.*?\\*/\\s*)?select\\s+@@session\\.auto_increment_increment\\s+as\\s+auto_increment_increment\\b");
    /**
     * psql's backslash commands (\d, \dt, \l…): queries on {@code pg_catalog.} naming their columns with the
     * capitalised English headers psql displays (case-sensitive: other tools' lower-case aliases do not count).
     */
    private static final java.util.regex.Pattern PSQL_HEADER = java.util.regex.Pattern.compile(
            "\\b(?i:as)\\s+\"(?:Schema|Name|Owner)\"");

    private ClientTools() {}

    /** Whether a tool named by the login is a program, not one of the libraries many programs share. */
    public static boolean decisive(String tool) {
        return tool != null && !LIBRARIES.contains(tool);
    }

    /**
     * A program recognised by a statement only it sends at its start (docs/records.md, client tools), from the
     * statement text as recorded (normalised or full); null when none. Consulted for a connection's first
     * statements only, and only while the login named no program ({@link #decisive}).
     */
    public static String fromStatement(String text) {
        if (text == null) {
            return null;
        }
        if (MYSQL_BANNER.matcher(text).matches()) {
            return "mysql";
        }
        if (CONNECTOR_J.matcher(text).lookingAt()) {
            return "Connector/J";
        }
        if (text.contains("pg_catalog.") && PSQL_HEADER.matcher(text).find()) {
            return "psql";
        }
        return null;
    }

    /** {@code application} is the startup's application_name; {@code parameters} the other startup parameters. */
    public static String postgres(String application, Map<String, String> parameters) {
        String app = application == null ? "" : application;
        String lower = app.toLowerCase(Locale.ROOT);
        switch (app) {
            case "psql", "pgbench", "pg_dump", "pg_dumpall", "pg_restore", "pg_basebackup", "pg_receivewal",
                    "vacuumdb", "reindexdb", "clusterdb", "createdb", "dropdb" -> {
                return app; // libpq's own programs set their name as fallback_application_name
            }
            case "PostgreSQL JDBC Driver" -> {
                return "pgjdbc";
            }
            default -> { }
        }
        if (lower.startsWith("pgadmin")) {
            return "pgAdmin";
        }
        if (lower.startsWith("dbeaver")) {
            return "DBeaver";
        }
        if (lower.startsWith("datagrip")) {
            return "DataGrip";
        }
        Map<String, String> p = parameters == null ? Map.of() : parameters;
        if ("UTF8".equals(p.get("client_encoding")) && "ISO".equals(p.get("DateStyle")) && p.containsKey("TimeZone")) {
            // pgjdbc's startup on every connection, whatever its ApplicationName (which 42.x sends afterwards as
            // SET application_name, with SET extra_float_digits): seen on the wire in AttributionPostgresCaptureTest
            return "pgjdbc";
        }
        if (p.isEmpty() || (p.size() == 1 && p.containsKey("client_encoding"))) {
            return "libpq"; // user, database and at most application_name and client_encoding: libpq's startup
        }
        return null;
    }

    /** {@code attributes}: the HandshakeResponse41's connect attributes (may be empty). */
    public static String mysql(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        String program = attributes.getOrDefault("program_name", "");
        switch (program) {
            case "mysql", "mariadb" -> {
                return "mysql"; // the command-line client (MySQL's and MariaDB's)
            }
            case "mysqldump", "mariadb-dump", "mysqlpump", "mysqladmin", "mariadb-admin", "mysqlimport",
                    "mysqlcheck", "mysqlbinlog", "sysbench" -> {
                return program;
            }
            case "MySQLWorkbench" -> {
                return "MySQL Workbench";
            }
            default -> { }
        }
        String client = attributes.getOrDefault("_client_name", "");
        switch (client.toLowerCase(Locale.ROOT)) {
            case "mysql connector/j", "mysql-connector-java" -> {
                return "Connector/J";
            }
            case "mariadb connector/j" -> {
                return "MariaDB Connector/J";
            }
            case "pymysql" -> {
                return "PyMySQL";
            }
            case "mysql-connector-python" -> {
                return "Connector/Python";
            }
            case "mysqlnd" -> {
                return "PHP mysqlnd";
            }
            case "go-mysql-driver" -> {
                return "Go-MySQL-Driver";
            }
            case "libmysql" -> {
                return "libmysqlclient"; // C API users: mysqlclient (MySQLdb), Perl DBD::mysql, …
            }
            case "libmariadb" -> {
                return "libmariadb"; // MariaDB Connector/C users: mysqlclient built against it, …
            }
            default -> { }
        }
        return null;
    }
}
