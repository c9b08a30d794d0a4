package io.dbwire.daemon.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A response: status, type, body, and any further headers in the order added. */
public final class Reply {
    private final int status;
    private final String contentType;
    private final byte[] body;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    public Reply(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public Reply header(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public byte[] body() {
        return body;
    }

    public List<Map.Entry<String, String>> headers() {
        return headers;
    }
}
