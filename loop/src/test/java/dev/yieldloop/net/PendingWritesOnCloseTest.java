package dev.yieldloop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Timer;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What happens to queued writes when a peer never reads: on {@code abort()} (the close that does not wait for the queue
 * to drain) every write is settled exactly once (written, cancelled or failed) before it returns, and the peer gets exactly the written bytes in order; with a write
 * deadline the stuck connection is aborted and its descriptors released.
 */
class PendingWritesOnCloseTest {

    private static final int CHUNK = 1024;

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private static void runFor(EventLoop loop, Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() - end < 0) {
            Timer tick = loop.scheduleAfter(10, TimeUnit.MILLISECONDS, () -> {});
            loop.runOnce();
            tick.cancel();
        }
    }

    private static void runUntil(EventLoop loop, BooleanSupplier done) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; " + loop.snapshot());
            }
            Timer tick = loop.scheduleAfter(10, TimeUnit.MILLISECONDS, () -> {});
            loop.runOnce();
            tick.cancel();
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** A listener whose accepted sockets have a small receive window, so the writer's queue builds up fast. */
    private static ServerSocket smallWindowListener() throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.setReceiveBufferSize(8 * 1024);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        return listener;
    }

    private static TcpConnection connect(EventLoop loop, ServerSocket listener) {
        Promise<TcpConnection> p = TcpConnection.connect(
                loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
        runUntil(loop, p::isDone);
        return p.result();
    }

    private static ByteBuffer chunk(int index) {
        ByteBuffer b = ByteBuffer.allocate(CHUNK);
        b.putInt(index);
        while (b.hasRemaining()) {
            b.put((byte) index);
        }
        return b.flip();
    }

    @Test
    void pendingWritesSettledOnClose() throws Exception {
        EventLoop loop = loops.newLoop();
        try (ServerSocket listener = smallWindowListener()) {
            TcpConnection conn = connect(loop, listener);
            try (Socket peer = listener.accept()) {
                int n = 10_000;
                List<Promise<Void>> writes = new ArrayList<>();
                int[] settlements = new int[n];
                for (int i = 0; i < n; i++) {
                    int index = i;
                    Promise<Void> w = conn.write(chunk(i));
                    w.onComplete(p -> settlements[index]++);
                    writes.add(w);
                }
                runFor(loop, Duration.ofSeconds(1));
                int firstPending = 0;
                while (firstPending < n && writes.get(firstPending).isDone()) {
                    firstPending++;
                }
                assertThat(firstPending).as("the kernel took some, not all").isBetween(1, n - 100);
                // Cancel some writes far behind the head (none of their bytes can have gone out).
                for (int i = firstPending + 10; i < n; i += 7) {
                    assertThat(writes.get(i).cancel()).isTrue();
                }
                conn.abort();

                int ok = 0;
                int cancelled = 0;
                int failed = 0;
                List<Integer> okIndices = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Promise<Void> w = writes.get(i);
                    assertThat(w.isDone())
                            .as("write %d settled before abort() returned", i)
                            .isTrue();
                    assertThat(settlements[i]).as("write %d settled once", i).isEqualTo(1);
                    if (w.isSucceeded()) {
                        ok++;
                        okIndices.add(i);
                    } else if (w.isCancelled()) {
                        cancelled++;
                    } else {
                        failed++;
                    }
                }
                assertThat(ok).isPositive();
                assertThat(cancelled).isPositive();
                assertThat(ok + failed + cancelled).isEqualTo(n);

                // The peer reads exactly the written chunks, in order (plus at most part of the one that was being
                // written when the connection closed, which failed).
                peer.setSoTimeout(10_000);
                InputStream in = peer.getInputStream();
                byte[] all = in.readAllBytes();
                assertThat(all.length).isBetween(ok * CHUNK, ok * CHUNK + CHUNK - 1);
                ByteBuffer got = ByteBuffer.wrap(all);
                for (int expected : okIndices) {
                    assertThat(got.getInt(got.position())).as("chunk order").isEqualTo(expected);
                    got.position(got.position() + CHUNK);
                }
            }
        }
    }

    @Test
    void stuckPeerWriteDeadline() throws Exception {
        EventLoop loop = loops.newLoop();
        try (ServerSocket listener = smallWindowListener()) {
            long baseline = openFds();
            TcpConnection conn = connect(loop, listener);
            Socket peer = listener.accept(); // never reads
            conn.setWriteTimeout(Duration.ofSeconds(2));
            // A writer that awaits writability before each 64 KiB chunk, as a well-behaved task does.
            Promise<Void> stuck = null;
            long lastProgress = System.nanoTime();
            long lastQueued = -1;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (conn.isOpen() && System.nanoTime() < deadline) {
                if (conn.isWritable()) {
                    Promise<Void> w = conn.write(ByteBuffer.allocate(64 * 1024));
                    if (!w.isDone()) {
                        stuck = w;
                    }
                }
                Timer tick = loop.scheduleAfter(5, TimeUnit.MILLISECONDS, () -> {});
                loop.runOnce();
                tick.cancel();
                if (conn.isOpen() && conn.queuedWriteBytes() != lastQueued) {
                    lastQueued = conn.queuedWriteBytes();
                    lastProgress = System.nanoTime();
                }
            }
            Promise<Void> failedWrite = stuck;
            long abortedAfterMillis = (System.nanoTime() - lastProgress) / 1_000_000;
            assertThat(failedWrite).as("a write was stuck and settled").isNotNull();
            assertThat(failedWrite.failure()).isInstanceOf(WriteTimeoutException.class);
            assertThat(conn.isOpen()).isFalse();
            assertThat(abortedAfterMillis)
                    .as("aborted at the 2 s deadline after the last progress (late only by scheduling)")
                    .isBetween(1_950L, 3_000L);
            peer.close();
            loop.runNow(); // a channel closed while registered releases its descriptor at the next select
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() ->
                            assertThat(openFds()).as("fds back to baseline").isLessThanOrEqualTo(baseline));
        }
    }
}
