package io.dbwire.core.protocol.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.protocol.sql.SqlDialect;
import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.record.StatementAttribution;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatementCommentsTest {
    private static final String TP = "00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01";

    private static StatementAttribution pg(String sql) {
        return StatementComments.read(sql, SqlDialect.POSTGRESQL).attribution();
    }

    private static StatementAttribution my(String sql) {
        return StatementComments.read(sql, SqlDialect.MYSQL).attribution();
    }

    @Test
    void sqlcommenterTagsAndTraceparentAreFieldsAndUrlDecoded() {
        // The spec's own exhibit (https://google.github.io/sqlcommenter/spec/).
        StatementAttribution a = pg("SELECT * FROM FOO /*action='%2Fparam*d',controller='index',framework='spring',"
                + "traceparent='" + TP + "',tracestate='congo%3Dt61rcWkgMzE%2Crojo%3D00f067aa0ba902b7'*/");
        assertThat(a.tags()).containsExactly(Map.entry("action", "/param*d"), Map.entry("controller", "index"),
                Map.entry("framework", "spring"), Map.entry("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"));
        assertThat(a.traceId()).isEqualTo("5bd66ef5095369c7b0d1f8f4bd33716a");
        assertThat(a.spanId()).isEqualTo("c532cb4098ac3dd2");
    }

    @Test
    void escapedQuoteUrlEncodedKeyAndUtf8Values() {
        StatementAttribution a = pg("UPDATE t SET x = 1 /*route%20name='it\\'s',app='caf%C3%A9'*/");
        assertThat(a.tags()).containsExactly(Map.entry("route name", "it's"), Map.entry("app", "café"));
        assertThat(a.traceId()).isNull();
    }

    @Test
    void railsMarginaliaFormIsRead() {
        StatementAttribution a = my("SELECT 1 /*application:Blog,controller:posts,action:index,"
                + "namespaced_controller:Admin::PostsController*/");
        assertThat(a.tags()).containsEntry("application", "Blog").containsEntry("action", "index")
                .containsEntry("namespaced_controller", "Admin::PostsController");
    }

    @Test
    void traceparentAnywhereInAnyCommentWithoutTags() {
        StatementAttribution a = pg("-- request traceparent: " + TP + " from checkout\nSELECT 1");
        assertThat(a.tags()).isEmpty();
        assertThat(a.traceId()).isEqualTo("5bd66ef5095369c7b0d1f8f4bd33716a");
        assertThat(my("SELECT 1 # tp=" + TP).spanId()).isEqualTo("c532cb4098ac3dd2");
    }

    @Test
    void invalidTraceparentsAreIgnored() {
        assertThat(pg("SELECT 1 /* ff-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01 */")).isNull();
        assertThat(pg("SELECT 1 /* 00-00000000000000000000000000000000-c532cb4098ac3dd2-01 */")).isNull();
        assertThat(pg("SELECT 1 /* 00-5bd66ef5095369c7b0d1f8f4bd33716a-0000000000000000-01 */")).isNull();
        assertThat(pg("SELECT 1 /* 00-5BD66EF5095369C7B0D1F8F4BD33716A-c532cb4098ac3dd2-01 */")).isNull();
        assertThat(pg("SELECT 1 /* x00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01 */")).isNull();
        assertThat(pg("SELECT 1 /* 00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-012 */")).isNull();
        assertThat(pg("SELECT 1 /*traceparent='00-5bd66ef5'*/")).isNull(); // not a trace context, not a tag
    }

    @Test
    void commentMarksInsideLiteralsAreNotComments() {
        assertThat(pg("SELECT '/*action=''x''*/', '" + TP + "'")).isNull();
        assertThat(my("SELECT \"-- " + TP + "\"")).isNull();
        assertThat(pg("SELECT $$ /*a='b'*/ $$")).isNull();
    }

    @Test
    void freeTextHintsAndExecutableCommentsGiveNoTags() {
        assertThat(pg("SELECT 1 /* slow query, see ticket 42 */")).isNull();
        assertThat(pg("SELECT 1 /* note: this is slow */")).isNull();
        assertThat(my("SELECT /*+ INDEX(t idx) */ * FROM t")).isNull();
        assertThat(my("/*!40101 SET NAMES utf8 */")).isNull();
        assertThat(my("SELECT 1 /*!50000 a='b' */")).isNull();
    }

    @Test
    void malformedSqlcommenterCommentsGiveNoTags() {
        assertThat(pg("SELECT 1 /*action='index*/")).isNull(); // unterminated value
        assertThat(pg("SELECT 1 /*action='a' controller='b'*/")).isNull(); // no comma
        assertThat(pg("SELECT 1 /*='a'*/")).isNull(); // no key
        assertThat(pg("SELECT 1 /*action=index*/")).isNull(); // value not quoted
        assertThat(pg("SELECT 1 /*action='a',*/")).isNull(); // dangling comma
        assertThat(pg("SELECT 1 /**/")).isNull();
        assertThat(pg("SELECT 1 /*")).isNull();
        assertThat(pg("SELECT 1 /*a='%zz%4'*/").tags()).containsEntry("a", "%zz%4"); // bad escape kept as written
    }

    @Test
    void unterminatedCommentIsReadToTheEnd() {
        assertThat(pg("SELECT 1 /*action='x'").tags()).containsEntry("action", "x");
    }

    @Test
    void nestedPostgresCommentsAreOneCommentWhoseTraceparentIsFound() {
        StatementAttribution a = pg("SELECT 1 /* outer /* traceparent='" + TP + "' */ still outer */");
        assertThat(a.traceId()).isEqualTo("5bd66ef5095369c7b0d1f8f4bd33716a");
        assertThat(a.tags()).isEmpty();
    }

    @Test
    void severalCommentsMergeFirstValueWins() {
        StatementAttribution a = pg("/*app='a'*/ SELECT 1 /*app='b',route='r'*/");
        assertThat(a.tags()).containsExactly(Map.entry("app", "a"), Map.entry("route", "r"));
    }

    @Test
    void hugeCommentsAndManyTagsAreBoundedAndReportedCut() {
        StringBuilder many = new StringBuilder("SELECT 1 /*");
        for (int i = 0; i < 40; i++) {
            many.append(i == 0 ? "" : ",").append("k").append(i).append("='v'");
        }
        StatementComments.Result r = StatementComments.read(many.append("*/").toString(), SqlDialect.POSTGRESQL);
        assertThat(r.cut()).isTrue();
        assertThat(r.attribution().tags()).hasSize(CommentTags.MAX_TAGS);

        String longValue = "x".repeat(1000);
        r = StatementComments.read("SELECT 1 /*a='" + longValue + "'*/", SqlDialect.POSTGRESQL);
        assertThat(r.cut()).isTrue();
        assertThat(r.attribution().tags().get("a")).hasSize(CommentTags.MAX_VALUE_CHARS);

        String huge = "SELECT 1 /* traceparent=" + TP + " " + "y".repeat(1 << 20) + " */";
        r = StatementComments.read(huge, SqlDialect.POSTGRESQL);
        assertThat(r.cut()).isTrue();
        assertThat(r.attribution().traceId()).isEqualTo("5bd66ef5095369c7b0d1f8f4bd33716a");

        StringBuilder comments = new StringBuilder("SELECT 1");
        for (int i = 0; i < 20; i++) {
            comments.append(" /*c").append(i).append("='v'*/");
        }
        r = StatementComments.read(comments.toString(), SqlDialect.POSTGRESQL);
        assertThat(r.cut()).isTrue();
        assertThat(r.attribution().tags()).hasSize(StatementComments.MAX_COMMENTS);
    }

    @Test
    void statementsWithoutCommentMarksAllocateNothingAndGiveNothing() {
        StatementComments.Result r = StatementComments.read("SELECT a - b FROM t WHERE x = 'it''s'",
                SqlDialect.POSTGRESQL);
        assertThat(r).isSameAs(StatementComments.Result.NONE);
    }

    @Test
    void theFingerprintIgnoresTheCommentSoOneStatementFromManyRequestsIsOneFingerprint() {
        SqlNormalizer n = SqlNormalizer.postgres();
        String a = n.normalize("SELECT * FROM orders WHERE id = 7 /*controller='orders',traceparent='" + TP + "'*/")
                .fingerprint();
        String b = n.normalize("SELECT * FROM orders WHERE id = 9 /*controller='orders',traceparent='"
                + "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'*/").fingerprint();
        assertThat(a).isEqualTo(b).isEqualTo(n.normalize("SELECT * FROM orders WHERE id = 1").fingerprint());
    }
}
