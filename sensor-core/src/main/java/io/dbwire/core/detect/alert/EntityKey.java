package io.dbwire.core.detect.alert;

import io.dbwire.core.record.Endpoint;

/**
 * What a baseline or an alert is about. Small value records, so they work as map keys and could be written to a
 * state snapshot later; {@link #id()} is the stable text form that goes into alert ids and suppression keys.
 */
public sealed interface EntityKey {

    String id();

    static String endpoint(Endpoint e) {
        return e.ip() + ":" + e.port();
    }

    /** A database server (address and port). */
    record Server(Endpoint server) implements EntityKey {
        @Override
        public String id() {
            return "server=" + endpoint(server);
        }
    }

    /** A client address, across servers. */
    record Client(String clientIp) implements EntityKey {
        @Override
        public String id() {
            return "client=" + clientIp;
        }
    }

    /** A database user on one server. */
    record User(Endpoint server, String user) implements EntityKey {
        @Override
        public String id() {
            return "server=" + endpoint(server) + " user=" + user;
        }
    }

    /** A client address talking to one server. */
    record ClientServer(String clientIp, Endpoint server) implements EntityKey {
        @Override
        public String id() {
            return "client=" + clientIp + " server=" + endpoint(server);
        }
    }

    /** A client address talking to one server as one user. */
    record ClientServerUser(String clientIp, Endpoint server, String user) implements EntityKey {
        @Override
        public String id() {
            return "client=" + clientIp + " server=" + endpoint(server) + " user=" + user;
        }
    }

    /** A statement fingerprint on one server. */
    record Fingerprint(Endpoint server, String fingerprint) implements EntityKey {
        @Override
        public String id() {
            return "server=" + endpoint(server) + " fingerprint=" + fingerprint;
        }
    }

    /** An application (session.application, else the client tool) on one server. */
    record Application(Endpoint server, String application) implements EntityKey {
        @Override
        public String id() {
            return "server=" + endpoint(server) + " application=" + application;
        }
    }
}
