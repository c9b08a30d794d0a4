package io.dbwire.daemon.sink.format;

import io.dbwire.core.detect.alert.Alert;

/** The network flow behind an alert's evidence, when there is one. */
final class AlertFlow {
    private AlertFlow() {}

    /** Community ID v1 of the first evidence connection (client endpoint to server, TCP), or null. */
    static String communityId(Alert a) {
        if (a.flowClient() == null || a.server() == null) {
            return null;
        }
        return CommunityId.tcp(a.flowClient().ip(), a.flowClient().port(), a.server().ip(), a.server().port());
    }

    static Integer clientPort(Alert a) {
        return a.flowClient() == null ? null : a.flowClient().port();
    }
}
