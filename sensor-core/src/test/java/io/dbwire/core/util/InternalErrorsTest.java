package io.dbwire.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.util.InternalErrors.Remedy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InternalErrorsTest {
    private final List<String> reports = new ArrayList<>();

    @AfterEach
    void silence() {
        InternalErrors.setListener(null);
    }

    @Test
    void firstFewThenPowersOfTen() {
        assertThat(LongStream.rangeClosed(1, 20_000).filter(InternalErrors::shouldReport).boxed().toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 10L, 100L, 1_000L, 10_000L);
    }

    @Test
    void aConnectionResynchronisesThreeTimesThenIsClosed() {
        InternalErrors.setListener((layer, connection, error, n, remedy) ->
                reports.add(layer + " " + connection + " " + error.getMessage() + " " + remedy));
        InternalErrors.Fence fence = new InternalErrors.Fence("test", "connection 7");
        int[] flushes = {0};
        List<Remedy> remedies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            remedies.add(fence.caught(new IllegalStateException("fence bug"), () -> flushes[0]++));
        }
        assertThat(remedies).containsExactly(Remedy.RESYNCHRONISED, Remedy.RESYNCHRONISED, Remedy.RESYNCHRONISED,
                Remedy.CLOSED);
        assertThat(flushes[0]).isEqualTo(4);
        assertThat(reports).hasSize(4).allMatch(r -> r.startsWith("test connection 7 fence bug"));
        assertThat(reports.get(3)).endsWith("CLOSED");
    }

    @Test
    void aFlushThatFailsTooClosesTheConnectionAndKeepsBothTraces() {
        List<RuntimeException> seen = new ArrayList<>();
        InternalErrors.setListener((layer, connection, error, n, remedy) -> seen.add(error));
        InternalErrors.Fence fence = new InternalErrors.Fence("test", "connection 8");
        Remedy remedy = fence.caught(new IllegalStateException("first"), () -> {
            throw new IllegalArgumentException("flush");
        });
        assertThat(remedy).isEqualTo(Remedy.CLOSED);
        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(e.getStackTrace()).isNotEmpty();
            assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("flush");
        });
    }

    @Test
    void aBugWhileClosingIsReportedAsClosed() {
        InternalErrors.setListener((layer, connection, error, n, remedy) ->
                reports.add(layer + " " + connection + " " + error.getMessage() + " " + remedy));
        new InternalErrors.Fence("test", "connection 9").caughtAtClose(new IllegalStateException("close bug"));
        assertThat(reports).containsExactly("test connection 9 close bug CLOSED");
    }
}
