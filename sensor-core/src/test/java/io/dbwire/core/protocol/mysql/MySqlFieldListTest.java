package io.dbwire.core.protocol.mysql;

import static io.dbwire.core.protocol.mysql.MySqlBytes.column;
import static io.dbwire.core.protocol.mysql.MySqlBytes.eof;
import static io.dbwire.core.protocol.mysql.MySqlBytes.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MySqlFieldListTest {
    @Test
    void fieldListNamesItsTableAndWildcardUnderOneFingerprint() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, payload().int1(MySqlWire.COM_FIELD_LIST).nul("customers").packet(0)) // no wildcard
                .server(1100, column(1, "id"), column(2, "name"), eof(3, 2))
                .client(2000, payload().int1(MySqlWire.COM_FIELD_LIST).nul("orders").str("tot%").packet(0))
                .server(2100, column(1, "total"), eof(2, 2))
                .run();
        List<TransactionRecord> s = r.records().stream().filter(x -> x.kind() == RecordKind.STATEMENT)
                .collect(Collectors.toList());
        assertThat(s).extracting(x -> x.statement().text())
                .containsExactly("COM_FIELD_LIST customers", "COM_FIELD_LIST orders tot%");
        assertThat(s).extracting(x -> x.statement().operation()).containsOnly("FIELD_LIST");
        assertThat(s.get(0).statement().fingerprint()).isEqualTo(s.get(1).statement().fingerprint());
    }

    @Test
    void aFieldListWithoutItsTerminatorIsAViolationAndStillARecord() {
        MySqlScript.Result r = MySqlFixtures.login(MySqlScript.connection(), MySqlFixtures.MODERN)
                .client(1000, payload().int1(MySqlWire.COM_FIELD_LIST).str("customers").packet(0)) // no NUL
                .server(1100, eof(1, 2))
                .run();
        assertThat(r.records().get(1).statement().text()).isEqualTo("COM_FIELD_LIST");
        assertThat(r.count(MySqlEvent.PROTOCOL_VIOLATION_BODY)).isEqualTo(1);
    }
}
