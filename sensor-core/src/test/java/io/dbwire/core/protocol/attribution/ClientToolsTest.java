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
}
