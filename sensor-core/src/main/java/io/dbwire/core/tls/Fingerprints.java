package io.dbwire.core.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * JA3 and JA4 client fingerprints of a ClientHello.
 *
 * <p>JA3 (Salesforce, https://github.com/salesforce/ja3): {@code SSLVersion,Ciphers,Extensions,EllipticCurves,
 * EllipticCurvePointFormats}, decimal values joined by '-', GREASE removed from ciphers, extensions and groups;
 * the hash is the MD5 of that string.
 *
 * <p>JA4 (FoxIO, https://github.com/FoxIO-LLC/ja4/blob/main/technical_details/JA4.md): {@code a_b_c} where a =
 * protocol 't', version (highest non-GREASE supported_versions entry, else legacy_version), 'd'/'i' for
 * SNI present/absent, two-digit cipher and extension counts (capped at 99), first+last character of the first
 * ALPN value ("00" if none; the first and last hex digit of the value if either character is not alphanumeric);
 * b = first 12 hex of SHA-256 over the sorted 4-hex-digit cipher list; c = the same over the sorted extension
 * list without SNI (0000) and ALPN (0010), then '_' and the signature algorithms in wire order (no '_' when
 * there are none). GREASE handling here: GREASE values are dropped from ciphers, extensions, signature
 * algorithms and supported_versions before counting, sorting or choosing (the spec: "ignore GREASE values
 * anywhere"). An empty list hashes to "000000000000".
 */
public final class Fingerprints {
    private Fingerprints() {}

    public static String ja3(ClientHello h) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(h.legacyVersion()).append(',');
        joinDecimal(sb, h.cipherSuites(), true);
        sb.append(',');
        joinDecimal(sb, h.extensions(), true);
        sb.append(',');
        joinDecimal(sb, h.supportedGroups(), true);
        sb.append(',');
        joinDecimal(sb, h.ecPointFormats(), false);
        return sb.toString();
    }

    public static String ja3Hash(String ja3) {
        return hex(digest("MD5", ja3), 32);
    }

    public static String ja4(ClientHello h) {
        List<Integer> ciphers = noGrease(h.cipherSuites());
        List<Integer> exts = noGrease(h.extensions());
        StringBuilder a = new StringBuilder(10);
        a.append('t').append(ja4Version(h)).append(h.hasSni() ? 'd' : 'i');
        a.append(String.format("%02d%02d", Math.min(99, ciphers.size()), Math.min(99, exts.size())));
        a.append(alpnChars(h.alpn()));

        List<Integer> sortedCiphers = new ArrayList<>(ciphers);
        Collections.sort(sortedCiphers);
        List<Integer> sortedExts = new ArrayList<>();
        for (int e : exts) {
            if (e != TlsConstants.EXT_SERVER_NAME && e != TlsConstants.EXT_ALPN) {
                sortedExts.add(e);
            }
        }
        Collections.sort(sortedExts);
        String c = hexList(sortedExts);
        List<Integer> sigalgs = noGrease(h.signatureAlgorithms());
        if (!sigalgs.isEmpty()) {
            c = c + "_" + hexList(sigalgs);
        }
        return a + "_" + ja4Hash(sortedCiphers.isEmpty() ? "" : hexList(sortedCiphers))
                + "_" + ja4Hash(sortedExts.isEmpty() ? "" : c);
    }

    /** First 12 hex digits of SHA-256, or twelve zeros for an empty list (JA4 spec). */
    static String ja4Hash(String list) {
        if (list.isEmpty()) {
            return "000000000000";
        }
        return hex(digest("SHA-256", list), 12);
    }

    private static String ja4Version(ClientHello h) {
        int v = 0;
        for (int s : h.supportedVersions()) {
            if (!TlsConstants.isGrease(s) && s > v) {
                v = s;
            }
        }
        if (v == 0) {
            v = h.legacyVersion();
        }
        switch (v) {
            case 0x0304:
                return "13";
            case 0x0303:
                return "12";
            case 0x0302:
                return "11";
            case 0x0301:
                return "10";
            case 0x0300:
                return "s3";
            case 0x0200:
                return "s2";
            case 0x0100:
                return "s1";
            default:
                return "00";
        }
    }

    private static String alpnChars(List<byte[]> alpn) {
        if (alpn.isEmpty() || alpn.get(0).length == 0) {
            return "00";
        }
        byte[] first = alpn.get(0);
        int f = first[0] & 0xff;
        int l = first[first.length - 1] & 0xff;
        if (alnum(f) && alnum(l)) {
            return "" + (char) f + (char) l;
        }
        String hex = hex(first, first.length * 2);
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean alnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static List<Integer> noGrease(List<Integer> values) {
        List<Integer> out = new ArrayList<>(values.size());
        for (int v : values) {
            if (!TlsConstants.isGrease(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static String hexList(List<Integer> values) {
        StringBuilder sb = new StringBuilder(values.size() * 5);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(String.format("%04x", values.get(i)));
        }
        return sb.toString();
    }

    private static void joinDecimal(StringBuilder sb, List<Integer> values, boolean dropGrease) {
        boolean first = true;
        for (int v : values) {
            if (dropGrease && TlsConstants.isGrease(v)) {
                continue;
            }
            if (!first) {
                sb.append('-');
            }
            sb.append(v);
            first = false;
        }
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides " + algorithm, e);
        }
    }

    static String hex(byte[] bytes, int digits) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.substring(0, Math.min(digits, sb.length()));
    }
}
