package io.dbwire.core.protocol.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientToolsTest {
    @Test
    void postgresToolsByApplicationName() {
        assertThat(ClientTools.postgres("psql", Map.of())).isEqualTo("psql");
        assertThat(ClientTools.postgres("pgAdmin 4 - DB:shop", Map.of("client_encoding", "UTF8"))).isEqualTo("pgAdmin");
        assertThat(ClientTools.postgres("DBeaver 23.2.0 - Main <shop>", Map.of())).isEqualTo("DBeaver");
        assertThat(ClientTools.postgres("pg_dump", Map.of())).isEqualTo("pg_dump");
    }

    @Test
    void pgjdbcByItsStartupParametersWhateverItsApplicationName() {
        Map<String, String> jdbc = Map.of("client_encoding", "UTF8", "DateStyle", "ISO", "TimeZone", "UTC",
                "extra_float_digits", "2");
        assertThat(ClientTools.postgres("orders-api", jdbc)).isEqualTo("pgjdbc");
        assertThat(ClientTools.postgres("PostgreSQL JDBC Driver", jdbc)).isEqualTo("pgjdbc");
        // pgjdbc 42.x as captured: application_name and extra_float_digits come later, as SET statements.
        assertThat(ClientTools.postgres(null, Map.of("client_encoding", "UTF8", "DateStyle", "ISO",
                "TimeZone", "Etc/UTC"))).isEqualTo("pgjdbc");
    }

    @Test
    void aLibpqStartupAndAnUnknownOne() {
        assertThat(ClientTools.postgres("orders-api", Map.of())).isEqualTo("libpq");
        assertThat(ClientTools.postgres(null, Map.of("client_encoding", "UTF8"))).isEqualTo("libpq");
        assertThat(ClientTools.postgres(null, Map.of("client_encoding", "UTF8", "options", "-c x=1"))).isNull();
    }

    @Test
    void mysqlToolsProgramNameFirstThenClientLibrary() {
        assertThat(ClientTools.mysql(Map.of("_client_name", "libmariadb", "program_name", "mysql"))).isEqualTo("mysql");
        assertThat(ClientTools.mysql(Map.of("program_name", "MySQLWorkbench", "_client_name", "libmysql")))
                .isEqualTo("MySQL Workbench");
        assertThat(ClientTools.mysql(Map.of("_client_name", "MySQL Connector/J"))).isEqualTo("Connector/J");
        assertThat(ClientTools.mysql(Map.of("_client_name", "MariaDB Connector/J"))).isEqualTo("MariaDB Connector/J");
        assertThat(ClientTools.mysql(Map.of("_client_name", "pymysql", "_pid", "1"))).isEqualTo("PyMySQL");
        assertThat(ClientTools.mysql(Map.of("_client_name", "libmysql"))).isEqualTo("libmysqlclient");
        assertThat(ClientTools.mysql(Map.of("_client_name", "something-else"))).isNull();
        assertThat(ClientTools.mysql(Map.of())).isNull();
    }

    /** psql 15's query for {@code \d}, as sent (describe.c, listTables). */
    static final String PSQL_D = "SELECT n.nspname as \"Schema\",\n  c.relname as \"Name\",\n"
            + "  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' END as \"Type\",\n"
            + "  pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\"\nFROM pg_catalog.pg_class c\n"
            + "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
            + "WHERE c.relkind IN ('r','p','v','m','S','f','')\n  AND pg_catalog.pg_table_is_visible(c.oid)\n"
            + "ORDER BY 1,2;";

    @Test
    void toolsByTheStatementsOnlyTheySend() {
        assertThat(ClientTools.fromStatement("select @@version_comment limit 1")).isEqualTo("mysql");
        assertThat(ClientTools.fromStatement("SELECT @@version_comment LIMIT ?")).isEqualTo("mysql"); // normalised
        assertThat(ClientTools.fromStatement("/* mysql-connector-j-8.4.0 (Revision: 1c3f5c1) */SELECT"
                + "  @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS"
                + " character_set_client")).isEqualTo("Connector/J");
        assertThat(ClientTools.fromStatement(PSQL_D)).isEqualTo("psql");
        assertThat(ClientTools.fromStatement(PSQL_D.replace(" as ", " AS "))).isEqualTo("psql"); // normalised
    }

    @Test
    void nothingIsGuessedFromOrdinaryStatements() {
        assertThat(ClientTools.fromStatement(null)).isNull();
        assertThat(ClientTools.fromStatement("SELECT 1")).isNull();
        assertThat(ClientTools.fromStatement("SELECT @@version_comment")).isNull();
        assertThat(ClientTools.fromStatement("SELECT @@version_comment LIMIT 1; DROP TABLE t")).isNull();
        // an application's own catalog query with lower-case aliases, and English headers off the catalog
        assertThat(ClientTools.fromStatement("SELECT c.relname AS \"name\" FROM pg_catalog.pg_class c")).isNull();
        assertThat(ClientTools.fromStatement("SELECT name AS \"Name\" FROM customers")).isNull();
        assertThat(ClientTools.decisive("libpq")).isFalse();
        assertThat(ClientTools.decisive("libmariadb")).isFalse();
        assertThat(ClientTools.decisive("pgjdbc")).isTrue();
        assertThat(ClientTools.decisive(null)).isFalse();
    }
}
