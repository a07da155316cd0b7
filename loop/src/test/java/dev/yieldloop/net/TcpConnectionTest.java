package dev.yieldloop.net;

import static dev.yieldloop.net.LoopDriving.runUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import dev.yieldloop.TaskState;
import dev.yieldloop.testing.Echo;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TCP connections and servers on the loop, over loopback. */
class TcpConnectionTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    @Test
    void echoRoundTrip() throws IOException {
        EventLoop loop = loops.newLoop();
        List<TcpConnection> accepted = new ArrayList<>();
        TcpServer server = Echo.serve(loop, accepted);
        byte[] message = "hello, loop".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer reply = ByteBuffer.allocate(message.length);
        Promise<TcpConnection> connecting = TcpConnection.connect(loop, server.localAddress());
        Task<String> client = loop.spawn(
                "client",
                Coroutine.awaiting(() -> connecting
                        .flatMap(c -> c.write(ByteBuffer.wrap(message)))
                        .flatMap(v -> readFully(connecting.result(), reply))
                        .map(v -> {
                            connecting.result().close();
                            return new String(reply.array(), StandardCharsets.US_ASCII);
                        })));
        runUntil(loop, () -> client.promise().isDone() && accepted.stream().noneMatch(TcpConnection::isOpen));
        assertThat(client.promise().result()).isEqualTo("hello, loop");
        server.close();
    }

    private static Promise<Void> readFully(TcpConnection conn, ByteBuffer dst) {
        return conn.read(dst).flatMap(n -> {
            if (n < 0) {
                return conn.loop().newFailedPromise(new IOException("EOF before " + dst.capacity() + " bytes"));
            }
            return dst.hasRemaining() ? readFully(conn, dst) : conn.loop().newSucceededPromise(null);
        });
    }

    @Test
    void connectionRefusedFailsThePromise() throws IOException {
        EventLoop loop = loops.newLoop();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        long start = System.nanoTime();
        Promise<TcpConnection> p =
                TcpConnection.connect(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
        runUntil(loop, p::isDone);
        assertThat(p.failure()).isInstanceOf(ConnectException.class);
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void readInterestIsSetOnlyWhileAReadIsPendingAndCancellingDropsIt() throws IOException {
        EventLoop loop = loops.newLoop();
        List<TcpConnection> accepted = new ArrayList<>();
        TcpServer server = TcpServer.listen(loop, ANY_LOOPBACK, 16, accepted::add);
        Promise<TcpConnection> connecting = TcpConnection.connect(loop, server.localAddress());
        runUntil(loop, () -> connecting.isDone() && accepted.size() == 1);
        TcpConnection conn = connecting.result();
        assertThat(conn.interestOps()).isZero();

        Task<Integer> reader = loop.spawn("reader", Coroutine.awaiting(() -> conn.read(ByteBuffer.allocate(16))));
        loop.runNow();
        assertThat(reader.state()).isEqualTo(TaskState.WAITING);
        assertThat(conn.interestOps()).isEqualTo(SelectionKey.OP_READ);
        assertThat(loop.snapshot().waiting().get(0).waitReason()).startsWith("readable 127.0.0.1:");

        reader.cancel();
        assertThat(conn.interestOps())
                .as("cancelled read leaves no interest op")
                .isZero();
        runUntil(loop, () -> reader.promise().isDone());
        assertThat(reader.promise().isCancelled()).isTrue();

        // the connection is still usable: a new read gets the bytes the peer sends
        Task<Integer> again = loop.spawn("again", Coroutine.awaiting(() -> conn.read(ByteBuffer.allocate(16))));
        loop.runNow();
        accepted.get(0).write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        runUntil(loop, () -> again.promise().isDone());
        assertThat(again.promise().result()).isEqualTo(3);
        assertThat(conn.interestOps()).isZero();

        // EOF is an outcome: -1, not an exception
        accepted.get(0).close();
        Task<Integer> eof = loop.spawn("eof", Coroutine.awaiting(() -> conn.read(ByteBuffer.allocate(16))));
        runUntil(loop, () -> eof.promise().isDone());
        assertThat(eof.promise().result()).isEqualTo(-1);
        conn.close();
        server.close();
    }

    @Test
    void promptCancellationOfATaskBlockedOnARead() throws Exception {
        // Prompt cancellation: the loop runs on its own thread; another thread cancels a reader that would wait
        // forever, and the task ends cancelled and its awaiter resumes at once.
        EventLoop loop = loops.newLoop();
        List<TcpConnection> accepted = new ArrayList<>();
        TcpServer server = TcpServer.listen(loop, ANY_LOOPBACK, 16, accepted::add);
        Promise<TcpConnection> connecting = TcpConnection.connect(loop, server.localAddress());
        runUntil(loop, () -> connecting.isDone() && accepted.size() == 1);
        TcpConnection conn = connecting.result();
        Task<Integer> reader = loop.spawn("reader", Coroutine.awaiting(() -> conn.read(ByteBuffer.allocate(16))));
        Task<String> awaiter = loop.spawn("awaiter", new Coroutine<>() {
            boolean awaited;

            @Override
            public Step<String> resume() {
                if (!awaited) {
                    awaited = true;
                    return Step.await(reader.promise());
                }
                try {
                    return Step.done("read " + reader.promise().result());
                } catch (java.util.concurrent.CancellationException e) {
                    return Step.done("gave up: " + e.getClass().getSimpleName());
                }
            }
        });
        Promise<String> resumed = awaiter.promise();
        java.util.concurrent.CompletableFuture<String> outcome = resumed.toCompletableFuture();
        // Prompt means without waiting for anything: no byte ever arrives, so without the cancellation nothing would
        // wake the reader. The cancel unparks the reader at once (iteration k); it receives the cancellation in its
        // next step (k + 1), which completes its promise and readies the awaiter, which resumes in k + 2. Counted in
        // loop iterations rather than milliseconds, so it holds on a busy machine.
        long[] iterationAtCancel = {-1};
        long[] iterationAtResume = {-1};
        resumed.onComplete(done -> iterationAtResume[0] = loop.iterations());
        Thread loopThread = loop.startThread();
        loop.submit(() -> reader.state()).get(5, java.util.concurrent.TimeUnit.SECONDS);
        loop.execute(() -> {
            iterationAtCancel[0] = loop.iterations();
            reader.cancel();
        });
        String result = outcome.get(20, java.util.concurrent.TimeUnit.SECONDS);
        loop.stop();
        loopThread.join(30_000);
        assertThat(result).isEqualTo("gave up: CancellationException");
        assertThat(iterationAtResume[0] - iterationAtCancel[0])
                .as("iterations from the cancel to the awaiter's resumption")
                .isBetween(1L, 2L);
        assertThat(reader.promise().isCancelled()).isTrue();
        assertThat(conn.interestOps()).isZero();
        conn.close();
        accepted.get(0).close();
        server.close();
    }

    @Test
    void writesPastTheSocketBufferQueueAndDrainInOrder() throws IOException {
        EventLoop loop = loops.newLoop();
        List<TcpConnection> accepted = new ArrayList<>();
        TcpServer server = TcpServer.listen(loop, ANY_LOOPBACK, 16, accepted::add);
        Promise<TcpConnection> connecting = TcpConnection.connect(loop, server.localAddress());
        runUntil(loop, () -> connecting.isDone() && accepted.size() == 1);
        TcpConnection writer = connecting.result();
        int chunk = 1 << 20;
        int chunks = 8;
        List<Promise<Void>> writes = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            byte[] data = new byte[chunk];
            java.util.Arrays.fill(data, (byte) i);
            writes.add(writer.write(ByteBuffer.wrap(data)));
        }
        assertThat(writer.queuedWriteBytes()).as("the peer does not read yet").isPositive();
        assertThat(writer.interestOps() & SelectionKey.OP_WRITE).isEqualTo(SelectionKey.OP_WRITE);

        TcpConnection reader = accepted.get(0);
        ByteBuffer all = ByteBuffer.allocate(chunk * chunks);
        Task<Void> drain = loop.spawn("drain", Coroutine.awaiting(() -> readFully(reader, all)));
        runUntil(loop, () -> drain.promise().isDone());
        drain.promise().result();
        assertThat(writes).allMatch(Promise::isSucceeded);
        assertThat(writer.queuedWriteBytes()).isZero();
        assertThat(writer.interestOps()).as("no OP_WRITE with an empty queue").isZero();
        for (int i = 0; i < chunks; i++) {
            assertThat(all.get(i * chunk)).isEqualTo((byte) i);
            assertThat(all.get(i * chunk + chunk - 1)).isEqualTo((byte) i);
        }
        writer.close();
        reader.close();
        server.close();
    }
}
