package io.dbwire.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmallLongsTest {

    /** Every value in the table is its own number and always the same object (no allocation per record). */
    @Test
    void valuesInTheTableAreSharedAndExact() {
        for (long v = 0; v < SmallLongs.SIZE; v++) {
            Long boxed = SmallLongs.valueOf(v);
            assertThat(boxed).isEqualTo(v);
            assertThat(SmallLongs.valueOf(v)).isSameAs(boxed);
        }
    }

    @Test
    void valuesOutsideTheTableAreBoxedAsUsual() {
        for (long v : new long[] {-1, Long.MIN_VALUE, SmallLongs.SIZE, SmallLongs.SIZE + 1L, Long.MAX_VALUE}) {
            assertThat(SmallLongs.valueOf(v)).isEqualTo(v);
        }
    }
}
