package io.dbwire.daemon.source;

/**
 * What reading one file gave.
 *
 * @param packets   packets handed on
 * @param readError null when the file was read to its end; otherwise why reading stopped early (typically a
 *                  truncated last record of a capture killed mid-write). The packets before it were kept.
 * @param linkType  the file's link type as libpcap reports it (a LINKTYPE_/DLT_ number), -1 when not known
 */
public record PcapFileResult(long packets, String readError, int linkType) {
    public PcapFileResult(long packets, String readError) {
        this(packets, readError, -1);
    }
}
