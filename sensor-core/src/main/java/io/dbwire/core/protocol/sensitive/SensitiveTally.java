package io.dbwire.core.protocol.sensitive;

import io.dbwire.core.record.SensitiveCounts;
import java.util.ArrayList;
import java.util.List;

/**
 * One statement's findings while its rows stream by: totals, per column position (the first
 * {@link SensitiveCounts#MAX_COLUMNS}), rows cut and skipped. Created only when a row gives something to count.
 */
public final class SensitiveTally {
    private final long[] totals = new long[3];
    private long[] perColumn;
    private long rowsCut;
    private long rowsSkipped;

    void found(int column, int kind) {
        totals[kind]++;
        if (column >= 0 && column < SensitiveCounts.MAX_COLUMNS) {
            if (perColumn == null) {
                perColumn = new long[SensitiveCounts.MAX_COLUMNS * 3];
            }
            perColumn[column * 3 + kind]++;
        }
    }

    void rowCut() {
        rowsCut++;
    }

    void rowSkipped() {
        rowsSkipped++;
    }

    /** The record's {@code response.sensitive} block. */
    public SensitiveCounts counts() {
        List<SensitiveCounts.Column> columns = new ArrayList<>();
        if (perColumn != null) {
            for (int c = 0; c < SensitiveCounts.MAX_COLUMNS; c++) {
                long card = perColumn[c * 3 + ValueScanner.CARD];
                long id = perColumn[c * 3 + ValueScanner.NATIONAL_ID];
                long email = perColumn[c * 3 + ValueScanner.EMAIL];
                if (card + id + email > 0) {
                    columns.add(new SensitiveCounts.Column(c, card, id, email));
                }
            }
        }
        return new SensitiveCounts(totals[ValueScanner.CARD], totals[ValueScanner.NATIONAL_ID],
                totals[ValueScanner.EMAIL], rowsCut, rowsSkipped, columns);
    }
}
