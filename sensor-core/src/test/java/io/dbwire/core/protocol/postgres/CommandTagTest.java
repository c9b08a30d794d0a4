package io.dbwire.core.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandTagTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "null", value = {
        // tag,             rows_affected, rows (when no DataRow was seen)
        "INSERT 0 5,        5,    null",
        "INSERT 16385 1,    1,    null",
        "UPDATE 3,          3,    null",
        "DELETE 0,          0,    null",
        "MERGE 12,          12,   null",
        "COPY 1000000,      1000000, null",
        "SELECT 7,          null, 7",
        "FETCH 20,          null, 20",
        "MOVE 4,            null, 4",
        "CREATE TABLE,      null, null",
        "BEGIN,             null, null",
        "UPDATE,            null, null",
        "UPDATE x1,         null, null",
        "DELETE 99999999999999999999, null, null",
        "'',                null, null",
        "UPDATES 3,         null, null",
        "SELECTED 3,        null, null",
        "DELETE 70000,      70000, null",
    })
    void countsFromTheTag(String tag, Long affected, Long rows) {
        assertThat(CommandTag.rowsAffected(tag)).isEqualTo(affected);
        assertThat(CommandTag.rowsReturned(tag)).isEqualTo(rows);
    }
}
