package io.dbwire.core.decap;

import java.io.ByteArrayOutputStream;

/** Byte fixtures written as hex, one header field per argument so each can carry a comment. */
public final class Hex {
    private Hex() {}

    /** Concatenates the hex digits of every part; spaces are ignored. */
    public static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            String digits = part.replace(" ", "");
            if (digits.length() % 2 != 0) {
                throw new IllegalArgumentException("odd number of hex digits: " + part);
            }
            for (int i = 0; i < digits.length(); i += 2) {
                out.write(Integer.parseInt(digits.substring(i, i + 2), 16));
            }
        }
        return out.toByteArray();
    }
}
