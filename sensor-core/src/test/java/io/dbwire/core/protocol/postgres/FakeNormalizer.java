package io.dbwire.core.protocol.postgres;

import io.dbwire.core.protocol.sql.NormalizedStatement;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Test-only stand-in: text as is, fingerprint = hex of hashCode, operation = first word upper-cased. */
final class FakeNormalizer implements StatementNormalizer {
    @Override
    public NormalizedStatement normalize(String sql) {
        String text = sql.trim();
        String first = text.isEmpty() ? "UNKNOWN" : text.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        return new NormalizedStatement(text, String.format("%016x", text.hashCode() & 0xffffffffL), first);
    }

    /** Naive split on every ';' (fixtures keep semicolons out of literals). */
    @Override
    public List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        for (String part : sql.split(";")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    static String fingerprint(String text) {
        return String.format("%016x", text.hashCode() & 0xffffffffL);
    }
}
