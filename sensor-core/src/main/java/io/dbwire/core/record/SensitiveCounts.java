package io.dbwire.core.record;

import java.util.List;

/**
 * What the opt-in sensitive-data scan found in one statement's result rows ({@code response.sensitive},
 * docs/records.md): counts only, never a value.
 *
 * @param card        card numbers (13–19 digits, Luhn-valid, a known network prefix)
 * @param nationalId  US social security numbers ({@code AAA-GG-SSSS}, outside the never-issued ranges)
 * @param email       e-mail addresses
 * @param rowsCut     rows longer than the per-row bound: only their first bytes were scanned
 * @param rowsSkipped rows not scanned (beyond the per-statement bound, or binary rows without column types)
 * @param columns     per column position (0-based) with a finding, in position order; positions beyond
 *                    {@link #MAX_COLUMNS} count in the totals only
 */
public record SensitiveCounts(long card, long nationalId, long email, long rowsCut, long rowsSkipped,
        List<Column> columns) {
    public static final int MAX_COLUMNS = 64;

    public SensitiveCounts {
        columns = List.copyOf(columns);
    }

    /** Findings in one column position. */
    public record Column(int index, long card, long nationalId, long email) {}
}
