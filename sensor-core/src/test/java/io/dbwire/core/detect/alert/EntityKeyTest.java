package io.dbwire.core.detect.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.Endpoint;
import org.junit.jupiter.api.Test;

class EntityKeyTest {
    private static final Endpoint PG = new Endpoint("10.0.0.5", 5432);

    @Test
    void keysAreValuesOfTheirTypeAndComponents() {
        assertThat(new EntityKey.User(new Endpoint("10.0.0.5", 5432), new String("app")))
                .isEqualTo(new EntityKey.User(PG, "app")).hasSameHashCodeAs(new EntityKey.User(PG, "app"));
        assertThat(new EntityKey.User(PG, "app")).isNotEqualTo(new EntityKey.User(PG, "other"))
                .isNotEqualTo(new EntityKey.Application(PG, "app"))
                .isNotEqualTo(new EntityKey.Fingerprint(PG, "app"));
        assertThat(new EntityKey.ClientServer("10.0.0.9", PG)).isNotEqualTo(new EntityKey.ClientServer("10.0.0.9",
                new Endpoint("10.0.0.5", 3306)));
        assertThat(new EntityKey.ClientServerUser("10.0.0.9", PG, null))
                .isEqualTo(new EntityKey.ClientServerUser("10.0.0.9", PG, null))
                .isNotEqualTo(new EntityKey.ClientServerUser("10.0.0.9", PG, "app"));
        assertThat(new EntityKey.Server(null)).isEqualTo(new EntityKey.Server(null));
        assertThat(new EntityKey.Client("10.0.0.9")).isNotEqualTo(new EntityKey.Client("10.0.0.8"));
    }

    /** The hash codes a record of the same components gives, so nothing hashed by these keys changes order. */
    @Test
    void hashCodesAreTheRecordOnes() {
        record User(Endpoint server, String user) {}
        record ClientServerUser(String clientIp, Endpoint server, String user) {}
        record Server(Endpoint server) {}
        assertThat(new EntityKey.User(PG, "app").hashCode()).isEqualTo(new User(PG, "app").hashCode());
        assertThat(new EntityKey.ClientServerUser("10.0.0.9", PG, "app").hashCode())
                .isEqualTo(new ClientServerUser("10.0.0.9", PG, "app").hashCode());
        assertThat(new EntityKey.Server(PG).hashCode()).isEqualTo(new Server(PG).hashCode());
    }

    @Test
    void idsAreUnchanged() {
        assertThat(new EntityKey.ClientServerUser("10.0.0.9", PG, "app").id())
                .isEqualTo("client=10.0.0.9 server=10.0.0.5:5432 user=app");
        assertThat(new EntityKey.Fingerprint(PG, "ab12").id()).isEqualTo("server=10.0.0.5:5432 fingerprint=ab12");
    }
}
