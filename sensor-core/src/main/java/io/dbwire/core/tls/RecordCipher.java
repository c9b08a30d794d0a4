package io.dbwire.core.tls;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens the protected records of one direction under one key, counting the implicit sequence number.
 *
 * <p>TLS 1.3 (RFC 8446 5.2, 5.3): nonce = iv XOR the 64-bit sequence number left-padded to 12 bytes; additional
 * data = the 5-byte record header; the plaintext ends with the real content type and zero padding.
 *
 * <p>TLS 1.2 (RFC 5246 6.2.3.3): additional data = seq_num(8) + type(1) + version(2) + plaintext length(2).
 * AES-GCM (RFC 5288 3): nonce = 4-byte salt from the key block + 8-byte explicit nonce leading the fragment.
 * ChaCha20-Poly1305 (RFC 7905 2): nonce built like TLS 1.3's, no explicit part.
 */
final class RecordCipher {
    /** What {@link #open} returns besides a plaintext length. */
    static final int TAG_FAILURE = -1;
    static final int TOO_SHORT = -2;

    private final TlsCipherSuite suite;
    private final boolean tls13;
    private final SecretKeySpec key;
    private final byte[] iv;
    /** The TLS 1.3 traffic secret this key came from, kept to derive the next one on KeyUpdate. */
    private final byte[] trafficSecret;
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[13];
    private long sequence;

    private RecordCipher(TlsCipherSuite suite, boolean tls13, byte[] key, byte[] iv, byte[] trafficSecret) {
        this.suite = suite;
        this.tls13 = tls13;
        this.key = new SecretKeySpec(key, suite.aead == TlsCipherSuite.Aead.AES_GCM ? "AES" : "ChaCha20");
        this.iv = iv;
        this.trafficSecret = trafficSecret;
        try {
            this.cipher = Cipher.getInstance(
                    suite.aead == TlsCipherSuite.Aead.AES_GCM ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK 17 provides AES/GCM and ChaCha20-Poly1305", e);
        }
    }

    /** TLS 1.3: key and iv from a traffic secret (RFC 8446 7.3). */
    static RecordCipher tls13(TlsCipherSuite suite, byte[] trafficSecret) {
        byte[] key = KeySchedule.hkdfExpandLabel(suite.hmac, trafficSecret, "key", new byte[0], suite.keyLength);
        byte[] iv = KeySchedule.hkdfExpandLabel(suite.hmac, trafficSecret, "iv", new byte[0], 12);
        return new RecordCipher(suite, true, key, iv, trafficSecret.clone());
    }

    /** The next generation after a KeyUpdate (RFC 8446 7.2): secret_N+1 = Expand-Label(secret_N, "traffic upd"). */
    RecordCipher next() {
        byte[] secret = KeySchedule.hkdfExpandLabel(
                suite.hmac, trafficSecret, "traffic upd", new byte[0], suite.hashLength());
        return tls13(suite, secret);
    }

    /**
     * TLS 1.2: both directions' keys from the master secret (RFC 5246 6.3). The key block for AEAD suites has no
     * MAC keys: client_write_key, server_write_key, client_write_IV, server_write_IV.
     *
     * @return {client, server}
     */
    static RecordCipher[] tls12(TlsCipherSuite suite, byte[] masterSecret, byte[] clientRandom, byte[] serverRandom) {
        int k = suite.keyLength;
        int i = suite.fixedIvLength();
        byte[] seed = new byte[64];
        System.arraycopy(serverRandom, 0, seed, 0, 32);
        System.arraycopy(clientRandom, 0, seed, 32, 32);
        byte[] block = KeySchedule.prf12(suite.hmac, masterSecret, "key expansion", seed, 2 * k + 2 * i);
        return new RecordCipher[] {
            new RecordCipher(suite, false, slice(block, 0, k), slice(block, 2 * k, i), null),
            new RecordCipher(suite, false, slice(block, k, k), slice(block, 2 * k + i, i), null)
        };
    }

    /** Counts a record that was lost before it could be opened. */
    void skip() {
        sequence++;
    }

    /** Undoes the sequence step of a trial {@link #open} that failed. */
    void rewind() {
        sequence--;
    }

    boolean isTls13() {
        return tls13;
    }

    /**
     * Decrypts one record's fragment into {@code out} (at least {@link TlsConstants#MAX_RECORD_BODY} bytes). The
     * sequence number advances whatever the outcome, as the peer's does.
     *
     * @return plaintext length (TLS 1.3: inner plaintext with content type and padding), {@link #TAG_FAILURE}
     *     or {@link #TOO_SHORT}
     */
    int open(int type, int version, byte[] in, int off, int len, byte[] out) {
        long seq = sequence++;
        boolean explicitNonce = !tls13 && suite.aead == TlsCipherSuite.Aead.AES_GCM;
        int overhead = TlsCipherSuite.TAG + (explicitNonce ? 8 : 0);
        if (len < overhead + (tls13 ? 1 : 0)) {
            return TOO_SHORT;
        }
        int aadLength;
        if (tls13) {
            aad[0] = (byte) type;
            aad[1] = (byte) (version >> 8);
            aad[2] = (byte) version;
            aad[3] = (byte) (len >> 8);
            aad[4] = (byte) len;
            aadLength = 5;
        } else {
            int plain = len - overhead;
            putLong(aad, 0, seq);
            aad[8] = (byte) type;
            aad[9] = (byte) (version >> 8);
            aad[10] = (byte) version;
            aad[11] = (byte) (plain >> 8);
            aad[12] = (byte) plain;
            aadLength = 13;
        }
        AlgorithmParameterSpec spec;
        if (explicitNonce) {
            System.arraycopy(iv, 0, nonce, 0, 4);
            System.arraycopy(in, off, nonce, 4, 8);
            off += 8;
            len -= 8;
        } else {
            System.arraycopy(iv, 0, nonce, 0, 12);
            for (int b = 0; b < 8; b++) {
                nonce[4 + b] ^= (byte) (seq >>> (56 - 8 * b));
            }
        }
        spec = suite.aead == TlsCipherSuite.Aead.AES_GCM
                ? new GCMParameterSpec(TlsCipherSuite.TAG * 8, nonce)
                : new IvParameterSpec(nonce);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, spec);
            cipher.updateAAD(aad, 0, aadLength);
            return cipher.doFinal(in, off, len, out, 0);
        } catch (AEADBadTagException e) {
            return TAG_FAILURE;
        } catch (GeneralSecurityException e) {
            // Any other refusal from the provider on attacker-controlled bytes is also "did not authenticate".
            return TAG_FAILURE;
        }
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private static byte[] slice(byte[] b, int from, int n) {
        byte[] out = new byte[n];
        System.arraycopy(b, from, out, 0, n);
        return out;
    }

    @Override
    public String toString() {
        return "RecordCipher[" + suite + ", seq=" + sequence + ", key=<redacted>]";
    }
}
