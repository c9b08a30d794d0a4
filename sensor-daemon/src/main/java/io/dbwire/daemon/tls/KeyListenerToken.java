package io.dbwire.daemon.tls;

import io.dbwire.daemon.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key forwarders' shared bearer token, read once from {@code tls.key_listener.token_file}. Only its SHA-256
 * is kept: a presented token is hashed and compared with {@link MessageDigest#isEqual} (constant time over equal
 * lengths), so neither its content nor its length leaks through timing. Messages and {@link #toString()} never
 * contain the token.
 */
public final class KeyListenerToken {
    static final String KEY = "tls.key_listener.token_file";
    /** 32 characters of a random token are well beyond guessing over a network. */
    static final int MIN_CHARS = 32;
    /** A token file is a line, not a document; refusing big files keeps a wrong path from being read whole. */
    static final long MAX_FILE_BYTES = 4_096;

    private final byte[] digest;

    private KeyListenerToken(byte[] digest) {
        this.digest = digest;
    }

    /** Reads and checks the token file; the exception names the key and the file, never the content. */
    public static KeyListenerToken read(Path file) throws ConfigException {
        return read(file, KEY);
    }

    /** The same for another listener's token file ({@code console.token_file}); {@code key} names it in errors. */
    public static KeyListenerToken read(Path file, String key) throws ConfigException {
        String text;
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(key + ": " + file + " (expected: a regular file of at most "
                        + MAX_FILE_BYTES + " bytes)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The exception's class only: a decoding error's message could quote bytes of the file.
            throw new ConfigException(key + ": " + file + " (expected: a readable UTF-8 file: "
                    + e.getClass().getSimpleName() + ")");
        }
        String token = text.strip();
        if (token.length() < MIN_CHARS) {
            throw new ConfigException(key + ": " + file + " holds " + token.length() + " characters (expected: a token"
                    + " of at least " + MIN_CHARS + " characters)");
        }
        return new KeyListenerToken(sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether the presented token (null = none) is this one. */
    public boolean matches(byte[] presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "KeyListenerToken[redacted]";
    }
}
