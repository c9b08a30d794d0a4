package io.dbwire.core.tls;

import static io.dbwire.core.tcp.Direction.CLIENT_TO_SERVER;
import static io.dbwire.core.tcp.Direction.SERVER_TO_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TurnTrackerTest {

    @Test
    void burstsMakeTurns() {
        TurnTracker t = new TurnTracker(2);
        t.onApplicationRecord(SERVER_TO_CLIENT, 300, 5); // a ticket before any request: no turn
        t.onApplicationRecord(CLIENT_TO_SERVER, 40, 10);
        t.onApplicationRecord(CLIENT_TO_SERVER, 20, 12);
        t.onApplicationRecord(SERVER_TO_CLIENT, 100, 30);
        t.onApplicationRecord(SERVER_TO_CLIENT, 50, 31);
        t.onApplicationRecord(CLIENT_TO_SERVER, 10, 40);
        t.onApplicationRecord(SERVER_TO_CLIENT, 5, 45);
        t.onApplicationRecord(CLIENT_TO_SERVER, 7, 50); // unanswered at close
        t.finish();
        TurnStats s = t.stats();
        assertThat(s.turns()).isEqualTo(3);
        assertThat(s.requestBytes()).isEqualTo(77);
        assertThat(s.responseBytes()).isEqualTo(155);
        assertThat(s.maxRequestBytes()).isEqualTo(60);
        assertThat(s.maxLatencyMicros()).isEqualTo(18);
        assertThat(s.sumLatencyMicros()).isEqualTo(18 + 5);
        assertThat(s.unansweredServerBursts()).isEqualTo(1);
        // Only the last two are kept in full, oldest first.
        assertThat(s.lastTurns()).hasSize(2);
        assertThat(s.lastTurns().get(0)).isEqualTo(new Turn(40, 40, 10, 1, 45, 45, 5, 1));
        assertThat(s.lastTurns().get(1).latencyMicros()).isEqualTo(-1);
    }
}
