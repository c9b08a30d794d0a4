package io.dbwire.core.record;

/**
 * @param rows         rows returned to the client (DataRow count), null when the response carried no result set
 * @param rowsAffected rows changed as the server reported them (INSERT/UPDATE/DELETE/MERGE/COPY tags), or null
 * @param bytes        wire bytes of the response
 * @param serverUs     from the request's last byte to the response's first (the server's own time), or null
 * @param durationUs   from the request's first byte to the response's last byte, or null
 */
public record ResponseInfo(Long rows, Long rowsAffected, long bytes, Long serverUs, Long durationUs) {}
