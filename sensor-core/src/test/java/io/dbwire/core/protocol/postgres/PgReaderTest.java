package io.dbwire.core.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PgReaderTest {
    /** The strings, each NUL-terminated, back to back: a body as Bind or CommandComplete carry them. */
    private static byte[] body(String... strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    @Test
    void recurringStringsReadAsCstringDoesAndRepeatsShareOneInstance() {
        String[] strings = {"", "P0_1", "P0_1", "SELECT 1", "UPDATE 1", "INSERT 0 1", "caf\u00e9", "x".repeat(65),
            "SELECT 1", "SELECT 10"};
        PgReader recurring = new PgReader();
        PgReader plain = new PgReader();
        byte[] b = body(strings);
        recurring.reset(b, b.length, false);
        plain.reset(b, b.length, false);
        String[] read = new String[strings.length];
        for (int i = 0; i < strings.length; i++) {
            read[i] = recurring.recurringCstring();
            assertThat(read[i]).isEqualTo(plain.cstring()).isEqualTo(strings[i]);
        }
        assertThat(recurring.failed()).isFalse();
        assertThat(read[2]).isSameAs(read[1]); // a Bind naming the statement the last one named
        assertThat(read[0]).isSameAs("");
    }

    @Test
    void anUnterminatedStringFailsUnlessTheBodyWasTruncated() {
        byte[] b = "P0_1".getBytes(StandardCharsets.US_ASCII);
        PgReader r = new PgReader();
        r.reset(b, b.length, false);
        assertThat(r.recurringCstring()).isNull();
        assertThat(r.failed()).isTrue();
        r.reset(b, b.length, true);
        assertThat(r.recurringCstring()).isEqualTo("P0_1");
        assertThat(r.failed()).isFalse();
    }

    @Test
    void queryTextsReadAsCstringDoesAndARecurringTextIsTheSameInstance() {
        String select = "SELECT id, name FROM big WHERE id = 42";
        String[] texts = {"BEGIN", select, "COMMIT", "BEGIN", "SELECT caf\u00e9 FROM t", select + " ",
            "SELECT '" + "x".repeat(PgRecentStrings.MAX_TEXT_CHARS) + "'", "", select, "BEGIN"};
        PgReader recurring = new PgReader();
        PgReader plain = new PgReader();
        byte[] b = body(texts);
        recurring.reset(b, b.length, false);
        plain.reset(b, b.length, false);
        String[] read = new String[texts.length];
        for (int i = 0; i < texts.length; i++) {
            read[i] = recurring.queryCstring();
            assertThat(read[i]).isEqualTo(plain.cstring()).isEqualTo(texts[i]);
        }
        assertThat(recurring.failed()).isFalse();
        assertThat(read[3]).isSameAs(read[0]);
        assertThat(read[8]).isSameAs(read[1]); // not pushed out by the longer text that differs by a space
        assertThat(read[9]).isSameAs(read[0]);

        String longText = texts[6];
        recurring.reset(b, b.length, false);
        for (int i = 0; i < 6; i++) {
            recurring.queryCstring();
        }
        assertThat(recurring.queryCstring()).as("longer than kept: decoded again").isEqualTo(longText)
                .isNotSameAs(read[6]);
    }

    @Test
    void aTruncatedQueryTextIsItsKeptPrefixAndAnUnterminatedOneFails() {
        byte[] b = "SELECT 1".getBytes(StandardCharsets.US_ASCII);
        PgReader r = new PgReader();
        r.reset(b, b.length, false);
        assertThat(r.queryCstring()).isNull();
        assertThat(r.failed()).isTrue();
        r.reset(b, 6, true);
        assertThat(r.queryCstring()).isEqualTo("SELECT");
        assertThat(r.failed()).isFalse();
    }
}
