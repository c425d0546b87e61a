package dev.eventpipe.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TimedHttpClient#readUpTo} answers what {@code readNBytes} answered, and leaves the stream where it did. */
class ReadUpToTest {
    /** A stream that hands out at most {@code chunk} bytes per read, as a socket may. */
    private static InputStream chunked(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void theSameBytesAsReadNBytesForEveryLengthChunkAndDeclaredLength() throws IOException {
        Random random = new Random(10240);
        int max = HttpDelivery.MAX_BODY_BYTES;
        int[] lengths = {0, 1, 2, 511, 512, 513, 1023, 1024, 1025, max - 1, max, max + 1, 2 * max, 25_000};
        for (int round = 0; round < 400; round++) {
            int length = round < lengths.length * 4 ? lengths[round % lengths.length] : random.nextInt(3 * max);
            byte[] data = new byte[length];
            random.nextBytes(data);
            int chunk = 1 + random.nextInt(random.nextBoolean() ? 7 : 4000);
            long declared = switch (round % 4) {
                case 0 -> length;
                case 1 -> -1;
                case 2 -> Math.max(0, length - 1 - random.nextInt(600)); // fewer than sent
                default -> length + 1 + random.nextInt(600); // more than sent
            };
            InputStream expectedIn = chunked(data, chunk);
            byte[] expected = expectedIn.readNBytes(max);
            InputStream in = chunked(data, chunk);
            byte[] actual = TimedHttpClient.readUpTo(in, max, declared);
            String what = "length " + length + ", chunk " + chunk + ", declared " + declared;
            assertThat(actual).as(what).isEqualTo(expected);
            assertThat(in.read()).as(what).isEqualTo(expectedIn.read());
        }
    }
}
