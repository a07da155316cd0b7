package dev.yieldloop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.AsyncMode;
import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.Task;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A newcomer's echo, at the default stack size: 200 MB through a straight-line echo body and through a recursive
 * {@code read().flatMap(write().flatMap(echo))} chain. Both must move every byte intact, without a stack overflow and
 * without leaving a task waiting; and a connection opened by a task that then fails is closed.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LargeEchoTest {

    private static final long TOTAL_BYTES = 200L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    static Stream<AsyncMode> modes() {
        return AsyncMode.continuationsAvailable()
                ? Stream.of(AsyncMode.BATON, AsyncMode.CONTINUATION)
                : Stream.of(AsyncMode.BATON);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void twoHundredMegabytesThroughAStraightLineEchoBody(AsyncMode mode) throws Exception {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withName("test").withAsyncMode(mode));
        TcpServer server = TcpServer.listen(
                loop,
                loopback(),
                16,
                conn -> loop.spawnAsync("echo", a -> {
                    try (conn) {
                        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
                        while (a.await(conn.read(buf.clear())) >= 0) {
                            a.await(conn.write(buf.flip()));
                        }
                        return null;
                    }
                }));
        assertThat(pump(loop, server)).isEqualTo(TOTAL_BYTES);
        server.close();
    }

    @Test
    void twoHundredMegabytesThroughARecursiveFlatMapEcho() throws Exception {
        EventLoop loop = loops.newLoop();
        TcpServer server = TcpServer.listen(
                loop,
                loopback(),
                16,
                conn -> recursiveEcho(conn, ByteBuffer.allocate(CHUNK)).onComplete(p -> conn.close()));
        assertThat(pump(loop, server)).isEqualTo(TOTAL_BYTES);
        server.close();
    }

    /** The shape that used to overflow the stack: each round's promise is built inside the previous one's listener. */
    private static Promise<Void> recursiveEcho(TcpConnection conn, ByteBuffer buf) {
        buf.clear();
        return conn.read(buf).flatMap(n -> {
            if (n < 0) {
                return conn.loop().newSucceededPromise(null);
            }
            buf.flip();
            return conn.write(buf).flatMap(v -> recursiveEcho(conn, buf));
        });
    }

    /**
     * Writes {@link #TOTAL_BYTES} of a known pattern to the server from one task while another reads the echo back and
     * checks every byte; returns the byte count read.
     */
    private static long pump(EventLoop loop, TcpServer server) throws Exception {
        TcpConnection client = loop.runUntilComplete(TcpConnection.connect(loop, server.localAddress()));
        Task<Void> writer = loop.spawnAsync("writer", a -> {
            long sent = 0;
            while (sent < TOTAL_BYTES) {
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
                for (int i = 0; i < CHUNK; i++) {
                    chunk.put(i, pattern(sent + i));
                }
                a.await(client.write(chunk));
                a.await(client.awaitWritable());
                sent += CHUNK;
            }
            client.shutdownOutput();
            return null;
        });
        Task<Long> reader = loop.spawnAsync("reader", a -> {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            long received = 0;
            for (int n = a.await(client.read(buf)); n >= 0; n = a.await(client.read(buf.clear()))) {
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) != pattern(received + i)) {
                        throw new AssertionError("byte " + (received + i) + " differs");
                    }
                }
                received += n;
            }
            return received;
        });
        loop.runUntilComplete(writer.promise());
        long received = loop.runUntilComplete(reader.promise());
        client.close();
        return received;
    }

    private static byte pattern(long offset) {
        return (byte) (offset % 251);
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aConnectionOpenedByABodyThatFailsIsClosed(AsyncMode mode) throws Exception {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withName("test").withAsyncMode(mode));
        TcpServer server = TcpServer.listen(loop, loopback(), 16, TcpConnection::close);
        TcpConnection[] opened = new TcpConnection[1];
        Task<Void> t = loop.spawnAsync("fails holding a connection", a -> {
            try (TcpConnection c = a.await(TcpConnection.connect(loop, server.localAddress()))) {
                opened[0] = c;
                a.sleep(Duration.ofMillis(1));
                throw new IOException("protocol error");
            }
        });
        t.promise().onComplete(p -> {});
        assertThatThrownBy(() -> loop.runUntilComplete(t.promise())).hasMessage("protocol error");
        assertThat(opened[0].isOpen()).isFalse();
        server.close(); // the leak check then finds no channel left
    }

    @Test
    void aHandWrittenCoroutineClosesItsConnectionInOnExitWhenAStepFails() throws Exception {
        EventLoop loop = loops.newLoop();
        TcpServer server = TcpServer.listen(loop, loopback(), 16, TcpConnection::close);
        TcpConnection[] opened = new TcpConnection[1];
        Function<Promise<TcpConnection>, dev.yieldloop.Coroutine<Void>> failing =
                connecting -> new dev.yieldloop.Coroutine<>() {
                    @Override
                    public dev.yieldloop.Step<Void> resume() throws Exception {
                        if (opened[0] == null) {
                            if (!connecting.isDone()) {
                                return dev.yieldloop.Step.await(connecting);
                            }
                            opened[0] = connecting.get();
                        }
                        throw new IOException("step failed");
                    }

                    @Override
                    public void onExit(Throwable failureOrNull) {
                        if (opened[0] != null) {
                            opened[0].close();
                        }
                    }
                };
        Task<Void> t = loop.spawn("hand", failing.apply(TcpConnection.connect(loop, server.localAddress())));
        t.promise().onComplete(p -> {});
        assertThatThrownBy(() -> loop.runUntilComplete(t.promise())).hasMessage("step failed");
        assertThat(opened[0].isOpen()).isFalse();
        server.close();
        assertThat(t.promise().isFailed()).isTrue();
    }
}
