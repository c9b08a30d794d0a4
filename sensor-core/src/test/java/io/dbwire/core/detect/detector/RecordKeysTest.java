package io.dbwire.core.detect.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.record.Endpoint;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordKeysTest {

    /**
     * Identical objects hit the memo, equal ones go through InternedKeys, different ones make other keys: the key
     * is always the one built directly, whatever came before (equal and distinct instances mixed on purpose).
     */
    @Test
    void aKeyIsAlwaysTheOneBuiltDirectly() {
        long seed = 11;
        Random random = new Random(seed);
        RecordKeys keys = new RecordKeys();
        Endpoint[] servers = {new Endpoint("10.0.0.5", 5432), new Endpoint("10.0.0.5", 3306),
            new Endpoint("10.0.0.6", 5432)};
        String[] names = {"app", "report", null, "fp0000000000000a", "10.0.0.9"};
        for (int i = 0; i < 100_000; i++) {
            Endpoint server = servers[random.nextInt(servers.length)];
            if (random.nextBoolean()) {
                server = new Endpoint(new String(server.ip()), server.port()); // equal, not identical
            }
            String name = names[random.nextInt(names.length)];
            if (name != null && random.nextBoolean()) {
                name = new String(name);
            }
            String ip = random.nextInt(4) == 0 ? "10.0.1." + random.nextInt(300) : "10.0.0.9";
            assertThat(keys.clientServer(ip, server)).as("seed %d", seed)
                    .isEqualTo(new EntityKey.ClientServer(ip, server));
            assertThat(keys.server(server)).as("seed %d", seed).isEqualTo(new EntityKey.Server(server));
            assertThat(keys.user(server, name)).as("seed %d", seed).isEqualTo(new EntityKey.User(server, name));
            assertThat(keys.fingerprint(server, name)).as("seed %d", seed)
                    .isEqualTo(new EntityKey.Fingerprint(server, name));
        }
    }
}
