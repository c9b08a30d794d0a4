package io.dbwire.daemon.http;

/**
 * What a {@link LimitedHttpServer} serves. Runs on the server's one event-loop thread: it must not block.
 */
public interface HttpHandler {
    /**
     * The head has arrived, no byte of the body has been read: a reply here answers the request and its body is
     * discarded unread (refusals: wrong client, path, method or token). Null reads the body, then {@link #handle}.
     */
    default Reply onHead(Request head) {
        return null;
    }

    /** The body is over {@link HttpLimits#maxBodyBytes} (declared, or streamed past it); nothing of it is kept. */
    default Reply tooLarge(Request head, int maxBodyBytes) {
        return Reply.text(413, "text/plain", "body over " + maxBodyBytes + " bytes\n");
    }

    /** The whole request; an exception is answered 500. */
    Reply handle(Request request) throws Exception;
}
