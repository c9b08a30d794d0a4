package io.dbwire.core.config;

/**
 * The opt-in scan of result rows for sensitive data ({@code detection.sensitive_data}, docs/records.md).
 *
 * @param enabled             off by default: rows are then counted and skipped as always, nothing is kept
 * @param maxRowBytes         bytes of one row that are scanned; the rest of a longer row is not (counted as cut)
 * @param maxRowsPerStatement rows of one statement's result that are scanned; later rows are counted as skipped
 */
public record SensitiveScanConfig(boolean enabled, int maxRowBytes, long maxRowsPerStatement) {
    public static final SensitiveScanConfig OFF = new SensitiveScanConfig(false, 4096, 100_000);

    public SensitiveScanConfig {
        maxRowBytes = Math.max(16, maxRowBytes);
        maxRowsPerStatement = Math.max(0, maxRowsPerStatement);
    }

    public static SensitiveScanConfig on() {
        return new SensitiveScanConfig(true, OFF.maxRowBytes, OFF.maxRowsPerStatement);
    }
}
