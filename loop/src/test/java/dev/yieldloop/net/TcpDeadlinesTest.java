package dev.yieldloop.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The write timeout (no progress on queued writes aborts the connection) and the per-read idle timeout, on a fake
 * clock: real loopback sockets, but time moves only when the test says so.
 */
class TcpDeadlinesTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    /** Runs the loop without blocking until {@code done} holds, at most 10 s of real time (the fake clock stands). */
    private static void runUntil(EventLoop loop, BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; " + loop.snapshot());
            }
            loop.runNow();
            Thread.onSpinWait();
        }
    }

    private static void settle(EventLoop loop) {
        for (int i = 0; i < 5; i++) {
            loop.runNow();
        }
    }

    /** A connected pair: the loop's side and a plain blocking socket as the peer. */
    private record Pair(TcpConnection conn, Socket peer) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (conn.loop().inLoopThread()) {
                conn.close();
            }
            peer.close();
        }
    }

    private static Pair connect(EventLoop loop, ServerSocket listener) throws IOException {
        Promise<TcpConnection> connecting = TcpConnection.connect(
                loop, new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
        runUntil(loop, connecting::isDone);
        Socket peer = listener.accept();
        return new Pair(connecting.result(), peer);
    }

    /** Writes until the socket stops taking bytes, so the last write's promise is queued. */
    private static Promise<Void> fillUntilQueued(TcpConnection conn) {
        for (int i = 0; i < 1_000; i++) {
            Promise<Void> w = conn.write(ByteBuffer.allocate(256 * 1024));
            if (!w.isDone()) {
                return w;
            }
        }
        throw new AssertionError("the socket took 256 MiB without queueing");
    }

    @Test
    void queuedWritesWithoutProgressAbortTheConnectionAtTheWriteTimeout() throws IOException {
        EventLoop loop = loops.newLoop(clock);
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                Pair pair = connect(loop, listener)) {
            pair.conn().setWriteTimeout(Duration.ofSeconds(2));
            fillUntilQueued(pair.conn());
            Promise<Void> stuck = pair.conn().write(ByteBuffer.allocate(256 * 1024));
            Promise<Void> writability = pair.conn().awaitWritable();
            assertThat(writability.isDone()).as("over the high watermark").isFalse();

            clock.advance(Duration.ofMillis(1_999));
            settle(loop);
            assertThat(stuck.isDone()).as("not yet at the deadline").isFalse();
            assertThat(pair.conn().isOpen()).isTrue();

            clock.advance(Duration.ofMillis(2));
            settle(loop);
            assertThat(stuck.failure()).isInstanceOf(WriteTimeoutException.class);
            assertThat(writability.failure()).isInstanceOf(WriteTimeoutException.class);
            assertThat(pair.conn().isOpen()).as("aborted").isFalse();
            assertThat(loop.snapshot().channels()).isZero();
            // An abort is a reset: the peer's next read fails or ends instead of hanging.
            pair.peer().setSoTimeout(5_000);
            InputStream in = pair.peer().getInputStream();
            byte[] sink = new byte[1 << 16];
            Throwable end = null;
            long got = 0;
            try {
                for (int n; (n = in.read(sink)) >= 0; ) {
                    got += n;
                }
            } catch (IOException e) {
                end = e;
            }
            assertThat(end)
                    .as("the peer sees a reset")
                    .isNotNull()
                    .isNotInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void writeProgressRestartsTheClockSoASlowReaderIsNeverCut() throws IOException {
        EventLoop loop = loops.newLoop(clock);
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                Pair pair = connect(loop, listener)) {
            pair.conn().setWriteTimeout(Duration.ofSeconds(2));
            Promise<Void> stuck = fillUntilQueued(pair.conn());
            for (int i = 0; i < 64; i++) { // 16 MiB more queued: the slow reader below never empties the queue
                stuck = pair.conn().write(ByteBuffer.allocate(256 * 1024));
            }
            pair.peer().setSoTimeout(5_000);
            InputStream in = pair.peer().getInputStream();
            byte[] sink = new byte[64 * 1024];
            for (int round = 0; round < 4; round++) {
                clock.advance(Duration.ofMillis(1_500));
                long before = pair.conn().queuedWriteBytes();
                // The peer reads a little: the loop gets OP_WRITE, writes more and notes progress at this fake time.
                for (int r = 0; r < 256 && pair.conn().queuedWriteBytes() == before; r++) {
                    in.read(sink);
                    settle(loop);
                }
                assertThat(pair.conn().queuedWriteBytes())
                        .as("progress in round %d", round)
                        .isLessThan(before);
                assertThat(pair.conn().isOpen())
                        .as("open after %d slow rounds", round)
                        .isTrue();
            }
            clock.advance(Duration.ofMillis(1_999));
            settle(loop);
            assertThat(pair.conn().isOpen()).isTrue();
            clock.advance(Duration.ofMillis(2));
            settle(loop);
            assertThat(pair.conn().isOpen()).as("no progress for 2 s: aborted").isFalse();
            assertThat(stuck.isDone()).isTrue();
        }
    }

    @Test
    void aReadThatGetsNoByteFailsAtTheReadTimeoutAndTheConnectionStaysUsable() throws IOException {
        EventLoop loop = loops.newLoop(clock);
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                Pair pair = connect(loop, listener)) {
            pair.conn().setReadTimeout(Duration.ofSeconds(2));
            ByteBuffer buf = ByteBuffer.allocate(16);
            Promise<Integer> idle = pair.conn().read(buf);
            clock.advance(Duration.ofMillis(1_999));
            settle(loop);
            assertThat(idle.isDone()).isFalse();
            clock.advance(Duration.ofMillis(2));
            settle(loop);
            assertThat(idle.failure()).isInstanceOf(ReadTimeoutException.class);
            assertThat(pair.conn().isOpen())
                    .as("a read timeout leaves the connection open")
                    .isTrue();
            assertThat(pair.conn().interestOps()).as("no read interest left").isZero();

            Promise<Integer> next = pair.conn().read(buf);
            pair.peer().getOutputStream().write('x');
            runUntil(loop, next::isDone);
            assertThat(next.result()).isEqualTo(1);
            settle(loop);
            assertThat(loop.snapshot().timers())
                    .as("the completed read's timer is gone")
                    .isZero();
        }
    }

    @Test
    void aSlowSenderThatKeepsSendingIsNeverCutByTheReadTimeout() throws IOException {
        EventLoop loop = loops.newLoop(clock);
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                Pair pair = connect(loop, listener)) {
            pair.conn().setReadTimeout(Duration.ofSeconds(2));
            ByteBuffer buf = ByteBuffer.allocate(16);
            int received = 0;
            for (int i = 0; i < 10; i++) { // 10 bytes over 15 s of fake time, each gap under the timeout
                Promise<Integer> read = pair.conn().read(buf);
                clock.advance(Duration.ofMillis(1_500));
                settle(loop);
                assertThat(read.isDone()).isFalse();
                pair.peer().getOutputStream().write('a' + i);
                runUntil(loop, read::isDone);
                received += read.result();
                buf.clear();
            }
            assertThat(received).isEqualTo(10);
            assertThat(pair.conn().isOpen()).isTrue();
        }
    }

    @Test
    void negativeTimeoutsAreRefused() throws IOException {
        EventLoop loop = loops.newLoop(clock);
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                Pair pair = connect(loop, listener)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pair.conn().setWriteTimeout(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pair.conn().setReadTimeout(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
