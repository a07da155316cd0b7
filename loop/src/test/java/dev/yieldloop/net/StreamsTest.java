package dev.yieldloop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Task;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streams on {@link TcpConnection}: {@code readLine}, {@code readExactly}, {@code readUntil} over split packets,
 * pipelined data, limits and an end of stream in the middle; graceful {@code close}, {@code abort} and a server's
 * graceful close. The peer is a plain blocking {@link Socket} fed from another thread.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private EventLoop loop;
    private TcpServer server;
    private final List<TcpConnection> accepted = new ArrayList<>();
    private Socket peer;

    @BeforeEach
    void listen() throws IOException {
        loop = loops.newLoop();
        server = TcpServer.listen(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, accepted::add);
        peer = new Socket(
                InetAddress.getLoopbackAddress(), server.localAddress().getPort());
        peer.setTcpNoDelay(true);
    }

    @AfterEach
    void closeAll() throws IOException {
        loop.runNow(); // the test ran on JUnit's timeout thread: this thread drives the loop again
        peer.close();
        server.close();
        for (TcpConnection c : accepted) {
            c.abort();
        }
    }

    /** The server side of the peer's connection, once accepted. */
    private TcpConnection serverSide() throws Exception {
        loop.runNow(); // the loop was made on JUnit's main thread; the test body runs on its timeout thread
        return loop.runUntilComplete(loop.spawnAsync("accept", a -> {
                    while (accepted.isEmpty()) {
                        a.sleep(Duration.ofMillis(1));
                    }
                    return accepted.get(0);
                })
                .promise());
    }

    /** Sends {@code parts} from another thread, pausing between them so each arrives as its own packet. */
    private CompletableFuture<Void> send(boolean thenEof, String... parts) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = peer.getOutputStream();
                for (String part : parts) {
                    out.write(part.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(15);
                }
                if (thenEof) {
                    peer.shutdownOutput();
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void readLineJoinsSplitPacketsSplitsPipelinedLinesAndGivesNullAtEndOfStream() throws Exception {
        TcpConnection conn = serverSide();
        CompletableFuture<Void> sent = send(true, "hel", "lo\r", "\nwor", "ld\none\ntwo\r\nth", "ree\nlast without LF");
        List<String> lines = loop.runUntilComplete(loop.spawnAsync("lines", a -> {
                    List<String> got = new ArrayList<>();
                    for (String line = a.await(conn.readLine(64)); line != null; line = a.await(conn.readLine(64))) {
                        got.add(line);
                    }
                    return got;
                })
                .promise());
        sent.join();
        assertThat(lines).containsExactly("hello", "world", "one", "two", "three", "last without LF");
        assertThat(conn.interestOps()).as("no OP_READ after EOF").isZero();
    }

    @Test
    void readLineFailsNamingTheLimitWhenALineIsTooLong() throws Exception {
        TcpConnection conn = serverSide();
        send(false, "short\n", "x".repeat(40), "y".repeat(40) + "\n").join();
        Promise<String> first = conn.readLine(16);
        assertThat(loop.runUntilComplete(first)).isEqualTo("short");
        Promise<String> second = conn.readLine(16);
        assertThatThrownBy(() -> loop.runUntilComplete(second))
                .isInstanceOf(StreamLimitException.class)
                .hasMessageContaining("16 bytes");
        assertThat(((StreamLimitException) second.failure()).limitBytes()).isEqualTo(16);
    }

    @Test
    void readExactlyWaitsForSplitPacketsKeepsTheRestAndFailsAtEndOfStreamInTheMiddle() throws Exception {
        TcpConnection conn = serverSide();
        CompletableFuture<Void> sent = send(true, "ab", "cdefg", "hij");
        Task<List<String>> t = loop.spawnAsync("frames", a -> {
            List<String> got = new ArrayList<>();
            got.add(text(a.await(conn.readExactly(4))));
            got.add(text(a.await(conn.readExactly(2))));
            got.add(text(a.await(conn.readExactly(0))));
            try {
                a.await(conn.readExactly(10));
            } catch (EOFException e) {
                got.add(e.getMessage());
            }
            return got;
        });
        List<String> got = loop.runUntilComplete(t.promise());
        sent.join();
        assertThat(got).containsExactly("abcd", "ef", "", "end of stream after 4 of 10 bytes");
    }

    @Test
    void readUntilReturnsDataWithTheDelimiterAcrossPacketsAndHonoursItsLimit() throws Exception {
        TcpConnection conn = serverSide();
        byte[] delimiter = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<Void> sent = send(true, "GET / HTTP/1.1\r\nHost: a\r", "\n\r", "\nnext", "part\r\n\r\nabc");
        Task<List<String>> t = loop.spawnAsync("heads", a -> {
            List<String> got = new ArrayList<>();
            got.add(text(a.await(conn.readUntil(delimiter, 64))));
            got.add(text(a.await(conn.readUntil(delimiter, 64))));
            try {
                a.await(conn.readUntil(delimiter, 64));
            } catch (EOFException e) {
                got.add("EOF: " + e.getMessage());
            }
            return got;
        });
        List<String> got = loop.runUntilComplete(t.promise());
        sent.join();
        assertThat(got)
                .containsExactly(
                        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                        "nextpart\r\n\r\n",
                        "EOF: end of stream after 3 bytes without the delimiter");
    }

    @Test
    void readUntilFailsWhenTheLimitPassesWithoutTheDelimiter() throws Exception {
        TcpConnection conn = serverSide();
        send(false, "a".repeat(30), "b".repeat(30)).join();
        Promise<ByteBuffer> head = conn.readUntil(new byte[] {'\n'}, 50);
        assertThatThrownBy(() -> loop.runUntilComplete(head)).isInstanceOf(StreamLimitException.class);
    }

    @Test
    void plainReadsTakeWhatAStreamReadLeftBuffered() throws Exception {
        TcpConnection conn = serverSide();
        send(false, "line\nrest").join();
        assertThat(loop.runUntilComplete(conn.readLine(16))).isEqualTo("line");
        ByteBuffer dst = ByteBuffer.allocate(16);
        Promise<Integer> n = conn.read(dst);
        assertThat(loop.runUntilComplete(n)).isEqualTo(4);
        assertThat(text(dst.flip())).isEqualTo("rest");
    }

    @Test
    void closeSendsEveryQueuedByteThenEndOfStream() throws Exception {
        TcpConnection conn = serverSide();
        int size = 8 * 1024 * 1024; // more than the socket buffers take at once
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i % 251);
        }
        Promise<Void> write = conn.write(ByteBuffer.wrap(data));
        assertThat(conn.queuedWriteBytes()).as("most of it is queued").isPositive();
        conn.close();
        assertThat(conn.isOpen()).isFalse();
        assertThat(conn.write(ByteBuffer.allocate(1)).failure()).isInstanceOf(ClosedChannelException.class);
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = peer.getInputStream()) {
                return in.readAllBytes(); // returns at the end of stream
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        loop.runUntilComplete(conn.closed());
        assertThat(write.isSucceeded()).isTrue();
        assertThat(received.get()).isEqualTo(data);
    }

    @Test
    void abortDropsQueuedWritesAndClosesAtOnce() throws Exception {
        TcpConnection conn = serverSide();
        Promise<Void> write = conn.write(ByteBuffer.allocate(8 * 1024 * 1024));
        Promise<Void> closed = conn.closed();
        conn.abort();
        assertThat(closed.isDone()).isTrue();
        assertThat(write.failure()).isInstanceOf(ClosedChannelException.class);
        assertThat(conn.queuedWriteBytes()).isZero();
    }

    @Test
    void aServersGracefulCloseFlushesConnectionsAndAbortsWhatIsLeftAtTheDeadline() throws Exception {
        TcpConnection first = serverSide();
        try (Socket second = new Socket(
                InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
            assertThat(second.isConnected()).isTrue();
            loop.runUntilComplete(loop.spawnAsync("accept second", a -> {
                        while (accepted.size() < 2) {
                            a.sleep(Duration.ofMillis(1));
                        }
                        return null;
                    })
                    .promise());
            first.write(ByteBuffer.wrap("bye\n".getBytes(StandardCharsets.US_ASCII)));
            Promise<Void> stuck = accepted.get(1).write(ByteBuffer.allocate(16 * 1024 * 1024)); // never read
            assertThat(server.openConnections()).isEqualTo(2);
            Promise<Void> closing = server.closeGracefully(Duration.ofMillis(300));
            loop.runUntilComplete(closing);
            assertThat(server.openConnections()).isZero();
            assertThat(stuck.failure()).as("aborted at the deadline").isInstanceOf(ClosedChannelException.class);
            assertThat(new String(peer.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("bye\n");
        }
    }
}
