package io.dbwire.core.protocol.sensitive;

/**
 * Finds sensitive values in the bytes of one result value (UTF-8 or any ASCII-compatible encoding) without
 * building a string: one pass, a fixed scratch array, nothing allocated. What counts (docs/records.md):
 * <ul>
 *   <li>a <b>card number</b>: 13–19 digits, optionally grouped by single spaces or hyphens, not part of a longer
 *       run of digits or letters, with a known network prefix and length (Visa, Mastercard, Amex, Discover, JCB,
 *       Diners, UnionPay, Maestro) and a valid Luhn check digit;</li>
 *   <li>a <b>national identifier</b>: a US social security number written {@code AAA-GG-SSSS}, except the ranges
 *       never issued (area 000, 666, 900–999; group 00; serial 0000) and three numbers known as samples
 *       (078-05-1120, 219-09-9999, 123-45-6789);</li>
 *   <li>an <b>e-mail address</b>: a local part of {@code [A-Za-z0-9._%+-]}, {@code @}, a domain of at least two
 *       labels whose last is two or more letters.</li>
 * </ul>
 * Not thread-safe (the scratch array): one per session.
 */
final class ValueScanner {
    static final int CARD = 0;
    static final int NATIONAL_ID = 1;
    static final int EMAIL = 2;

    /** Where findings go: {@code kind} is {@link #CARD}, {@link #NATIONAL_ID} or {@link #EMAIL}. */
    interface Findings {
        void found(int column, int kind);
    }

    private static final int MAX_DIGITS = 19;
    private static final int MAX_GROUPS = 8;
    private static final int MAX_LOCAL = 64;
    private final int[] digits = new int[MAX_DIGITS + 1];
    private final int[] groups = new int[MAX_GROUPS];

    void scan(byte[] b, int from, int to, int column, Findings out) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xff;
            if (isDigit(c) && (i == from || !isAlnum(b[i - 1] & 0xff))) {
                i = number(b, i, to, column, out);
            } else if (c == '@') {
                i = email(b, from, i, to, column, out);
            } else {
                i++;
            }
        }
    }

    /** Reads a digit group run from {@code at}; returns where scanning continues. */
    private int number(byte[] b, int at, int to, int column, Findings out) {
        int n = 0;
        int g = 0;
        int groupLen = 0;
        char separator = 0;
        int i = at;
        while (i < to) {
            int c = b[i] & 0xff;
            if (isDigit(c)) {
                if (n <= MAX_DIGITS) {
                    digits[n] = c - '0';
                }
                n++;
                groupLen++;
                i++;
            } else if ((c == ' ' || c == '-') && i + 1 < to && isDigit(b[i + 1] & 0xff)
                    && (separator == 0 || separator == c) && g < MAX_GROUPS - 1) {
                separator = (char) c;
                groups[g++] = groupLen;
                groupLen = 0;
                i++;
            } else {
                break;
            }
        }
        groups[g++] = groupLen;
        boolean bounded = i == to || !isAlnum(b[i] & 0xff);
        if (!bounded) {
            return i;
        }
        if (separator == '-' && g == 3 && groups[0] == 3 && groups[1] == 2 && groups[2] == 4) {
            if (ssn()) {
                out.found(column, NATIONAL_ID);
            }
        } else if (n >= 13 && n <= MAX_DIGITS && card(n)) {
            out.found(column, CARD);
        }
        return i;
    }

    private boolean ssn() {
        int area = digits[0] * 100 + digits[1] * 10 + digits[2];
        int group = digits[3] * 10 + digits[4];
        int serial = digits[5] * 1000 + digits[6] * 100 + digits[7] * 10 + digits[8];
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
            return false;
        }
        return !((area == 78 && group == 5 && serial == 1120) || (area == 219 && group == 9 && serial == 9999)
                || (area == 123 && group == 45 && serial == 6789));
    }

    private boolean card(int n) {
        return networkPrefix(n) && luhn(n);
    }

    /** IIN ranges and lengths of the networks named in the class comment. */
    private boolean networkPrefix(int n) {
        int p2 = digits[0] * 10 + digits[1];
        int p3 = p2 * 10 + digits[2];
        int p4 = p3 * 10 + digits[3];
        switch (digits[0]) {
            case 2:
                return n == 16 && p4 >= 2221 && p4 <= 2720; // Mastercard 2-series
            case 3:
                return (n == 15 && (p2 == 34 || p2 == 37)) // Amex
                        || (n >= 14 && ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39)) // Diners
                        || (n >= 16 && p4 >= 3528 && p4 <= 3589); // JCB
            case 4:
                return n == 13 || n == 16 || n == 19; // Visa
            case 5:
                return (n == 16 && p2 >= 51 && p2 <= 55) || p2 == 50 || (p2 >= 56 && p2 <= 58); // MC, Maestro
            case 6:
                return true; // Discover, UnionPay, Maestro 6x: 13-19 digits
            default:
                return false;
        }
    }

    /** https://en.wikipedia.org/wiki/Luhn_algorithm — double every second digit from the right. */
    private boolean luhn(int n) {
        int sum = 0;
        for (int k = 0; k < n; k++) {
            int d = digits[n - 1 - k];
            if ((k & 1) == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** At an '@': a local part before it and a domain after it; returns where scanning continues. */
    private int email(byte[] b, int from, int at, int to, int column, Findings out) {
        int start = at;
        while (start > from && at - start < MAX_LOCAL && isLocal(b[start - 1] & 0xff)) {
            start--;
        }
        if (start == at) {
            return at + 1;
        }
        int i = at + 1;
        int labels = 0;
        int labelLen = 0;
        boolean lettersOnly = true;
        int lastLabelLen = 0;
        boolean lastLettersOnly = false;
        while (i < to) {
            int c = b[i] & 0xff;
            if (isAlnum(c) || (c == '-' && labelLen > 0)) {
                lettersOnly &= isLetter(c);
                labelLen++;
                i++;
            } else if (c == '.' && labelLen > 0 && i + 1 < to && isAlnum(b[i + 1] & 0xff)) {
                labels++;
                labelLen = 0;
                lettersOnly = true;
                i++;
            } else {
                break;
            }
        }
        if (labelLen > 0) {
            labels++;
            lastLabelLen = labelLen;
            lastLettersOnly = lettersOnly;
        }
        if (labels >= 2 && lastLabelLen >= 2 && lastLettersOnly) {
            out.found(column, EMAIL);
        }
        return Math.max(i, at + 1);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnum(int c) {
        return isDigit(c) || isLetter(c);
    }

    private static boolean isLocal(int c) {
        return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }
}
