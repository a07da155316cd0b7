package dev.yieldloop.net;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cancelling a pending read or a blocked write leaves the connection usable: the next read gets the bytes the
 * cancelled one did not take, the next write goes out in place of the cancelled one, nothing is lost or duplicated,
 * and the interest ops match the operations still waiting.
 */
class CancelThenReuseSocketTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private static void runUntil(EventLoop loop, BooleanSupplier done) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; " + loop.snapshot());
            }
            Timer tick = loop.scheduleAfter(5, TimeUnit.MILLISECONDS, () -> {});
            loop.runOnce();
            tick.cancel();
        }
    }

    private static TcpConnection connect(EventLoop loop, ServerSocket listener) {
        Promise<TcpConnection> p = TcpConnection.connect(
                loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
        runUntil(loop, p::isDone);
        return p.result();
    }

    @Test
    void cancelAReadThenReadAgain() throws IOException {
        EventLoop loop = loops.newLoop();
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            TcpConnection conn = connect(loop, listener);
            try (Socket peer = listener.accept()) {
                ByteBuffer first = ByteBuffer.allocate(16);
                Promise<Integer> cancelled = conn.read(first);
                assertThat(conn.interestOps()).isEqualTo(SelectionKey.OP_READ);
                assertThat(cancelled.cancel()).isTrue();
                assertThat(conn.interestOps()).as("no reader left: no OP_READ").isZero();

                peer.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
                ByteBuffer second = ByteBuffer.allocate(16);
                Promise<Integer> again = conn.read(second);
                runUntil(loop, again::isDone);
                assertThat(first.position())
                        .as("the cancelled read took nothing")
                        .isZero();
                assertThat(new String(second.array(), 0, second.position(), StandardCharsets.US_ASCII))
                        .isEqualTo("abc");
                assertThat(conn.interestOps()).isZero();
                conn.close();
            }
        }
    }

    @Test
    void cancelABlockedWriteThenWriteAgain() throws IOException {
        EventLoop loop = loops.newLoop();
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReceiveBufferSize(8 * 1024);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            TcpConnection conn = connect(loop, listener);
            try (Socket peer = listener.accept()) {
                long filled = 0;
                Promise<Void> head;
                do { // fill until a write is queued: it is the head, partly sent
                    ByteBuffer f = ByteBuffer.allocate(256 * 1024);
                    Arrays.fill(f.array(), (byte) 'f');
                    filled += f.remaining();
                    head = conn.write(f);
                } while (head.isDone());
                ByteBuffer x = ByteBuffer.wrap(new byte[10_000]);
                Arrays.fill(x.array(), (byte) 'X');
                Promise<Void> blocked = conn.write(x);
                assertThat(conn.interestOps()).isEqualTo(SelectionKey.OP_WRITE);
                assertThat(blocked.cancel())
                        .as("a write none of whose bytes went out is removed")
                        .isTrue();
                assertThat(conn.interestOps())
                        .as("the head still waits: OP_WRITE stays")
                        .isEqualTo(SelectionKey.OP_WRITE);

                ByteBuffer y = ByteBuffer.wrap(new byte[10_000]);
                Arrays.fill(y.array(), (byte) 'Y');
                Promise<Void> next = conn.write(y);

                // The peer drains everything on another thread while the loop writes.
                peer.setSoTimeout(10_000);
                long expected = filled + 10_000;
                long[] counts = new long[3];
                Thread reader = new Thread(() -> {
                    try {
                        InputStream in = peer.getInputStream();
                        byte[] buf = new byte[64 * 1024];
                        long total = 0;
                        boolean sawY = false;
                        while (total < expected) {
                            int n = in.read(buf);
                            if (n < 0) {
                                break;
                            }
                            for (int i = 0; i < n; i++) {
                                switch (buf[i]) {
                                    case 'f' -> counts[sawY ? 2 : 0]++; // an 'f' after a 'Y' would be out of order
                                    case 'Y' -> {
                                        sawY = true;
                                        counts[1]++;
                                    }
                                    default -> counts[2]++;
                                }
                            }
                            total += n;
                        }
                    } catch (IOException e) {
                        counts[2] = -1;
                    }
                });
                reader.start();
                runUntil(loop, () -> next.isDone() && !reader.isAlive());
                assertThat(next.isSucceeded()).isTrue();
                assertThat(counts[0]).as("fill bytes, each once").isEqualTo(filled);
                assertThat(counts[1])
                        .as("the write after the cancel, once, after the fill")
                        .isEqualTo(10_000);
                assertThat(counts[2])
                        .as("nothing of the cancelled write, nothing out of order")
                        .isZero();
                assertThat(conn.interestOps()).as("all drained: no OP_WRITE").isZero();
                conn.close();
            }
        }
    }
}
