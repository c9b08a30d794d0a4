package io.dbwire.daemon.console;

import io.dbwire.daemon.tls.KeyListenerToken;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Who may read the console. Without a token (bound to loopback) everyone who can reach the port may. With one, a
 * request must present it as {@code Authorization: Bearer T}, as the password of {@code Authorization: Basic}
 * (the browser's own prompt; any user name), or in the {@value #COOKIE} cookie that {@code /?token=T} sets.
 */
final class ConsoleAuth {
    static final String COOKIE = "dbwire_console";
    private static final String BEARER = "bearer ";
    private static final String BASIC = "basic ";

    /** Null = no authentication (loopback only; the config refuses other addresses without a token). */
    private final KeyListenerToken token;

    ConsoleAuth(KeyListenerToken token) {
        this.token = token;
    }

    boolean required() {
        return token != null;
    }

    /** @param cookies every {@code Cookie} header of the request */
    boolean allows(String auth, List<String> cookies) {
        if (token == null) {
            return true;
        }
        if (auth != null) {
            String lower = auth.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith(BEARER) && matches(auth.substring(BEARER.length()).strip())) {
                return true;
            }
            if (lower.startsWith(BASIC) && matches(basicPassword(auth.substring(BASIC.length()).strip()))) {
                return true;
            }
        }
        return matches(cookie(cookies));
    }

    /** The {@code token} parameter of a request's raw query (may be null), or null. */
    static String queryToken(String q) {
        if (q == null) {
            return null;
        }
        for (String part : q.split("&")) {
            if (part.startsWith("token=")) {
                return URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    boolean matches(String presented) {
        return presented != null && token.matches(presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String basicPassword(String encoded) {
        try {
            String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : pair.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String cookie(List<String> all) {
        for (String line : all) {
            for (String c : line.split(";")) {
                String t = c.strip();
                if (t.startsWith(COOKIE + "=")) {
                    return URLDecoder.decode(t.substring(COOKIE.length() + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }
}
