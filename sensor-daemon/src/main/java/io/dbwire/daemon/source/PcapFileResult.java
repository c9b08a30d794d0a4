package io.dbwire.daemon.source;

/**
 * What reading one file gave.
 *
 * @param packets   packets handed on
 * @param readError null when the file was read to its end; otherwise why reading stopped early (typically a
 *                  truncated last record of a capture killed mid-write). The packets before it were kept.
 */
public record PcapFileResult(long packets, String readError) {}
