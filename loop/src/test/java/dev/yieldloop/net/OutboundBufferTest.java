package dev.yieldloop.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbound buffer alone, over a channel that takes as many bytes as the test allows: order, watermarks, deadline. */
class OutboundBufferTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    /** A channel that takes at most {@code room} bytes, then nothing until the test gives it more room. */
    private static final class Sink implements WritableByteChannel {
        long room;
        final List<Byte> taken = new ArrayList<>();

        @Override
        public int write(ByteBuffer src) {
            int n = (int) Math.min(room, src.remaining());
            for (int i = 0; i < n; i++) {
                taken.add(src.get());
            }
            room -= n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static ByteBuffer bytes(int n, int value) {
        ByteBuffer b = ByteBuffer.allocate(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) value);
        }
        return b.flip();
    }

    @Test
    void writesGoOutInCallOrderAndEachPromiseCompletesWhenItsLastByteIsTaken() throws IOException {
        EventLoop loop = loops.newLoop();
        OutboundBuffer out = new OutboundBuffer(loop, "peer", stall -> {});
        Promise<Void> first = loop.newPromise();
        Promise<Void> second = loop.newPromise();
        out.add(bytes(3, 1), first);
        out.add(bytes(2, 2), second);
        assertThat(out.queuedBytes()).isEqualTo(5);
        Sink sink = new Sink();
        sink.room = 4;
        assertThat(out.flushTo(sink)).as("the socket filled up first").isFalse();
        assertThat(first.isSucceeded()).isTrue();
        assertThat(second.isDone()).isFalse();
        assertThat(out.queuedBytes()).isEqualTo(1);
        sink.room = 10;
        assertThat(out.flushTo(sink)).isTrue();
        assertThat(second.isSucceeded()).isTrue();
        assertThat(sink.taken).containsExactly((byte) 1, (byte) 1, (byte) 1, (byte) 2, (byte) 2);
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void writabilityFollowsTheWatermarksWithHysteresis() throws IOException {
        EventLoop loop = loops.newLoop();
        OutboundBuffer out = new OutboundBuffer(loop, "peer", stall -> {});
        out.setWatermarks(4, 8);
        out.add(bytes(8, 0), loop.newPromise());
        assertThat(out.isWritable()).as("at the high watermark, not above it").isTrue();
        out.add(bytes(1, 0), loop.newPromise());
        assertThat(out.isWritable()).as("above the high watermark").isFalse();
        Promise<Void> writable = out.awaitWritable();
        Sink sink = new Sink();
        sink.room = 4;
        out.flushTo(sink);
        assertThat(writable.isDone())
                .as("flushing leaves writability to the caller")
                .isFalse();
        out.updateWritability();
        assertThat(out.queuedBytes()).isEqualTo(5);
        assertThat(out.isWritable())
                .as("between the watermarks it stays unwritable")
                .isFalse();
        assertThat(writable.isDone()).isFalse();
        sink.room = 1;
        out.flushTo(sink);
        out.updateWritability();
        assertThat(out.isWritable()).as("at the low watermark").isTrue();
        assertThat(writable.isSucceeded()).isTrue();
        assertThat(out.awaitWritable().isSucceeded()).isTrue();
    }

    @Test
    void onlyAnUntouchedWriteCanBeRemovedAndClosingFailsTheRestAndTheWaiter() throws IOException {
        EventLoop loop = loops.newLoop();
        OutboundBuffer out = new OutboundBuffer(loop, "peer", stall -> {});
        out.setWatermarks(0, 0);
        Promise<Void> partly = loop.newPromise();
        Promise<Void> untouched = loop.newPromise();
        OutboundBuffer.PendingWrite first = out.add(bytes(4, 1), partly);
        OutboundBuffer.PendingWrite second = out.add(bytes(4, 2), untouched);
        Sink sink = new Sink();
        sink.room = 1;
        out.flushTo(sink);
        assertThat(out.removeUntouched(first))
                .as("its tail would corrupt the stream")
                .isFalse();
        assertThat(out.removeUntouched(second)).isTrue();
        assertThat(out.queuedBytes()).isEqualTo(3);
        Promise<Void> waiter = out.awaitWritable();
        IOException cause = new IOException("closed");
        out.close(cause);
        assertThat(partly.failure()).isSameAs(cause);
        assertThat(waiter.failure())
                .as("a closed connection never becomes writable")
                .isSameAs(cause);
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void theWriteDeadlineFiresOnlyAfterATimeoutWithoutProgress() throws IOException {
        EventLoop loop = loops.newLoop(clock);
        List<WriteTimeoutException> stalls = new ArrayList<>();
        OutboundBuffer out = new OutboundBuffer(loop, "peer", stalls::add);
        out.setTimeout(TimeUnit.MILLISECONDS.toNanos(100));
        out.add(bytes(10, 0), loop.newPromise());
        Sink sink = new Sink();
        clock.advance(Duration.ofMillis(60));
        sink.room = 1;
        out.flushTo(sink); // progress at 60 ms: the deadline moves to 160 ms
        clock.advance(Duration.ofMillis(60));
        loop.runNow();
        assertThat(stalls).as("120 ms after the start, 60 ms after progress").isEmpty();
        clock.advance(Duration.ofMillis(40));
        loop.runNow();
        assertThat(stalls).singleElement().asString().contains("peer: 9 queued bytes made no progress for 100 ms");
        assertThat(stalls.get(0).stalledNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        out.close(new IOException("aborted"));
    }
}
