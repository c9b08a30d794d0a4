package io.dbwire.core.protocol.sensitive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ValueScannerTest {
    private final ValueScanner scanner = new ValueScanner();

    /** {card, national id, email} found in one value. */
    private int[] scan(String value) {
        int[] found = new int[3];
        byte[] b = ("##" + value + "##").getBytes(StandardCharsets.UTF_8);
        // A value inside a larger buffer: the scanner must honour from/to.
        scanner.scan(b, 2, b.length - 2, 0, (column, kind) -> found[kind]++);
        return found;
    }

    private int cards(String v) {
        return scan(v)[ValueScanner.CARD];
    }

    private int ids(String v) {
        return scan(v)[ValueScanner.NATIONAL_ID];
    }

    private int emails(String v) {
        return scan(v)[ValueScanner.EMAIL];
    }

    @Test
    void luhnValidTestNumbersOfEachNetworkAreCards() {
        String[] valid = {"4111111111111111", "4222222222222", "4000000000000000006", "5555555555554444",
            "2223003122003222", "378282246310005", "6011111111111117", "3530111333300000", "30569309025904",
            "6200000000000005", "6759649826438453"};
        for (String n : valid) {
            assertThat(cards(n)).as(n).isEqualTo(1);
        }
    }

    @Test
    void oneWrongDigitFailsTheLuhnCheck() {
        assertThat(cards("4111111111111112")).isZero();
        assertThat(cards("378282246310006")).isZero();
        assertThat(cards("5555555555554445")).isZero();
    }

    @Test
    void groupedBySpacesOrHyphensButNotMixed() {
        assertThat(cards("4111 1111 1111 1111")).isEqualTo(1);
        assertThat(cards("4111-1111-1111-1111")).isEqualTo(1);
        assertThat(cards("3782 822463 10005")).isEqualTo(1);
        assertThat(cards("4111 1111-1111 1111")).isZero();
        assertThat(cards("4111  1111 1111 1111")).isZero(); // a double space ends the number
    }

    @Test
    void lengthPrefixAndBoundaries() {
        assertThat(cards("1234567812345670")).as("Luhn-valid, no network starts with 1").isZero();
        assertThat(cards("41111111111111113")).as("17 digits, Luhn-valid: no Visa length").isZero();
        assertThat(cards("411111111117")).as("12 digits, Luhn-valid").isZero();
        assertThat(cards("41111111111111111111111")).as("a longer digit run").isZero();
        assertThat(cards("x4111111111111111")).as("preceded by a letter").isZero();
        assertThat(cards("4111111111111111x")).as("followed by a letter").isZero();
        assertThat(cards("card:4111111111111111,exp:12/29")).isEqualTo(1);
        assertThat(cards("4111111111111111 and 5555555555554444")).isEqualTo(2);
        assertThat(cards("")).isZero();
        assertThat(cards("4")).isZero();
    }

    @Test
    void socialSecurityNumbersWithTheNeverIssuedRangesExcluded() {
        assertThat(ids("123-45-6788")).isEqualTo(1);
        assertThat(ids("SSN 856-45-6789.")).isEqualTo(1);
        for (String invalid : new String[] {"000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456",
            "123-00-4567", "123-45-0000", "078-05-1120", "219-09-9999", "123-45-6789", "123456788",
            "123-45-67880", "1123-45-6788", "123 45 6788", "2024-01-15"}) {
            assertThat(ids(invalid)).as(invalid).isZero();
        }
    }

    @Test
    void emailAddresses() {
        assertThat(emails("alice@example.com")).isEqualTo(1);
        assertThat(emails("First.Last+tag@mail.sub.example.co.uk")).isEqualTo(1);
        assertThat(emails("a@x.io,b@y.io; c@z.org")).isEqualTo(3);
        assertThat(emails("mail bob@example.com.")).isEqualTo(1);
        for (String not : new String[] {"a@b", "x@y.c", "x@example.c0m", "@example.com", "user@", "@", "a@@b.com",
            "a@-b.com", "a@.com", "a@b..com"}) {
            assertThat(emails(not)).as(not).isZero();
        }
    }

    @Test
    void nonAsciiBytesAreNeitherDigitsNorLetters() {
        assertThat(scan("Zoë 4111111111111111 €")[ValueScanner.CARD]).isEqualTo(1);
        assertThat(scan("\u00e9l\u00e8ve@\u00e9cole.fr")[ValueScanner.EMAIL]).isZero();
    }
}
