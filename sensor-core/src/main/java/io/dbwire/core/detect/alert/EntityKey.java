package io.dbwire.core.detect.alert;

import io.dbwire.core.record.Endpoint;
import java.util.Objects;

/**
 * What a baseline or an alert is about. Small immutable values, so they work as map keys and go into state
 * snapshots; {@link #id()} is the stable text form that goes into alert ids and suppression keys.
 *
 * <p>Written out rather than as records for one reason: each key keeps its hash code, computed once when it is
 * made. Every record is looked up by these keys in a dozen per-entity tables, and a record's hash code is worked
 * out from its components on every call (the address's and the name's, each time): that was the largest single
 * item of detection's time per record. Equality, hash code (the same values a record would give) and accessors
 * are as a record's.
 */
public sealed interface EntityKey {

    String id();

    static String endpoint(Endpoint e) {
        return e.ip() + ":" + e.port();
    }

    /** A database server (address and port). */
    final class Server implements EntityKey {
        private final Endpoint server;
        private final int hash;

        public Server(Endpoint server) {
            this.server = server;
            this.hash = Objects.hashCode(server);
        }

        public Endpoint server() {
            return server;
        }

        @Override
        public String id() {
            return "server=" + endpoint(server);
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof Server)) {
                return false;
            }
            Server k = (Server) o;
            return hash == k.hash && Objects.equals(server, k.server);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Server[server=" + server + "]";
        }
    }

    /** A client address, across servers. */
    final class Client implements EntityKey {
        private final String clientIp;
        private final int hash;

        public Client(String clientIp) {
            this.clientIp = clientIp;
            this.hash = Objects.hashCode(clientIp);
        }

        public String clientIp() {
            return clientIp;
        }

        @Override
        public String id() {
            return "client=" + clientIp;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof Client)) {
                return false;
            }
            Client k = (Client) o;
            return hash == k.hash && Objects.equals(clientIp, k.clientIp);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Client[clientIp=" + clientIp + "]";
        }
    }

    /** A database user on one server. */
    final class User implements EntityKey {
        private final Endpoint server;
        private final String user;
        private final int hash;

        public User(Endpoint server, String user) {
            this.server = server;
            this.user = user;
            this.hash = 31 * Objects.hashCode(server) + Objects.hashCode(user);
        }

        public Endpoint server() {
            return server;
        }

        public String user() {
            return user;
        }

        @Override
        public String id() {
            return "server=" + endpoint(server) + " user=" + user;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof User)) {
                return false;
            }
            User k = (User) o;
            return hash == k.hash && Objects.equals(server, k.server) && Objects.equals(user, k.user);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "User[server=" + server + ", " + "user=" + user + "]";
        }
    }

    /** A client address talking to one server. */
    final class ClientServer implements EntityKey {
        private final String clientIp;
        private final Endpoint server;
        private final int hash;

        public ClientServer(String clientIp, Endpoint server) {
            this.clientIp = clientIp;
            this.server = server;
            this.hash = 31 * Objects.hashCode(clientIp) + Objects.hashCode(server);
        }

        public String clientIp() {
            return clientIp;
        }

        public Endpoint server() {
            return server;
        }

        @Override
        public String id() {
            return "client=" + clientIp + " server=" + endpoint(server);
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof ClientServer)) {
                return false;
            }
            ClientServer k = (ClientServer) o;
            return hash == k.hash && Objects.equals(clientIp, k.clientIp) && Objects.equals(server, k.server);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "ClientServer[clientIp=" + clientIp + ", " + "server=" + server + "]";
        }
    }

    /** A client address talking to one server as one user. */
    final class ClientServerUser implements EntityKey {
        private final String clientIp;
        private final Endpoint server;
        private final String user;
        private final int hash;

        public ClientServerUser(String clientIp, Endpoint server, String user) {
            this.clientIp = clientIp;
            this.server = server;
            this.user = user;
            this.hash = 31 * (31 * Objects.hashCode(clientIp) + Objects.hashCode(server)) + Objects.hashCode(user);
        }

        public String clientIp() {
            return clientIp;
        }

        public Endpoint server() {
            return server;
        }

        public String user() {
            return user;
        }

        @Override
        public String id() {
            return "client=" + clientIp + " server=" + endpoint(server) + " user=" + user;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof ClientServerUser)) {
                return false;
            }
            ClientServerUser k = (ClientServerUser) o;
            return hash == k.hash && Objects.equals(clientIp, k.clientIp) && Objects.equals(server, k.server) && Objects.equals(user, k.user);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "ClientServerUser[clientIp=" + clientIp + ", " + "server=" + server + ", " + "user=" + user + "]";
        }
    }

    /** A statement fingerprint on one server. */
    final class Fingerprint implements EntityKey {
        private final Endpoint server;
        private final String fingerprint;
        private final int hash;

        public Fingerprint(Endpoint server, String fingerprint) {
            this.server = server;
            this.fingerprint = fingerprint;
            this.hash = 31 * Objects.hashCode(server) + Objects.hashCode(fingerprint);
        }

        public Endpoint server() {
            return server;
        }

        public String fingerprint() {
            return fingerprint;
        }

        @Override
        public String id() {
            return "server=" + endpoint(server) + " fingerprint=" + fingerprint;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof Fingerprint)) {
                return false;
            }
            Fingerprint k = (Fingerprint) o;
            return hash == k.hash && Objects.equals(server, k.server) && Objects.equals(fingerprint, k.fingerprint);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Fingerprint[server=" + server + ", " + "fingerprint=" + fingerprint + "]";
        }
    }

    /** An application (session.application, else the client tool) on one server. */
    final class Application implements EntityKey {
        private final Endpoint server;
        private final String application;
        private final int hash;

        public Application(Endpoint server, String application) {
            this.server = server;
            this.application = application;
            this.hash = 31 * Objects.hashCode(server) + Objects.hashCode(application);
        }

        public Endpoint server() {
            return server;
        }

        public String application() {
            return application;
        }

        @Override
        public String id() {
            return "server=" + endpoint(server) + " application=" + application;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof Application)) {
                return false;
            }
            Application k = (Application) o;
            return hash == k.hash && Objects.equals(server, k.server) && Objects.equals(application, k.application);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "Application[server=" + server + ", " + "application=" + application + "]";
        }
    }
}
