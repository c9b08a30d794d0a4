package io.dbwire.core.detect.baseline;

import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.Endpoint;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link EntityKey}s as snapshot trees: {@code {"type": "client_server", "client": …, "server": "ip:port", …}}. */
public final class EntityKeys {
    private EntityKeys() {}

    public static Map<String, Object> toTree(EntityKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (k instanceof EntityKey.Server) {
            m.put("type", "server");
            m.put("server", endpoint(((EntityKey.Server) k).server()));
        } else if (k instanceof EntityKey.Client) {
            m.put("type", "client");
            m.put("client", ((EntityKey.Client) k).clientIp());
        } else if (k instanceof EntityKey.User) {
            EntityKey.User u = (EntityKey.User) k;
            m.put("type", "user");
            m.put("server", endpoint(u.server()));
            m.put("user", u.user());
        } else if (k instanceof EntityKey.ClientServer) {
            EntityKey.ClientServer c = (EntityKey.ClientServer) k;
            m.put("type", "client_server");
            m.put("client", c.clientIp());
            m.put("server", endpoint(c.server()));
        } else if (k instanceof EntityKey.ClientServerUser) {
            EntityKey.ClientServerUser c = (EntityKey.ClientServerUser) k;
            m.put("type", "client_server_user");
            m.put("client", c.clientIp());
            m.put("server", endpoint(c.server()));
            m.put("user", c.user());
        } else if (k instanceof EntityKey.Application) {
            EntityKey.Application a = (EntityKey.Application) k;
            m.put("type", "application");
            m.put("server", endpoint(a.server()));
            m.put("application", a.application());
        } else {
            EntityKey.Fingerprint f = (EntityKey.Fingerprint) k;
            m.put("type", "fingerprint");
            m.put("server", endpoint(f.server()));
            m.put("fingerprint", f.fingerprint());
        }
        return m;
    }

    public static EntityKey fromTree(Object tree) {
        Map<String, Object> m = StateTree.map(tree, "key");
        String type = StateTree.asString(m.get("type"), "key.type");
        String client = StateTree.asString(m.get("client"), "key.client");
        String user = StateTree.asString(m.get("user"), "key.user");
        switch (type == null ? "" : type) {
            case "server":
                return new EntityKey.Server(endpoint(m.get("server")));
            case "client":
                return new EntityKey.Client(client);
            case "user":
                return new EntityKey.User(endpoint(m.get("server")), user);
            case "client_server":
                return new EntityKey.ClientServer(client, endpoint(m.get("server")));
            case "client_server_user":
                return new EntityKey.ClientServerUser(client, endpoint(m.get("server")), user);
            case "fingerprint":
                return new EntityKey.Fingerprint(endpoint(m.get("server")),
                        StateTree.asString(m.get("fingerprint"), "key.fingerprint"));
            case "application":
                return new EntityKey.Application(endpoint(m.get("server")),
                        StateTree.asString(m.get("application"), "key.application"));
            default:
                throw new StateTree.BadSnapshot("key.type: " + type + " (expected: an entity type)");
        }
    }

    public static String endpoint(Endpoint e) {
        return e.ip() + " " + e.port();
    }

    /** {@code "ip port"}: a space, because an IPv6 address is full of colons. */
    public static Endpoint endpoint(Object tree) {
        String s = StateTree.asString(tree, "endpoint");
        int sp = s == null ? -1 : s.lastIndexOf(' ');
        if (sp <= 0) {
            throw new StateTree.BadSnapshot("endpoint: " + s + " (expected: \"ip port\")");
        }
        try {
            return new Endpoint(s.substring(0, sp), Integer.parseInt(s.substring(sp + 1)));
        } catch (NumberFormatException e) {
            throw new StateTree.BadSnapshot("endpoint: " + s + " (expected: \"ip port\")");
        }
    }
}
