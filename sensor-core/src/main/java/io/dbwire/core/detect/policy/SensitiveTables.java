package io.dbwire.core.detect.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A group of sensitive tables: {@code table}, {@code schema.table}, each optionally with the columns that make
 * it sensitive, {@code customers(email, card_number)}. A statement reads an entry when it reads the table (a
 * name without schema matches an entry with one: the search path may resolve it there) and, if columns are
 * listed, names one of them or {@code *}.
 */
final class SensitiveTables {
    private static final Pattern ENTRY = Pattern.compile(
            "\\s*([A-Za-z_][\\w$]*(?:\\.[A-Za-z_][\\w$]*)?)\\s*(?:\\(([^)]*)\\))?\\s*");

    /** One entry: table (schema may be null) and columns (empty = the whole table). */
    record Entry(String text, String schema, String table, List<String> columns) {}

    private final List<Entry> entries;

    private SensitiveTables(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static SensitiveTables parse(String where, List<String> items) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Matcher m = ENTRY.matcher(items.get(i));
            if (!m.matches()) {
                throw new IllegalArgumentException(where + "[" + i + "]: " + items.get(i)
                        + " (expected: table, schema.table or table(column, column))");
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            int dot = name.indexOf('.');
            List<String> columns = new ArrayList<>();
            if (m.group(2) != null) {
                for (String c : m.group(2).split(",")) {
                    if (!c.isBlank()) {
                        columns.add(c.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
            out.add(new Entry(items.get(i).trim(), dot < 0 ? null : name.substring(0, dot),
                    dot < 0 ? name : name.substring(dot + 1), columns));
        }
        return new SensitiveTables(out);
    }

    /** The entries the statement reads, in group order. */
    List<Entry> readBy(TableRefs refs) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (reads(refs, e)) {
                out.add(e);
            }
        }
        return out;
    }

    private static boolean reads(TableRefs refs, Entry e) {
        boolean table = false;
        for (String t : refs.tables) {
            int dot = t.lastIndexOf('.');
            String name = dot < 0 ? t : t.substring(dot + 1);
            String schema = dot < 0 ? null : t.substring(0, dot);
            if (name.equals(e.table()) && (schema == null || e.schema() == null || schema.endsWith(e.schema()))) {
                table = true;
                break;
            }
        }
        if (!table || e.columns().isEmpty()) {
            return table;
        }
        if (refs.star) {
            return true;
        }
        for (String c : e.columns()) {
            if (refs.words.contains(c)) {
                return true;
            }
        }
        return false;
    }
}
