package io.dbwire.core.tls;

/**
 * One request/response exchange seen on an encrypted connection: a client burst of application-data records
 * followed by a server burst. Sizes are TLS record payload bytes on the wire (ciphertext, including AEAD
 * overhead), so they are the same with or without keys.
 *
 * @param requestStartMicros  first client record of the burst
 * @param requestEndMicros    last client record of the burst
 * @param responseStartMicros first server record after the burst, or -1 if none came
 * @param responseEndMicros   last server record before the next client burst, or -1
 */
public record Turn(
        long requestStartMicros,
        long requestEndMicros,
        long requestBytes,
        int requestRecords,
        long responseStartMicros,
        long responseEndMicros,
        long responseBytes,
        int responseRecords) {

    /** Time from the end of the request burst to the first response record, or -1 without a response. */
    public long latencyMicros() {
        return responseStartMicros < 0 ? -1 : responseStartMicros - requestEndMicros;
    }
}
