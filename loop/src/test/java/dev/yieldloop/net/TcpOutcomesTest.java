package dev.yieldloop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * EOF, reset, shutdown and backpressure are outcomes: a half-close delivers every byte then one EOF, a reset fails the
 * read, a write after shutdown or close fails at once, and a writer that awaits writability keeps its queue bounded.
 */
class TcpOutcomesTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private EventLoop loop;
    private TcpServer server;
    private final List<TcpConnection> accepted = new ArrayList<>();

    private TcpConnection[] pair() throws IOException {
        loop = loops.newLoop();
        server = TcpServer.listen(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, accepted::add);
        Promise<TcpConnection> c = TcpConnection.connect(loop, server.localAddress());
        runUntil(() -> c.isDone() && accepted.size() == 1);
        server.close();
        return new TcpConnection[] {c.result(), accepted.get(0)};
    }

    private void runUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out: %s", loop.snapshot()).isLessThan(deadline);
            loop.runOnce();
        }
    }

    /** Reads until EOF, counting bytes; the result is the byte count. */
    private Coroutine<Long> readToEof(TcpConnection conn, int[] readsAfterEof) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        return new Coroutine<>() {
            long total;
            Promise<Integer> read;

            @Override
            public Step<Long> resume() {
                if (read != null) {
                    int n = read.result();
                    if (n < 0) {
                        // one more read after EOF must report EOF again, at once
                        readsAfterEof[0]++;
                        if (readsAfterEof[0] < 2) {
                            read = conn.read(buf);
                            return Step.await(read);
                        }
                        return Step.done(total);
                    }
                    total += n;
                    buf.clear();
                }
                read = conn.read(buf);
                return Step.await(read);
            }
        };
    }

    @Test
    void halfCloseReadsAllDataThenReplies() throws IOException {
        TcpConnection[] p = pair();
        TcpConnection client = p[0];
        TcpConnection serverSide = p[1];
        serverSide.write(ByteBuffer.allocate(16 * 1024));
        serverSide.shutdownOutput();
        int[] eofReads = {0};
        Task<Long> reader = loop.spawn("reader", readToEof(client, eofReads));
        runUntil(() -> reader.promise().isDone());
        assertThat(reader.promise().result()).isEqualTo(16_384L);
        assertThat(client.interestOps() & SelectionKey.OP_READ)
                .as("OP_READ dropped after EOF")
                .isZero();
        // the client's write side still works after the server's half-close
        Promise<Void> reply = client.write(ByteBuffer.wrap(new byte[] {42}));
        ByteBuffer got = ByteBuffer.allocate(1);
        Promise<Integer> r = serverSide.read(got);
        runUntil(() -> reply.isDone() && r.isDone());
        assertThat(r.result()).isEqualTo(1);
        assertThat(got.get(0)).isEqualTo((byte) 42);
        client.close();
        serverSide.close();
    }

    @Test
    void abortiveCloseDeliversResetToAPendingRead() throws Exception {
        TcpConnection[] p = pair();
        TcpConnection client = p[0];
        Task<Integer> reader = loop.spawn("reader", Coroutine.awaiting(() -> client.read(ByteBuffer.allocate(16))));
        loop.runNow();
        // close the server side with SO_LINGER=0: an RST instead of a FIN
        SocketChannel raw = serverChannel(p[1]);
        raw.setOption(StandardSocketOptions.SO_LINGER, 0);
        p[1].close();
        runUntil(() -> reader.promise().isDone());
        assertThat(reader.promise().failure()).isInstanceOf(IOException.class);
        assertThat(client.interestOps()).isZero();
        client.close();
    }

    @Test
    void staleInterestNeverSpinsTheSelectorAfterConnectWritesAndEof() throws Exception {
        // Stale interest ops would spin the selector: no OP_CONNECT after connect, no OP_WRITE with an empty queue,
        // no OP_READ after EOF
        TcpConnection[] p = pair();
        TcpConnection client = p[0];
        Promise<Void> sent = client.write(ByteBuffer.allocate(256 * 1024));
        int[] eofReads = {0};
        Task<Long> reader = loop.spawn("reader", readToEof(p[1], eofReads));
        runUntil(sent::isDone);
        client.shutdownOutput();
        runUntil(() -> reader.promise().isDone());
        assertThat(reader.promise().result()).isEqualTo(256 * 1024);
        assertThat(client.interestOps())
                .as("client interest after connect and drained writes")
                .isZero();
        assertThat(p[1].interestOps()).as("server interest after EOF").isZero();
        long before = loop.iterations();
        long busy = 0; // both channels stay registered and open: a stale interest op would make every select ready
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) {
            busy += loop.runNow();
        }
        assertThat(busy)
                .as("work found by %d idle iterations", loop.iterations() - before)
                .isZero();
        client.close();
        p[1].close();
    }

    @Test
    void shutdownOutputSendsQueuedWritesBeforeTheEof() throws IOException {
        TcpConnection[] p = pair();
        TcpConnection writer = p[0];
        int size = 8 * 1024 * 1024; // more than the socket buffers take at once: most of it stays queued
        Promise<Void> write = writer.write(ByteBuffer.allocate(size));
        assertThat(writer.queuedWriteBytes()).as("the write is partly queued").isPositive();
        writer.shutdownOutput();
        assertThat(writer.write(ByteBuffer.wrap(new byte[] {1})).failure())
                .as("writes after the half-close fail at once")
                .isInstanceOf(ClosedChannelException.class);
        int[] eofReads = {0};
        Task<Long> reader = loop.spawn("reader", readToEof(p[1], eofReads));
        runUntil(() -> reader.promise().isDone());
        assertThat(write.isSucceeded()).isTrue();
        assertThat(reader.promise().result()).as("every queued byte, then EOF").isEqualTo(size);
        writer.close();
        p[1].close();
    }

    @Test
    void writeAfterShutdownOrCloseFailsAtOnce() throws IOException {
        TcpConnection[] p = pair();
        TcpConnection client = p[0];
        client.shutdownOutput();
        Promise<Void> afterShutdown = client.write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(afterShutdown.failure()).isInstanceOf(ClosedChannelException.class);
        client.close();
        Promise<Void> afterClose = client.write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(afterClose.failure()).isInstanceOf(ClosedChannelException.class);
        int[] eofReads = {0};
        Task<Long> peer = loop.spawn("peer", readToEof(p[1], eofReads));
        runUntil(() -> peer.promise().isDone());
        assertThat(peer.promise().result()).as("the peer got no extra bytes").isZero();
        p[1].close();
    }

    @Test
    void aWriterThatAwaitsWritabilityKeepsTheQueueBoundedForASlowReader() throws IOException {
        // Bounded memory for a client that does not read yet, scaled to 16 MiB to keep the suite fast: a writer that
        // awaits writability before each 64 KiB chunk never has more than high watermark + one chunk queued, and every
        // byte arrives.
        TcpConnection[] p = pair();
        TcpConnection writer = p[0];
        TcpConnection reader = p[1];
        // small kernel buffers, so that the queue, not the kernel, absorbs what the reader has not taken yet
        serverChannel(writer).setOption(StandardSocketOptions.SO_SNDBUF, 32 * 1024);
        serverChannel(reader).setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
        int chunk = 64 * 1024;
        long total = 16L * 1024 * 1024;
        long[] maxQueued = {0};
        boolean[] sawUnwritable = {false};
        boolean[] readerStarted = {false};
        int[] waitsWhileReading = {0};
        Task<Void> producer = loop.spawn("producer", new Coroutine<>() {
            long sent;
            Promise<Void> wait;

            @Override
            public Step<Void> resume() {
                while (sent < total) {
                    if (!writer.isWritable()) {
                        sawUnwritable[0] = true;
                        if (readerStarted[0]) {
                            waitsWhileReading[0]++;
                        }
                        wait = writer.awaitWritable();
                        return Step.await(wait);
                    }
                    writer.write(ByteBuffer.allocate(chunk));
                    sent += chunk;
                    maxQueued[0] = Math.max(maxQueued[0], writer.queuedWriteBytes());
                }
                return Step.done(null);
            }
        });
        // the reader starts late, and then reads slowly: 4 KiB at a time, napping 1 ms after every 64 KiB
        loop.runNow();
        loop.runNow();
        assertThat(sawUnwritable[0])
                .as("writability flipped at the high watermark")
                .isTrue();
        readerStarted[0] = true;
        Task<Long> consumer = loop.spawn("slow consumer", slowReadToEof(reader, 64 * 1024, Duration.ofMillis(1)));
        runUntil(() -> producer.promise().isDone());
        producer.promise().result();
        writer.shutdownOutput();
        runUntil(() -> consumer.promise().isDone());
        assertThat(consumer.promise().result()).isEqualTo(total);
        assertThat(maxQueued[0]).isLessThanOrEqualTo(writer.highWatermarkBytes() + chunk);
        assertThat(waitsWhileReading[0])
                .as("the slow reader paced the writer: it had to wait for writability again and again")
                .isGreaterThanOrEqualTo(16);
        assertThat(writer.isWritable()).isTrue();
        writer.close();
        reader.close();
    }

    /** Reads until EOF in 4 KiB reads, sleeping {@code nap} after every {@code napEveryBytes}; returns the count. */
    private Coroutine<Long> slowReadToEof(TcpConnection conn, long napEveryBytes, Duration nap) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        return new Coroutine<>() {
            long total;
            long sinceNap;
            Promise<Integer> read;

            @Override
            public Step<Long> resume() {
                if (read != null) {
                    int n = read.result();
                    read = null;
                    if (n < 0) {
                        return Step.done(total);
                    }
                    total += n;
                    sinceNap += n;
                    buf.clear();
                    if (sinceNap >= napEveryBytes) {
                        sinceNap = 0;
                        return Step.sleep(nap);
                    }
                }
                read = conn.read(buf);
                return Step.await(read);
            }
        };
    }

    @Test
    void setWriteWatermarksMovesTheThresholdsAndWritabilityReturnsAtTheLowWatermark() throws IOException {
        TcpConnection[] p = pair();
        TcpConnection writer = p[0];
        TcpConnection reader = p[1];
        // fill the socket buffers and then the queue past the default high watermark; nobody reads yet, so the
        // queued byte count stays put between loop iterations
        for (int i = 0; i < 4096 && writer.isWritable(); i++) {
            writer.write(ByteBuffer.allocate(64 * 1024));
            loop.runNow();
        }
        assertThat(writer.isWritable()).as("past the default high watermark").isFalse();
        long queued = writer.queuedWriteBytes();
        assertThat(queued).isGreaterThan(TcpConnection.DEFAULT_HIGH_WATERMARK_BYTES);
        Promise<Void> writable = writer.awaitWritable();

        // below the new high watermark but above the new low one: still not writable (the hysteresis)
        writer.setWriteWatermarks(queued - 1, queued + 1_000);
        assertThat(writer.isWritable()).as("above the low watermark").isFalse();
        assertThat(writable.isDone()).isFalse();

        // at the low watermark: writable again, and the waiter is released
        writer.setWriteWatermarks(queued, queued + 1_000);
        assertThat(writer.isWritable()).as("at the low watermark").isTrue();
        assertThat(writable.isSucceeded()).isTrue();
        assertThat(writer.lowWatermarkBytes()).isEqualTo(queued);
        assertThat(writer.highWatermarkBytes()).isEqualTo(queued + 1_000);

        // above a lowered high watermark: not writable again
        writer.setWriteWatermarks(0, queued - 1);
        assertThat(writer.isWritable()).as("above the high watermark").isFalse();
        assertThatThrownBy(() -> writer.setWriteWatermarks(10, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.setWriteWatermarks(-1, 9)).isInstanceOf(IllegalArgumentException.class);

        // with low = 0, the connection turns writable exactly when the reader has drained the whole queue
        long[] queuedWhenWritable = {-1};
        writer.awaitWritable().onComplete(done -> queuedWhenWritable[0] = writer.queuedWriteBytes());
        Task<Long> consumer = loop.spawn("consumer", slowReadToEof(reader, Long.MAX_VALUE, Duration.ZERO));
        runUntil(() -> queuedWhenWritable[0] >= 0);
        assertThat(queuedWhenWritable[0])
                .as("queued bytes when it turned writable")
                .isZero();
        writer.shutdownOutput();
        runUntil(() -> consumer.promise().isDone());
        writer.close();
        reader.close();
    }

    private static SocketChannel serverChannel(TcpConnection conn) throws IOException {
        try {
            var f = Connection.class.getDeclaredField("channel");
            f.setAccessible(true);
            return (SocketChannel) f.get(conn);
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
    }
}
