package io.dbwire.daemon.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;

/**
 * One request as a {@link HttpHandler} sees it.
 *
 * @param body null while only the head has arrived ({@link HttpHandler#onHead}); the whole body after
 */
public record Request(String method, String uri, HttpHeaders headers, InetAddress remote, byte[] body) {
    /** The path without the query, percent-decoded. */
    public String path() {
        return new QueryStringDecoder(uri).path();
    }

    /** The raw (undecoded) query, or null. */
    public String rawQuery() {
        int q = uri.indexOf('?');
        return q < 0 ? null : uri.substring(q + 1);
    }

    public boolean isHead() {
        return "HEAD".equals(method);
    }
}
