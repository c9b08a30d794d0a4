package io.dbwire.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.util.ReasonCounters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TlsRecordReaderTest {
    record Seen(int type, int version, byte[] body) {}

    final List<Seen> records = new ArrayList<>();
    final List<int[]> lost = new ArrayList<>();
    final List<Long> framingLost = new ArrayList<>();
    final ReasonCounters<TlsViolation> violations = new ReasonCounters<>(TlsViolation.class);
    final TlsRecordReader reader = new TlsRecordReader(new TlsRecordReader.Sink() {
        @Override
        public void onRecord(int type, int version, byte[] b, int off, int len, long ts) {
            records.add(new Seen(type, version, Arrays.copyOfRange(b, off, off + len)));
        }

        @Override
        public void onLostRecord(int type, int length, long ts) {
            lost.add(new int[] {type, length});
        }

        @Override
        public void onFramingLost(long missing, long ts) {
            framingLost.add(missing);
        }
    }, violations);

    static byte[] concat(byte[]... parts) {
        HelloBuilder b = new HelloBuilder();
        for (byte[] p : parts) {
            b.bytes(p);
        }
        return b.build();
    }

    /** handshake(22) 0x0301 len 3 | ccs(20) 0x0303 len 1 | application_data(23) 0x0303 len 0 | alert(21) len 2 */
    static final byte[] STREAM = concat(
            HelloBuilder.record(22, 0x0301, new byte[] {1, 2, 3}),
            HelloBuilder.record(20, 0x0303, new byte[] {1}),
            HelloBuilder.record(23, 0x0303, new byte[0]),
            HelloBuilder.record(21, 0x0303, new byte[] {1, 0}));

    void assertFourRecords() {
        assertThat(records).extracting(Seen::type).containsExactly(22, 20, 23, 21);
        assertThat(records.get(0).version()).isEqualTo(0x0301);
        assertThat(records.get(0).body()).containsExactly(1, 2, 3);
        assertThat(records.get(2).body()).isEmpty();
        assertThat(violations.total()).isZero();
    }

    @Test
    void everySplitPointGivesTheSameRecords() {
        for (int split = 0; split <= STREAM.length; split++) {
            records.clear();
            reader.onData(STREAM, 0, split, 1);
            reader.onData(STREAM, split, STREAM.length - split, 2);
            assertFourRecords();
        }
    }

    @Test
    void oneByteAtATime() {
        for (int i = 0; i < STREAM.length; i++) {
            reader.onData(STREAM, i, 1, i);
        }
        assertFourRecords();
    }

    @Test
    void aBadHeaderIsCountedOnceAndTheReaderFindsTheNextRecord() {
        // "GET / HTTP/1.1" is not TLS: 'G' (0x47) is no content type. Then a real record follows.
        byte[] junk = HelloBuilder.ascii("GET / ");
        byte[] in = concat(junk, HelloBuilder.record(22, 0x0303, new byte[] {9}));
        reader.onData(in, 0, in.length, 1);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).body()).containsExactly(9);
        assertThat(violations.get(TlsViolation.BAD_CONTENT_TYPE)).isEqualTo(1);
        assertThat(violations.get(TlsViolation.RESYNC_SKIPPED_BYTES)).isEqualTo(junk.length);
    }

    @Test
    void lengthAboveTheBoundIsAViolation() {
        byte[] header = {23, 3, 3, (byte) 0x48, 1}; // 2^14 + 2048 + 1
        reader.onData(header, 0, header.length, 1);
        assertThat(violations.get(TlsViolation.RECORD_TOO_LONG)).isEqualTo(1);
        assertThat(records).isEmpty();
    }

    @Test
    void aGapInsideABodyLosesThatRecordOnlyAndKeepsFraming() {
        byte[] first = HelloBuilder.record(23, 0x0303, new byte[10]);
        byte[] second = HelloBuilder.record(23, 0x0303, new byte[] {7});
        reader.onData(first, 0, 8, 1); // header + 3 body bytes
        reader.onGap(4, 2);
        reader.onData(first, 12, 3, 3); // the last 3 body bytes
        reader.onData(second, 0, second.length, 4);
        assertThat(lost).hasSize(1);
        assertThat(lost.get(0)).containsExactly(23, 10);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).body()).containsExactly(7);
        assertThat(violations.get(TlsViolation.GAP_IN_RECORD)).isEqualTo(1);
        assertThat(framingLost).isEmpty();
    }

    @Test
    void aGapEndingExactlyAtTheRecordEndKeepsFraming() {
        byte[] first = HelloBuilder.record(23, 0x0303, new byte[10]);
        byte[] second = HelloBuilder.record(23, 0x0303, new byte[] {7});
        reader.onData(first, 0, 6, 1);
        reader.onGap(4, 2); // body bytes 1..4
        reader.onGap(5, 3); // body bytes 5..9: the record ends exactly here
        reader.onData(second, 0, second.length, 4);
        assertThat(lost).hasSize(1);
        assertThat(framingLost).isEmpty();
        assertThat(records).extracting(r -> r.body()[0]).containsExactly((byte) 7);
    }

    @Test
    void aGapAcrossAHeaderLosesFramingUntilAPlausibleHeader() {
        byte[] first = HelloBuilder.record(23, 0x0303, new byte[10]);
        byte[] second = HelloBuilder.record(23, 0x0303, new byte[] {7});
        reader.onData(first, 0, 8, 1);
        reader.onGap(first.length - 8 + 2, 2); // the rest of the first record and 2 header bytes of the second
        reader.onData(second, 2, second.length - 2, 3);
        byte[] third = HelloBuilder.record(23, 0x0303, new byte[] {8});
        reader.onData(third, 0, third.length, 4);
        assertThat(framingLost).containsExactly(9L);
        assertThat(violations.get(TlsViolation.GAP_LOST_FRAMING)).isEqualTo(1);
        assertThat(records).extracting(r -> r.body()[0]).containsExactly((byte) 8);
    }

    @Test
    void randomBytesNeverThrowAndStayBounded() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] noise = new byte[random.nextInt(40000)];
            random.nextBytes(noise);
            int pos = 0;
            while (pos < noise.length) {
                int n = Math.min(noise.length - pos, 1 + random.nextInt(3000));
                reader.onData(noise, pos, n, round);
                if (random.nextInt(20) == 0) {
                    reader.onGap(random.nextInt(100000), round);
                }
                pos += n;
            }
        }
        for (Seen s : records) {
            assertThat(s.body().length).isLessThanOrEqualTo(TlsConstants.MAX_RECORD_BODY);
        }
    }
}
