package io.dbwire.core.protocol.postgres;

import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.util.SmallLongs;

/**
 * Row counts carried by a CommandComplete tag. Spec: protocol-message-formats.html, CommandComplete.
 * <ul>
 *   <li>{@code INSERT oid n}, {@code UPDATE n}, {@code DELETE n}, {@code MERGE n}, {@code COPY n}: rows changed</li>
 *   <li>{@code SELECT n} (also CREATE TABLE AS), {@code FETCH n}, {@code MOVE n}: rows the command went over,
 *       used as {@code rows} only when no DataRow/RowDescription was seen</li>
 * </ul>
 * Anything else (CREATE TABLE, BEGIN, SET…) carries no count: null.
 */
final class CommandTag {
    private CommandTag() {}

    private static final String[] CHANGING = {"INSERT", "UPDATE", "DELETE", "MERGE", "COPY"};
    private static final String[] RETURNING = {"SELECT", "FETCH", "MOVE"};

    static Long rowsAffected(String tag) {
        return hasVerb(tag, CHANGING) ? lastNumber(tag) : null;
    }

    /** Longest tag recorded: the server's own buffer is 64 bytes (COMPLETION_TAG_BUFSIZE). */
    static final int MAX_RECORDED_LENGTH = 64;

    /** The tag as the record shows it: cut to {@link #MAX_RECORDED_LENGTH} characters; null stays null. */
    static String recorded(String tag) {
        return tag == null || tag.length() <= MAX_RECORDED_LENGTH ? tag : tag.substring(0, MAX_RECORDED_LENGTH);
    }

    /**
     * What a transaction-ending command did: {@code COMMIT} (also of COMMIT PREPARED) committed; {@code ROLLBACK}
     * rolled back — the tag a COMMIT (or END, or COMMIT AND CHAIN) of a failed transaction is answered with, as well
     * as an explicit ROLLBACK's. Null for any other tag.
     */
    static String transaction(String tag) {
        if (tag == null) {
            return null;
        }
        return switch (tag) {
            case "COMMIT", "COMMIT PREPARED" -> ResponseInfo.COMMITTED;
            case "ROLLBACK", "ROLLBACK PREPARED" -> ResponseInfo.ROLLED_BACK;
            default -> null;
        };
    }

    /**
     * The command the tag names, as {@code statement.operation} would (the first word; {@code START TRANSACTION}
     * is BEGIN as OperationFinder has it), or null when the tag has no such word. Only for a statement whose text
     * is unknown: the tag is then the only evidence of what ran. CREATE TABLE AS and SELECT INTO answer
     * {@code SELECT n}, so they read as SELECT.
     */
    static String operation(String tag) {
        if (tag == null) {
            return null;
        }
        int end = tag.indexOf(' ');
        end = end < 0 ? tag.length() : end;
        if (end == 0 || end > 32) {
            return null;
        }
        for (int i = 0; i < end; i++) {
            char c = tag.charAt(i);
            if (c < 'A' || c > 'Z') {
                return null;
            }
        }
        return tag.startsWith("START TRANSACTION") ? "BEGIN" : tag.substring(0, end);
    }

    static Long rowsReturned(String tag) {
        return hasVerb(tag, RETURNING) ? lastNumber(tag) : null;
    }

    /** Whether the tag's first word (up to the first space; none without a space) is one of {@code verbs}. */
    private static boolean hasVerb(String tag, String[] verbs) {
        int space = tag == null ? -1 : tag.indexOf(' ');
        if (space < 0) {
            return false;
        }
        for (String verb : verbs) {
            if (verb.length() == space && tag.startsWith(verb)) {
                return true;
            }
        }
        return false;
    }

    /** The last space-separated word as a non-negative number, or null (no digits, too long). */
    private static Long lastNumber(String tag) {
        int start = tag.lastIndexOf(' ') + 1;
        int len = tag.length() - start;
        if (len == 0 || len > 18) {
            return null;
        }
        long v = 0;
        for (int i = start; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return SmallLongs.valueOf(v);
    }
}
