package io.dbwire.core.protocol;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.protocol.attribution.StatementComments;
import io.dbwire.core.protocol.sql.NormalizedStatement;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import io.dbwire.core.record.StatementInfo;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns statement text into a record's statement block, the same way for every protocol: fingerprint and
 * operation always, text per {@code records.statement} (normalised, full or off), cut to
 * {@code max_statement_bytes} on a UTF-8 character boundary, and the attribution its comments carry (tags, trace
 * context; never part of the fingerprint). A normaliser that fails never loses the record.
 */
public final class StatementDescriber {
    /** For a statement whose text the sensor never saw (prepared before the capture began). */
    public static final StatementInfo UNKNOWN_STATEMENT = new StatementInfo(null, "0000000000000000", "UNKNOWN");
    /**
     * The placeholder for an execution of a prepared statement that was never seen (prepared before the capture,
     * or its packet lost): as {@link #UNKNOWN_STATEMENT}, and saying why ({@code statement.text_unknown}).
     */
    public static final StatementInfo PREPARE_NOT_SEEN = new StatementInfo(null, "0000000000000000", "UNKNOWN", null,
            StatementInfo.PREPARE_NOT_SEEN);
    /** The placeholder for a statement known only from its answer: the mirror lost its request. */
    public static final StatementInfo REQUEST_NOT_SEEN = new StatementInfo(null, "0000000000000000", "UNKNOWN", null,
            StatementInfo.REQUEST_NOT_SEEN);

    /** What the describer reports to its protocol's counters. */
    public interface Events {
        void normalizerFailed();

        void statementTruncated();

        /** The statement's comments named who issued it (tags or a trace context); {@code cut}: a bound hit. */
        default void attributed(boolean cut) {}
    }

    private final StatementNormalizer normalizer;
    private final StatementMode mode;
    private final int maxStatementBytes;
    private final Events events;

    public StatementDescriber(ProtocolConfig config, StatementNormalizer normalizer, Events events) {
        this.normalizer = normalizer;
        this.mode = config.statementMode() == null ? StatementMode.NORMALIZED : config.statementMode();
        this.maxStatementBytes = config.maxStatementBytes();
        this.events = events;
    }

    public StatementMode mode() {
        return mode;
    }

    /** The statements of a multi-statement string; the whole string as one if the splitter fails. */
    public List<String> split(String sql) {
        try {
            List<String> parts = normalizer.split(sql);
            return parts == null || parts.isEmpty() ? List.of(sql) : parts;
        } catch (RuntimeException e) {
            events.normalizerFailed();
            return List.of(sql);
        }
    }

    public StatementInfo describe(String sql) {
        NormalizedStatement n;
        try {
            n = normalizer.normalize(sql);
        } catch (RuntimeException e) {
            n = null;
        }
        if (n == null) {
            events.normalizerFailed();
            return UNKNOWN_STATEMENT;
        }
        String text = switch (mode) {
            case NORMALIZED -> cut(n.text());
            case FULL -> cut(sql);
            case OFF -> null;
        };
        StatementComments.Result who = StatementComments.read(sql, normalizer.dialect());
        if (who.attribution() != null || who.cut()) {
            events.attributed(who.cut());
        }
        return new StatementInfo(text, n.fingerprint(), n.operation(), who.attribution());
    }

    /** Cuts to maxStatementBytes of UTF-8 without splitting a character; counts the cut. */
    public String cut(String s) {
        if (s == null || (long) s.length() * 3 <= maxStatementBytes) {
            return s;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxStatementBytes) {
            return s;
        }
        events.statementTruncated();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.IGNORE);
        CharBuffer out = CharBuffer.allocate(maxStatementBytes);
        decoder.decode(ByteBuffer.wrap(utf8, 0, maxStatementBytes), out, true);
        return out.flip().toString();
    }
}
