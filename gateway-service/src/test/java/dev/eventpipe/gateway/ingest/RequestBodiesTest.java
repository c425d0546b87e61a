package dev.eventpipe.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.gateway.reply.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.DelegatingServletInputStream;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The memory budget is reserved before a body is read (review P2-7): from {@code Content-Length} before the first
 * byte, or 64 KiB at a time while a body of unknown length is read; a body that does not fit is refused with 503
 * having read nothing (declared) or no more than its reservation (chunked). Every route reads its body here, the
 * webhook's included ({@code Ingestion}).
 */
class RequestBodiesTest {
    static final int MIB = 1024 * 1024;

    /** A request whose body counts the bytes read from it. */
    static MockHttpServletRequest request(byte[] body, boolean declareLength, AtomicLong read) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/batch") {
            @Override
            public jakarta.servlet.ServletInputStream getInputStream() {
                InputStream counting = new ByteArrayInputStream(body) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        int n = super.read(b, off, len);
                        if (n > 0) read.addAndGet(n);
                        return n;
                    }
                };
                return new DelegatingServletInputStream(counting);
            }

            @Override
            public long getContentLengthLong() {
                return declareLength ? body.length : -1;
            }
        };
        return request;
    }

    @Test
    void aDeclaredBodyThatDoesNotFitTheBudgetIsRefusedBeforeAByteIsRead() {
        MemoryBudget budget = new MemoryBudget(6L * MIB); // room for 1 MiB of body (6x)
        RequestBodies bodies = new RequestBodies(4 * MIB, budget);
        AtomicLong read = new AtomicLong();

        BodyRead result = bodies.read(request(new byte[2 * MIB], true, read));

        assertThat(result).isEqualTo(new BodyRead.Refused(Reply.UNAVAILABLE));
        assertThat(read).hasValue(0);
        assertThat(budget.reservation().cover(MIB)).as("nothing kept reserved").isTrue();
    }

    @Test
    void aBodyOfUnknownLengthIsRefusedOnceItOutgrowsTheBudgetHavingReadLittleMore() throws IOException {
        MemoryBudget budget = new MemoryBudget(6L * MIB);
        RequestBodies bodies = new RequestBodies(4 * MIB, budget);
        AtomicLong read = new AtomicLong();

        BodyRead result = bodies.read(request(new byte[3 * MIB], false, read));

        assertThat(result).isEqualTo(new BodyRead.Refused(Reply.UNAVAILABLE));
        assertThat(read.get()).isLessThanOrEqualTo(MIB + 8192);
        assertThat(budget.reservation().cover(MIB)).as("its share given back").isTrue();
    }

    @Test
    void aBodyThatFitsHoldsItsShareUntilClosed() {
        MemoryBudget budget = new MemoryBudget(6L * MIB);
        RequestBodies bodies = new RequestBodies(4 * MIB, budget);

        BodyRead result = bodies.read(request(new byte[MIB / 2], true, new AtomicLong()));

        assertThat(result).isInstanceOf(BodyRead.Body.class);
        assertThat(budget.reservation().cover(MIB)).as("half the room is taken").isFalse();
        ((BodyRead.Body) result).close();
        assertThat(budget.reservation().cover(MIB)).isTrue();
    }
}
