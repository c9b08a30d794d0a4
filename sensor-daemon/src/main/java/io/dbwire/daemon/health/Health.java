package io.dbwire.daemon.health;

import java.util.List;

/** The verdict /health serves: ok, or degraded with one reason per failed check. */
public record Health(boolean ok, List<String> reasons) {
    public static final Health STARTING = new Health(true, List.of());

    public Health {
        reasons = List.copyOf(reasons);
    }
}
