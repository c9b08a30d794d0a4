package io.dbwire.core.detect.policy;

import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.record.TransactionRecord;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * {@code policy_privileged_off_hours}: a user of a privileged group active (any record: login, statement, TLS
 * session) outside the business hours, judged on the record's packet time in the hours' time zone.
 */
final class PrivilegedOffHoursRule implements PolicyRule {
    static final String DETECTION = "policy_privileged_off_hours";
    static final String MITRE = "T1078";

    private final String name;
    private final Severity severity;
    private final Group<NameSet> users;
    private final Group<WeeklyHours> hours;
    private final String hoursText;

    PrivilegedOffHoursRule(String name, Severity severity, Group<NameSet> users, Group<WeeklyHours> hours,
            String hoursText) {
        this.name = name;
        this.severity = severity;
        this.users = users;
        this.hours = hours;
        this.hoursText = hoursText;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        String user = r.session().user();
        if (!users.value().contains(user) || hours.value().contains(r.tsMicros())) {
            return;
        }
        ZonedDateTime local = WeeklyHours.local(r.tsMicros(), hours.value().zone());
        String localText = local.getDayOfWeek().name().substring(0, 3).toLowerCase(Locale.ROOT) + ' '
                + local.toLocalDateTime().withNano(0) + ' ' + local.getZone();
        ctx.raise(RuleAlert.draft(ctx, DETECTION, MITRE, name, "privileged_off_hours", severity, r, nowMicros,
                        RuleAlert.where(r) + '|' + user + '|' + r.client().ip())
                .summary("privileged user " + RuleAlert.user(r) + " active outside " + hours.name() + " on "
                        + RuleAlert.where(r) + " from " + r.client().ip() + " (" + localText + ", rule " + name + ")")
                .observed("users_group", users.name())
                .observed("local_time", localText)
                .baseline("hours_group", hours.name())
                .baseline("hours", hoursText), nowMicros);
    }
}
