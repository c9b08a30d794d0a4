package io.dbwire.core.detect.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbwire.core.config.PolicyConfig;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matchers the rules are built from, at their edges: CIDRs, weekly hours, change windows, table names. */
class PolicyPartsTest {

    static long micros(String zoned) {
        ZonedDateTime t = ZonedDateTime.parse(zoned);
        return t.toEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    @Test
    void cidrBlocksHoldTheirAddressesOnly() {
        assertThat(IpBlock.parse("10.0.0.0/8").contains("10.255.1.2")).isTrue();
        assertThat(IpBlock.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
        assertThat(IpBlock.parse("192.168.1.7").contains("192.168.1.7")).isTrue();
        assertThat(IpBlock.parse("192.168.1.7").contains("192.168.1.8")).isFalse();
        assertThat(IpBlock.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
        assertThat(IpBlock.parse("0.0.0.0/0").contains("2001:db8::1")).isFalse();
        assertThat(IpBlock.parse("2001:db8::/32").contains("2001:db8:ffff::1")).isTrue();
        assertThat(IpBlock.parse("2001:db8::/32").contains("2001:db9::1")).isFalse();
        assertThat(IpBlock.parse("::1/128").contains("::1")).isTrue();
        assertThat(IpBlock.parse("::ffff:10.0.0.0/104").contains("10.1.2.3")).isTrue();
        assertThat(IpBlock.parse("fe80::/10").contains("fe80::1%eth0")).isTrue();
        assertThat(IpBlock.parse("10.0.0.0/8").contains("not an address")).isFalse();
        for (String bad : List.of("10.0.0.0/33", "10.0.0/8", "256.0.0.1", "1::2::3", "10.0.0.0/x", "host.example")) {
            assertThatThrownBy(() -> IpBlock.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void weeklyHoursAreJudgedInTheirZoneWithTheEndExclusive() {
        WeeklyHours office = WeeklyHours.parse("h",
                new PolicyConfig.Hours("Europe/Berlin", List.of("mon-fri"), "08:00", "18:00"), null);
        assertThat(office.contains(micros("2026-12-07T07:59:59.999999+01:00[Europe/Berlin]"))).isFalse();
        assertThat(office.contains(micros("2026-12-07T08:00:00+01:00[Europe/Berlin]"))).isTrue();
        assertThat(office.contains(micros("2026-12-07T17:59:59+01:00[Europe/Berlin]"))).isTrue();
        assertThat(office.contains(micros("2026-12-07T18:00:00+01:00[Europe/Berlin]"))).isFalse();
        // 07:30 UTC on a Monday is 08:30 in Berlin
        assertThat(office.contains(micros("2026-12-07T07:30:00Z"))).isTrue();
        assertThat(office.contains(micros("2026-12-06T10:00:00+01:00[Europe/Berlin]"))).isFalse(); // Sunday
        // summer time: 07:30 UTC is 09:30 in Berlin
        assertThat(office.contains(micros("2026-07-06T06:30:00Z"))).isTrue();
    }

    @Test
    void hoursPastMidnightBelongToTheDayTheyStart() {
        WeeklyHours night = WeeklyHours.parse("h", new PolicyConfig.Hours("UTC", List.of("fri"), "22:00", "02:00"),
                null);
        assertThat(night.contains(micros("2026-12-04T23:00:00Z"))).isTrue(); // Friday
        assertThat(night.contains(micros("2026-12-05T01:59:00Z"))).isTrue(); // Saturday early
        assertThat(night.contains(micros("2026-12-05T02:00:00Z"))).isFalse();
        assertThat(night.contains(micros("2026-12-05T23:00:00Z"))).isFalse(); // Saturday late
        WeeklyHours weekend = WeeklyHours.parse("h", new PolicyConfig.Hours("UTC", List.of("sat-sun"), "00:00",
                "24:00"), null);
        assertThat(weekend.contains(micros("2026-12-06T23:59:59Z"))).isTrue();
        assertThat(weekend.contains(micros("2026-12-07T00:00:00Z"))).isFalse();
    }

    @Test
    void badHoursNameTheirKey() {
        assertThatThrownBy(() -> WeeklyHours.parse("groups.hours.office",
                new PolicyConfig.Hours("Mars/Base", null, "08:00", "18:00"), null))
                .hasMessage("groups.hours.office.time_zone: Mars/Base (expected: a zone such as UTC or Europe/Berlin)");
        assertThatThrownBy(() -> WeeklyHours.parse("h", new PolicyConfig.Hours("UTC", List.of("mon-fry"), "08:00",
                "18:00"), null)).hasMessageContaining("h.days: mon-fry");
        assertThatThrownBy(() -> WeeklyHours.parse("h", new PolicyConfig.Hours("UTC", null, "8h", "18:00"), null))
                .hasMessage("h.from: 8h (expected: HH:mm)");
    }

    @Test
    void changeWindowsHoldWeeklySlotsAndOneOffSpans() {
        ChangeWindows w = ChangeWindows.parse("w", new PolicyConfig.Windows("Europe/Berlin",
                List.of(new PolicyConfig.Hours(null, List.of("sat"), "02:00", "04:00")),
                List.of(new PolicyConfig.Span("2026-12-09T20:00", "2026-12-09T21:00"))));
        assertThat(w.contains(micros("2026-12-05T02:30:00+01:00[Europe/Berlin]"))).isTrue();
        assertThat(w.contains(micros("2026-12-05T04:00:00+01:00[Europe/Berlin]"))).isFalse();
        assertThat(w.contains(micros("2026-12-09T19:00:00Z"))).isTrue(); // 20:00 Berlin
        assertThat(w.contains(micros("2026-12-09T20:00:00Z"))).isFalse(); // 21:00 Berlin, end exclusive
        assertThatThrownBy(() -> ChangeWindows.parse("w", new PolicyConfig.Windows("UTC", null,
                List.of(new PolicyConfig.Span("2026-12-09T20:00", "2026-12-09T19:00")))))
                .hasMessageContaining("w.once[0].to: 2026-12-09T19:00 (expected: after from)");
    }

    @Test
    void tablesReadAreFoundAfterFromJoinCopyAndTable() {
        assertThat(TableRefs.of("SELECT a.x FROM public.customers AS a JOIN orders o ON o.c = a.id").tables)
                .containsExactly("public.customers", "orders");
        assertThat(TableRefs.of("SELECT * FROM a, \"Weird Name\" w, `db`.`t` WHERE x = ?").tables)
                .containsExactly("a", "weird name", "db.t");
        assertThat(TableRefs.of("COPY hr.salaries TO STDOUT").tables).containsExactly("hr.salaries");
        assertThat(TableRefs.of("TABLE customers").tables).containsExactly("customers");
        assertThat(TableRefs.of("SELECT ? FROM dual WHERE name = 'FROM secret'").tables).containsExactly("dual");
        assertThat(TableRefs.of("SELECT x FROM (SELECT y FROM inner_t) s").tables).containsExactly("inner_t");
    }

    @Test
    void sensitiveEntriesWithColumnsNeedOneOfThemOrAStar() {
        SensitiveTables pii = SensitiveTables.parse("t", List.of("billing.cards", "customers(email, phone)"));
        assertThat(pii.readBy(TableRefs.of("SELECT number FROM billing.cards"))).hasSize(1);
        assertThat(pii.readBy(TableRefs.of("SELECT number FROM cards"))).hasSize(1); // search path
        assertThat(pii.readBy(TableRefs.of("SELECT number FROM other.cards"))).isEmpty();
        assertThat(pii.readBy(TableRefs.of("SELECT id, name FROM customers WHERE id = ?"))).isEmpty();
        assertThat(pii.readBy(TableRefs.of("SELECT id, email FROM customers"))).hasSize(1);
        assertThat(pii.readBy(TableRefs.of("SELECT * FROM customers"))).hasSize(1);
        assertThat(pii.readBy(TableRefs.of("SELECT c.* FROM customers c"))).hasSize(1);
        assertThat(pii.readBy(TableRefs.of("SELECT count(*) FROM customers WHERE id > ?"))).isEmpty();
        assertThatThrownBy(() -> SensitiveTables.parse("groups.tables.pii", List.of("customers(email")))
                .hasMessageContaining("groups.tables.pii[0]: customers(email");
    }

    @Test
    void namesMatchWithoutCaseAndWithStars() {
        NameSet tools = NameSet.of(List.of("psql", "DBeaver*", "*workbench"));
        assertThat(tools.contains("PSQL")).isTrue();
        assertThat(tools.contains("DBeaver 23.2.0 - Main")).isTrue();
        assertThat(tools.contains("MySQL Workbench")).isTrue();
        assertThat(tools.contains("psql2")).isFalse();
        assertThat(tools.contains(null)).isFalse();
    }

    @Test
    void compileNamesTheFirstBadKey() {
        PolicyConfig.Rule bad = new PolicyConfig.Rule("r", "privileged_off_hours", "medium", "dbas", null, null,
                null, "office", null, null, 0, 0);
        PolicyConfig noGroups = new PolicyConfig(null, null, null, null, null, null, List.of(bad), null, null);
        assertThatThrownBy(() -> PolicyEngine.compile(noGroups))
                .hasMessage("rules[0] (r).hours: office (expected one of the groups.hours: none defined)");
        PolicyConfig.Rule extra = new PolicyConfig.Rule("r", "unapproved_network", "medium", null, null, "ok",
                "pii", null, null, null, 0, 0);
        PolicyConfig withExtra = new PolicyConfig(null, null, Map.of("ok", List.of("10.0.0.0/8")), null, null, null,
                List.of(extra), null, null);
        assertThatThrownBy(() -> PolicyEngine.compile(withExtra))
                .hasMessage("rules[0] (r).tables: not used by kind unapproved_network (expected: name, kind, severity,"
                        + " networks)");
        PolicyConfig.Rule kind = new PolicyConfig.Rule("r", "after_hours", "medium", null, null, null, null, null,
                null, null, 0, 0);
        assertThatThrownBy(() -> PolicyEngine.compile(new PolicyConfig(null, null, null, null, null, null,
                List.of(kind), null, null))).hasMessageStartingWith("rules[0] (r).kind: after_hours (expected one of:");
        PolicyConfig.Ignore everything = new PolicyConfig.Ignore("all", null, null, null, null, null, null, null);
        assertThatThrownBy(() -> PolicyEngine.compile(new PolicyConfig(null, null, null, null, null, null, null,
                List.of(everything), null))).hasMessageStartingWith("ignore[0]: matches every record");
        assertThatThrownBy(() -> PolicyEngine.compile(new PolicyConfig(null, null, null, null, null, null, null,
                null, new PolicyConfig.AllowList("enforce", null)))).hasMessage(
                "allowlist.mode: enforce (expected: off, learn, warn or enforce-alert)");
    }
}
