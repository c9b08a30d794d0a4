package io.dbwire.core.detect.policy;

import io.dbwire.core.config.PolicyConfig;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Change windows: weekly slots and one-off spans; a time is inside when any of them holds it. */
final class ChangeWindows {
    private final List<WeeklyHours> weekly;
    private final List<long[]> once;

    private ChangeWindows(List<WeeklyHours> weekly, List<long[]> once) {
        this.weekly = List.copyOf(weekly);
        this.once = List.copyOf(once);
    }

    static ChangeWindows parse(String where, PolicyConfig.Windows w) {
        ZoneId zone = WeeklyHours.zone(where + ".time_zone", w.timeZone() == null ? "UTC" : w.timeZone());
        List<WeeklyHours> weekly = new ArrayList<>();
        List<PolicyConfig.Hours> slots = w.weekly() == null ? List.of() : w.weekly();
        for (int i = 0; i < slots.size(); i++) {
            weekly.add(WeeklyHours.parse(where + ".weekly[" + i + "]", slots.get(i), zone));
        }
        List<long[]> once = new ArrayList<>();
        List<PolicyConfig.Span> spans = w.once() == null ? List.of() : w.once();
        for (int i = 0; i < spans.size(); i++) {
            String at = where + ".once[" + i + "]";
            long from = WeeklyHours.micros(at + ".from", spans.get(i).from(), zone);
            long to = WeeklyHours.micros(at + ".to", spans.get(i).to(), zone);
            if (to <= from) {
                throw new IllegalArgumentException(at + ".to: " + spans.get(i).to() + " (expected: after from)");
            }
            once.add(new long[] {from, to});
        }
        return new ChangeWindows(weekly, once);
    }

    boolean contains(long tsMicros) {
        for (long[] span : once) {
            if (tsMicros >= span[0] && tsMicros < span[1]) {
                return true;
            }
        }
        for (WeeklyHours h : weekly) {
            if (h.contains(tsMicros)) {
                return true;
            }
        }
        return false;
    }
}
