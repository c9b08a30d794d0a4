package io.dbwire.core.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key derivations, on the JDK's HMAC only.
 *
 * <ul>
 *   <li>TLS 1.3 HKDF-Expand-Label (RFC 8446 7.1) over HKDF-Expand (RFC 5869 2.3).</li>
 *   <li>TLS 1.2 PRF P_hash (RFC 5246 5) for the key block (RFC 5246 6.3).</li>
 * </ul>
 */
final class KeySchedule {
    private KeySchedule() {}

    /**
     * <pre>
     * struct { uint16 length; opaque label&lt;7..255&gt; = "tls13 " + Label; opaque context&lt;0..255&gt;; } HkdfLabel;
     * </pre>
     */
    static byte[] hkdfExpandLabel(String hmac, byte[] secret, String label, byte[] context, int length) {
        byte[] fullLabel = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[2 + 1 + fullLabel.length + 1 + context.length];
        info[0] = (byte) (length >> 8);
        info[1] = (byte) length;
        info[2] = (byte) fullLabel.length;
        System.arraycopy(fullLabel, 0, info, 3, fullLabel.length);
        info[3 + fullLabel.length] = (byte) context.length;
        System.arraycopy(context, 0, info, 4 + fullLabel.length, context.length);
        return hkdfExpand(hmac, secret, info, length);
    }

    /** T(i) = HMAC(PRK, T(i-1) | info | i), output the first {@code length} bytes of T(1) | T(2) | ... */
    static byte[] hkdfExpand(String hmac, byte[] prk, byte[] info, int length) {
        Mac mac = mac(hmac, prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int filled = 0;
        for (int i = 1; filled < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            t = mac.doFinal();
            int n = Math.min(t.length, length - filled);
            System.arraycopy(t, 0, out, filled, n);
            filled += n;
        }
        return out;
    }

    /** PRF(secret, label, seed) = P_hash(secret, label + seed) with A(0) = label + seed, A(i) = HMAC(A(i-1)). */
    static byte[] prf12(String hmac, byte[] secret, String label, byte[] seed, int length) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        byte[] labelSeed = new byte[labelBytes.length + seed.length];
        System.arraycopy(labelBytes, 0, labelSeed, 0, labelBytes.length);
        System.arraycopy(seed, 0, labelSeed, labelBytes.length, seed.length);
        Mac mac = mac(hmac, secret);
        byte[] out = new byte[length];
        byte[] a = labelSeed;
        int filled = 0;
        while (filled < length) {
            a = mac.doFinal(a);
            mac.update(a);
            mac.update(labelSeed);
            byte[] chunk = mac.doFinal();
            int n = Math.min(chunk.length, length - filled);
            System.arraycopy(chunk, 0, out, filled, n);
            filled += n;
        }
        return out;
    }

    private static Mac mac(String algorithm, byte[] key) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK provides " + algorithm, e);
        }
    }
}
