package io.dbwire.core.detect.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.Endpoint;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternedKeysTest {

    @Test
    void aKeyEqualsTheOneBuiltDirectlyAndRecursAsTheSameInstance() {
        Endpoint server = new Endpoint("10.0.0.5", 5432);
        EntityKey.ClientServer first = InternedKeys.clientServer("10.0.0.9", server);
        assertThat(first).isEqualTo(new EntityKey.ClientServer("10.0.0.9", server));
        // equal but distinct component instances still find the interned key
        assertThat(InternedKeys.clientServer(new String("10.0.0.9"), new Endpoint("10.0.0.5", 5432))).isSameAs(first);
        assertThat(InternedKeys.server(server)).isSameAs(InternedKeys.server(server));
        assertThat(InternedKeys.user(server, "app")).isSameAs(InternedKeys.user(server, "app"));
        assertThat(InternedKeys.fingerprint(server, "select ?")).isSameAs(InternedKeys.fingerprint(server, "select ?"));
    }

    @Test
    void nullComponentsAreKeysLikeAnyOther() {
        Endpoint server = new Endpoint("10.0.0.5", 3306);
        assertThat(InternedKeys.user(server, null)).isEqualTo(new EntityKey.User(server, null));
        assertThat(InternedKeys.fingerprint(null, null)).isEqualTo(new EntityKey.Fingerprint(null, null));
        assertThat(InternedKeys.server(null)).isEqualTo(new EntityKey.Server(null));
    }

    @Test
    void collidingEntitiesNeverGetEachOthersKey() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            Endpoint server = new Endpoint("10.0." + random.nextInt(4) + "." + random.nextInt(256), 5432 + random.nextInt(3));
            String client = "192.168." + random.nextInt(256) + "." + random.nextInt(256);
            String name = "u" + random.nextInt(5000);
            assertThat(InternedKeys.clientServer(client, server)).isEqualTo(new EntityKey.ClientServer(client, server));
            assertThat(InternedKeys.user(server, name)).isEqualTo(new EntityKey.User(server, name));
            assertThat(InternedKeys.fingerprint(server, name)).isEqualTo(new EntityKey.Fingerprint(server, name));
            assertThat(InternedKeys.server(server)).isEqualTo(new EntityKey.Server(server));
        }
    }
}
