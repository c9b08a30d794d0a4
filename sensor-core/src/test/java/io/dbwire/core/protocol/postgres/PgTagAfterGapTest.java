package io.dbwire.core.protocol.postgres;

import static io.dbwire.core.protocol.postgres.PgWireBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.record.GapInfo;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hole inside a statement's own answer or COPY data: the server's CommandComplete tag gives its rows only when
 * the tag provably belongs to it (PgTagSalvage, docs/reassembly.md "Rows from the tag").
 */
class PgTagAfterGapTest {
    private static final Direction SERVER = Direction.SERVER_TO_CLIENT;
    private static final Direction CLIENT = Direction.CLIENT_TO_SERVER;

    private static SessionScript bigSelect() {
        return PgSessionQueryTest.loggedIn()
                .client(1_000, query("SELECT * FROM big"))
                .server(1_100, rowDescription("a"), dataRow("1"), dataRow("2"))
                .gap(SERVER, 1_200, 9_000);
    }

    /** One exchange answered in step: its ReadyForQuery shows the server has answered everything before. */
    private static SessionScript answered() {
        return PgSessionQueryTest.loggedIn()
                .client(500, query("SELECT 1"))
                .server(600, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'));
    }

    @Test
    void holeInDataRowsWithOneStatementInFlightTakesTheRowsFromTheTag() {
        SessionScript.Result r = bigSelect()
                .server(1_300, dataRow("9"), commandComplete("SELECT 1000"), readyForQuery('I'))
                .client(2_000, query("SELECT 1"))
                .server(2_100, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        List<TransactionRecord> s = PgSessionQueryTest.statements(r);
        assertThat(s).extracting(TransactionRecord::status).containsExactly(RecordStatus.OK, RecordStatus.OK);
        TransactionRecord cut = s.get(0);
        assertThat(cut.response().rows()).isEqualTo(1000);
        assertThat(cut.response().rowsAffected()).isNull();
        assertThat(cut.response().commandTag()).isEqualTo("SELECT 1000");
        assertThat(cut.response().durationUs()).isEqualTo(300);
        assertThat(cut.response().serverUs()).as("its answer began before the hole").isNotNull();
        long seen = rowDescription("a").length + 3L * dataRow("1").length + commandComplete("SELECT 1000").length;
        assertThat(cut.response().bytes()).as("bytes seen + the hole's").isEqualTo(seen + 9_000);
        assertThat(cut.gaps()).as("the hole stays on the record").isEqualTo(new GapInfo(0, 9_000));
        assertThat(s.get(1).gaps()).isNull();
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isEqualTo(1);
        assertThat(r.count(PgEvent.INCOMPLETE_STATEMENTS)).isZero();
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isZero();
    }

    @Test
    void pipelinedSecondQueryMeansTheHoleMayHoldItsAnswerSoTheRecordStaysIncomplete() {
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("SELECT * FROM big"), query("SELECT * FROM small")) // both in flight
                .server(1_100, rowDescription("a"), dataRow("1"), dataRow("2"))
                .gap(SERVER, 1_200, 9_000) // may hold big's end and small's whole answer
                .server(1_300, dataRow("9"), commandComplete("SELECT 5"), readyForQuery('I'))
                .run();

        List<TransactionRecord> s = PgSessionQueryTest.statements(r);
        assertThat(s).extracting(t -> t.statement().text() + " " + t.status())
                .containsExactly("SELECT * FROM big INCOMPLETE", "SELECT * FROM small INCOMPLETE");
        assertThat(s.get(0).response().rows()).as("rows seen before the hole").isEqualTo(2);
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
    }

    @Test
    void aLostClientRequestDuringTheCarryMeansTheTagMayBeItsAnswer() {
        SessionScript.Result r = bigSelect()
                .gap(CLIENT, 1_250, 40) // the next Query was lost: the tag below may answer it
                .server(1_300, dataRow("9"), commandComplete("SELECT 5"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(r)).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE);
            assertThat(t.response().rows()).isEqualTo(2);
            assertThat(t.gaps()).as("the hole that cut it first").isEqualTo(new GapInfo(0, 9_000));
        });
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
    }

    @Test
    void aTagThatDoesNotNameTheStatementOrCountsFewerRowsThanSeenProvesNothing() {
        SessionScript.Result verb = bigSelect()
                .server(1_300, commandComplete("INSERT 0 5"), readyForQuery('I'))
                .run();
        SessionScript.Result fewer = bigSelect()
                .server(1_300, dataRow("9"), commandComplete("SELECT 2"), readyForQuery('I'))
                .run();
        SessionScript.Result noReady = bigSelect()
                .server(1_300, commandComplete("SELECT 1000"))
                .run();

        for (SessionScript.Result r : List.of(verb, fewer, noReady)) {
            assertThat(PgSessionQueryTest.statements(r)).singleElement()
                    .satisfies(t -> assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE))
                    .satisfies(t -> assertThat(t.gaps()).isEqualTo(new GapInfo(0, 9_000)));
            assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
        }
    }

    @Test
    void lostCopyDataFromTheClientTakesTheRowsFromTheServersCopyTag() {
        byte[] request = query("COPY t FROM STDIN");
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, request)
                .server(1_100, copyInResponse(1))
                .client(1_200, copyData("1\n"))
                .gap(CLIENT, 1_300, 500) // copy data lost
                .client(1_400, copyData("3\n"), copyDone())
                .server(1_500, commandComplete("COPY 3"), readyForQuery('I'))
                .client(2_000, query("SELECT 1"))
                .server(2_100, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        List<TransactionRecord> s = PgSessionQueryTest.statements(r);
        assertThat(s).extracting(TransactionRecord::status).containsExactly(RecordStatus.OK, RecordStatus.OK);
        TransactionRecord copy = s.get(0);
        assertThat(copy.response().rowsAffected()).isEqualTo(3);
        assertThat(copy.response().rows()).as("as a whole COPY FROM record").isNull();
        assertThat(copy.gaps()).isEqualTo(new GapInfo(500, 0));
        assertThat(copy.request().bytes()).isEqualTo(request.length + 2L * copyData("1\n").length
                + copyDone().length + 500);
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isEqualTo(1);
    }

    @Test
    void lostCopyDataFollowedByANewQueryStaysIncomplete() {
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("COPY t FROM STDIN"))
                .server(1_100, copyInResponse(1))
                .gap(CLIENT, 1_300, 500)
                .client(1_400, query("SELECT 1")) // the hole held the end of the COPY: a new exchange began
                .server(1_500, commandComplete("COPY 3"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(r)).first()
                .satisfies(t -> assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE))
                .satisfies(t -> assertThat(t.gaps()).isEqualTo(new GapInfo(500, 0)));
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
    }

    @Test
    void holeInCopyOutDataTakesTheLinesFromTheTagUnlessAHeaderLineMayBeThere() {
        SessionScript.Result plain = PgSessionQueryTest.loggedIn()
                .client(1_000, query("COPY t TO STDOUT"))
                .server(1_100, copyOutResponse(1), copyData("1\n"))
                .gap(SERVER, 1_200, 700)
                .server(1_300, copyData("4\n"), copyDone(), commandComplete("COPY 4"), readyForQuery('I'))
                .run();
        SessionScript.Result header = PgSessionQueryTest.loggedIn()
                .client(1_000, query("COPY t TO STDOUT WITH (FORMAT csv, HEADER)"))
                .server(1_100, copyOutResponse(1), copyData("a\n"))
                .gap(SERVER, 1_200, 700)
                .server(1_300, copyData("4\n"), copyDone(), commandComplete("COPY 4"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(plain)).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.OK);
            assertThat(t.response().rows()).isEqualTo(4);
            assertThat(t.response().rowsAffected()).isEqualTo(4);
        });
        assertThat(PgSessionQueryTest.statements(header)).singleElement()
                .satisfies(t -> assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE));
    }
    @Test
    void severalHolesInTheSameResultStillTakeTheRowsFromTheTag() {
        SessionScript.Result r = bigSelect() // hole 1: 9 000 bytes
                .server(1_300, dataRow("5"))
                .gap(SERVER, 1_400, 8_000)
                .server(1_500, dataRow("8"))
                .gap(SERVER, 1_600, 7_000)
                .server(1_700, dataRow("9"), commandComplete("SELECT 1000"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(r)).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.OK);
            assertThat(t.response().rows()).isEqualTo(1000);
            assertThat(t.gaps()).as("every hole it crossed").isEqualTo(new GapInfo(0, 24_000));
            long seen = rowDescription("a").length + 5L * dataRow("1").length + commandComplete("SELECT 1000").length;
            assertThat(t.response().bytes()).isEqualTo(seen + 24_000);
        });
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isEqualTo(1);
    }

    @Test
    void aRequestSeenBetweenTwoHolesMeansTheSecondMayHoldTheTagSoTheRecordStaysIncomplete() {
        SessionScript.Result r = bigSelect()
                .client(1_250, query("SELECT * FROM other")) // pipelined: its answer follows big's
                .gap(SERVER, 1_300, 8_000) // may hold big's tag and other's first rows
                .server(1_400, dataRow("9"), commandComplete("SELECT 7"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(r)).first().satisfies(t -> {
            assertThat(t.statement().text()).isEqualTo("SELECT * FROM big");
            assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE);
            assertThat(t.response().rows()).isEqualTo(2);
        });
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
    }

    @Test
    void aServerHoleAfterALostClientRequestMayHoldTheTagSoTheRecordStaysIncomplete() {
        SessionScript.Result r = bigSelect()
                .gap(CLIENT, 1_250, 30) // a pipelined request, lost
                .gap(SERVER, 1_300, 8_000) // big's tag and ready, and the lost request's first rows
                .server(1_400, dataRow("9"), commandComplete("SELECT 7"), readyForQuery('I')) // the other's
                .run();

        assertThat(PgSessionQueryTest.statements(r)).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE);
            assertThat(t.response().rows()).isEqualTo(2);
        });
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
    }

    @Test
    void severalHolesInCopyFromDataTakeTheRowsFromTheCopyTag() {
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, query("COPY t FROM STDIN"))
                .server(1_100, copyInResponse(1))
                .client(1_200, copyData("1\n"))
                .gap(CLIENT, 1_300, 500)
                .client(1_400, copyData("3\n"))
                .gap(CLIENT, 1_450, 400)
                .client(1_500, copyData("5\n"), copyDone())
                .server(1_600, commandComplete("COPY 5"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(r)).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.OK);
            assertThat(t.response().rowsAffected()).isEqualTo(5);
            assertThat(t.gaps()).isEqualTo(new GapInfo(900, 0));
        });
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isEqualTo(1);
    }
    @Test
    void aHoleThatTookTheAnswersBeginningIsCrossedWhenTheNextMessagesShowItsKind() {
        SessionScript.Result result = answered()
                .client(1_000, query("SELECT * FROM big"))
                .gap(SERVER, 1_100, 9_000) // RowDescription and the first rows
                .server(1_300, dataRow("9"), commandComplete("SELECT 1000"), readyForQuery('I'))
                .run();
        SessionScript.Result copyOut = answered()
                .client(1_000, query("COPY t TO STDOUT"))
                .gap(SERVER, 1_100, 700) // CopyOutResponse and the first lines
                .server(1_300, copyData("4\n"), copyDone(), commandComplete("COPY 4"), readyForQuery('I'))
                .run();
        SessionScript.Result copyIn = answered()
                .client(1_000, query("COPY t FROM STDIN"))
                .gap(SERVER, 1_100, 12) // CopyInResponse
                .client(1_200, copyData("1\n"), copyData("2\n"), copyDone())
                .server(1_300, commandComplete("COPY 2"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(result)).last().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.OK);
            assertThat(t.response().rows()).isEqualTo(1000);
            assertThat(t.gaps()).isEqualTo(new GapInfo(0, 9_000));
            assertThat(t.response().serverUs()).as("the first answer byte was in the hole").isNull();
            assertThat(t.response().durationUs()).as("request's first byte to the tag's packet").isEqualTo(300);
        });
        assertThat(PgSessionQueryTest.statements(copyOut)).last().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.OK);
            assertThat(t.response().rows()).as("lines, as a whole COPY TO record").isEqualTo(4);
            assertThat(t.response().rowsAffected()).isEqualTo(4);
        });
        assertThat(PgSessionQueryTest.statements(copyIn)).last().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.OK);
            assertThat(t.response().rows()).isNull();
            assertThat(t.response().rowsAffected()).isEqualTo(2);
        });
    }

    @Test
    void aLostCopyInResponseFollowedByLostClientDataStaysIncomplete() {
        // The server hole may also have held the end of this COPY (the server is silent during COPY IN), and the
        // client's hole a COPY FROM a file whose bare "COPY 7" follows.
        SessionScript.Result r = answered()
                .client(1_000, query("COPY t FROM STDIN"))
                .gap(SERVER, 1_100, 40)
                .client(1_200, copyData("1\n"))
                .gap(CLIENT, 1_300, 60)
                .server(1_400, commandComplete("COPY 7"), readyForQuery('I'))
                .run();

        assertThat(PgSessionQueryTest.statements(r)).last()
                .satisfies(t -> assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE));
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
    }

    @Test
    void aLostAnswerBeginningProvesNothingWhenTheFormatOrDirectionIsUnknown() {
        SessionScript.Result binary = answered()
                .client(1_000, query("COPY t TO STDOUT (FORMAT binary)")) // header and trailer are CopyData too
                .gap(SERVER, 1_100, 700)
                .server(1_300, copyData("x"), copyDone(), commandComplete("COPY 4"), readyForQuery('I'))
                .run();
        SessionScript.Result bareCopyTag = answered()
                .client(1_000, query("COPY t TO STDOUT"))
                .gap(SERVER, 1_100, 700) // every line lost: was it a COPY TO (rows 4) or FROM (rows null)?
                .server(1_300, commandComplete("COPY 4"), readyForQuery('I'))
                .run();

        for (SessionScript.Result r : List.of(binary, bareCopyTag)) {
            assertThat(PgSessionQueryTest.statements(r)).last()
                    .satisfies(t -> assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE));
            assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
        }
    }
    @Test
    void holeInTheRowsOfTheOnlyExtendedExecuteTakesTheRowsFromTheTag() {
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, parse("", "SELECT * FROM big"), bind("", ""), describe('P', ""), execute("", 0), sync())
                .server(1_100, parseComplete(), bindComplete(), rowDescription("a"), dataRow("1"), dataRow("2"))
                .gap(SERVER, 1_200, 9_000)
                .server(1_300, dataRow("9"), commandComplete("SELECT 1000"), readyForQuery('I'))
                .client(2_000, query("SELECT 1"))
                .server(2_100, rowDescription("x"), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'))
                .run();

        List<TransactionRecord> s = PgSessionQueryTest.statements(r);
        assertThat(s).extracting(t -> t.statement().text() + " " + t.status())
                .containsExactly("SELECT * FROM big OK", "SELECT 1 OK");
        assertThat(s.get(0).response().rows()).isEqualTo(1000);
        assertThat(s.get(0).gaps()).isEqualTo(new GapInfo(0, 9_000));
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isEqualTo(1);
        assertThat(r.count(PgEvent.UNMATCHED_RESPONSE)).isZero();
    }

    @Test
    void aSecondExecuteQueuedBehindMeansTheHoleMayHoldTheFirstsTagSoBothStayIncomplete() {
        SessionScript.Result r = PgSessionQueryTest.loggedIn()
                .client(1_000, parse("s", "SELECT * FROM big WHERE k = $1"), bind("", "s", "1"), execute("", 0),
                        bind("", "s", "2"), execute("", 0), sync())
                .server(1_100, parseComplete(), bindComplete(), dataRow("1"), dataRow("2"))
                .gap(SERVER, 1_200, 9_000) // the first's end and tag, the second's BindComplete and first rows
                .server(1_300, dataRow("9"), commandComplete("SELECT 7"), readyForQuery('I')) // the second's
                .run();

        assertThat(PgSessionQueryTest.statements(r)).first().satisfies(t -> {
            assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE);
            assertThat(t.response().rows()).isEqualTo(2);
        });
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
    }
    @Test
    void afterAnAbandonedCarryALostAnswerBeginningMayBeTheAbandonedStatementsRest() {
        SessionScript.Result r = answered()
                .client(1_000, query("SELECT * FROM big"))
                .server(1_100, rowDescription("a"), dataRow("1"))
                .gap(SERVER, 1_200, 9_000)
                .server(1_300, notice("slow"), dataRow("5")) // the carry ends; big's rows go on
                .client(1_400, query("SELECT * FROM next")) // pipelined behind big
                .gap(SERVER, 1_500, 9_000) // more of big's rows, not next's beginning
                .server(1_600, dataRow("9"), commandComplete("SELECT 1000"), readyForQuery('I')) // big's
                .run();

        assertThat(PgSessionQueryTest.statements(r)).filteredOn(t -> t.statement().text().equals("SELECT * FROM next"))
                .allSatisfy(t -> assertThat(t.status()).isEqualTo(RecordStatus.INCOMPLETE));
        assertThat(r.count(PgEvent.ROWS_FROM_TAG_AFTER_GAP)).isZero();
    }
}
