package dev.yieldloop.docs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopSnapshot;
import dev.yieldloop.Promise;
import dev.yieldloop.Task;
import dev.yieldloop.net.StreamLimitException;
import dev.yieldloop.net.TcpConnection;
import dev.yieldloop.net.TcpServer;
import dev.yieldloop.testing.DocRegions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compiles and runs every code block of {@code docs/embedding.md} against real sockets on 127.0.0.1, and checks that the
 * page quotes them verbatim.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmbeddingGuideTest {

    // --8<-- [start:echo]
    public final class EchoServer {
        public static void main(String[] args) throws IOException {
            int port = args.length > 0 ? Integer.parseInt(args[0]) : 7007;
            EventLoop loop = new EventLoop();
            serve(loop, new InetSocketAddress("127.0.0.1", port));
            loop.run(); // until loop.stop()
        }

        static TcpServer serve(EventLoop loop, InetSocketAddress address) throws IOException {
            return TcpServer.listen(
                    loop,
                    address,
                    128,
                    conn -> loop.spawnAsync("echo " + conn.description(), a -> {
                        try (conn) { // closed however the body ends
                            ByteBuffer buf = ByteBuffer.allocate(4096);
                            while (a.await(conn.read(buf.clear())) >= 0) { // -1 at the end of stream
                                a.await(conn.write(buf.flip()));
                            }
                            return null;
                        }
                    }));
        }
    }
    // --8<-- [end:echo]

    // --8<-- [start:kv]
    public final class KeyValueServer {
        public static void main(String[] args) throws IOException {
            EventLoop loop = new EventLoop();
            serve(loop, new InetSocketAddress("127.0.0.1", 7008));
            loop.run();
        }

        static TcpServer serve(EventLoop loop, InetSocketAddress address) throws IOException {
            Map<String, String> store = new HashMap<>(); // one thread touches it: no lock needed
            return TcpServer.listen(
                    loop,
                    address,
                    128,
                    conn -> loop.spawnAsync("kv " + conn.description(), a -> {
                        try (conn) {
                            while (true) {
                                String line;
                                try {
                                    line = a.await(conn.readLine(1024));
                                } catch (StreamLimitException tooLong) {
                                    a.await(conn.write(ascii("ERROR line too long\n")));
                                    return null;
                                }
                                if (line == null) {
                                    return null; // the client hung up
                                }
                                String[] word = line.split(" ", 3);
                                String reply = switch (word[0]) {
                                    case "GET" ->
                                        word.length == 2 && store.containsKey(word[1])
                                                ? "VALUE " + store.get(word[1])
                                                : "NOT_FOUND";
                                    case "SET" -> {
                                        if (word.length < 3) {
                                            yield "ERROR usage: SET key value";
                                        }
                                        store.put(word[1], word[2]);
                                        yield "OK";
                                    }
                                    case "DEL" ->
                                        word.length == 2 && store.remove(word[1]) != null ? "DELETED" : "NOT_FOUND";
                                    case "QUIT" -> "BYE";
                                    default -> "ERROR unknown command " + word[0];
                                };
                                a.await(conn.write(ascii(reply + "\n")));
                                if (reply.equals("BYE")) {
                                    return null; // close() still sends the queued BYE, then closes
                                }
                            }
                        }
                    }));
        }

        static ByteBuffer ascii(String s) {
            return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
    // --8<-- [end:kv]

    // --8<-- [start:client]
    static Task<String> get(EventLoop loop, InetSocketAddress server, String key) {
        return loop.spawnAsync("get " + key, a -> {
            Duration deadline = Duration.ofSeconds(2);
            try (TcpConnection conn =
                    a.await(TcpConnection.connect(loop, server).orTimeout(deadline))) {
                a.await(conn.write(KeyValueServer.ascii("GET " + key + "\n")));
                return a.await(conn.readLine(1024).orTimeout(deadline)); // TimeoutException if it never answers
            }
        });
    }
    // --8<-- [end:client]

    // --8<-- [start:shutdown]
    static void runUntilCtrlC(EventLoop loop, TcpServer server) throws InterruptedException {
        Thread loopThread = loop.startThread(); // the loop runs there from now on
        Thread hook = new Thread(() -> stopGracefully(loop, server, loopThread), "shutdown");
        Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C (SIGINT) and kill (SIGTERM) run it
        loopThread.join();
    }

    static void stopGracefully(EventLoop loop, TcpServer server, Thread loopThread) {
        try {
            loop.submit(() -> server.closeGracefully(Duration.ofSeconds(5))) // stop accepting, flush, close
                    .thenCompose(Promise::toCompletableFuture)
                    .get(6, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("graceful close incomplete: " + e);
        }
        loop.stop();
        try {
            loopThread.join(); // run() has returned: this thread may close the loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.close();
    }
    // --8<-- [end:shutdown]

    @Test
    void theEchoServerEchoesOverARealSocket() throws Exception {
        EventLoop loop = new EventLoop();
        TcpServer server = EchoServer.serve(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread loopThread = loop.startThread();
        try (Socket client = new Socket(
                InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
            client.getOutputStream().write("hello, loop\n".getBytes(UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), UTF_8));
            assertThat(in.readLine()).isEqualTo("hello, loop");
            client.shutdownOutput();
            assertThat(in.readLine()).as("the server closes after our EOF").isNull();
        } finally {
            stopGracefully(loop, server, loopThread);
        }
        assertThat(loop.isClosed()).isTrue();
        assertThat(loopThread.isAlive()).isFalse();
    }

    @Test
    void theKeyValueServerSpeaksItsLineProtocol() throws Exception {
        EventLoop loop = new EventLoop();
        TcpServer server = KeyValueServer.serve(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread loopThread = loop.startThread();
        try (Socket client = new Socket(
                InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
            OutputStream out = client.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), UTF_8));
            // pipelined: all requests in one write, the replies come back in order
            out.write("SET greeting hello world\r\nGET greeting\nDEL greeting\nGET greeting\nDEL greeting\nNOPE\nQUIT\n"
                    .getBytes(UTF_8));
            assertThat(List.of(
                            in.readLine(),
                            in.readLine(),
                            in.readLine(),
                            in.readLine(),
                            in.readLine(),
                            in.readLine(),
                            in.readLine()))
                    .containsExactly(
                            "OK",
                            "VALUE hello world",
                            "DELETED",
                            "NOT_FOUND",
                            "NOT_FOUND",
                            "ERROR unknown command NOPE",
                            "BYE");
            assertThat(in.readLine()).as("closed after BYE").isNull();
        }
        try (Socket client = new Socket(
                InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
            client.getOutputStream().write(("SET k " + "v".repeat(2000) + "\n").getBytes(UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), UTF_8));
            assertThat(in.readLine()).isEqualTo("ERROR line too long");
        } finally {
            stopGracefully(loop, server, loopThread);
        }
    }

    @Test
    void theClientGetsAValueTimesOutOnASilentServerAndCancelsCleanly() throws Exception {
        EventLoop loop = new EventLoop();
        try {
            TcpServer kv = KeyValueServer.serve(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            TcpServer silent =
                    TcpServer.listen(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, conn -> {});
            assertThat(loop.runUntilComplete(
                            get(loop, kv.localAddress(), "missing").promise()))
                    .isEqualTo("NOT_FOUND");
            Task<String> stuck = get(loop, silent.localAddress(), "anything");
            try {
                loop.runUntilComplete(stuck.promise());
                throw new AssertionError("a silent server must time out");
            } catch (TimeoutException expected) {
                assertThat(expected).hasMessageContaining("timed out after 2000 ms");
            }
            Task<String> cancelled = get(loop, silent.localAddress(), "anything");
            loop.scheduleAfter(50, TimeUnit.MILLISECONDS, cancelled::cancel);
            try {
                loop.runUntilComplete(cancelled.promise());
                throw new AssertionError("the task was cancelled");
            } catch (CancellationException expected) {
                assertThat(cancelled.promise().isCancelled()).isTrue();
            }
            kv.close();
            silent.close();
        } finally {
            loop.close();
        }
    }

    @Test
    void aThreadGetsAFutureThroughSubmitAndSeesWhatAStuckTaskWaitsFor() throws Exception {
        EventLoop loop = new EventLoop();
        TcpServer silent =
                TcpServer.listen(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, conn -> {});
        Thread loopThread = loop.startThread();
        try {
            // --8<-- [start:submit]
            // On any other thread: run code on the loop and wait for its result.
            CompletableFuture<Integer> answer = loop.submit(() -> 6 * 7);
            System.out.println(answer.get(1, TimeUnit.SECONDS)); // 42

            // A task's result as a CompletableFuture: start it on the loop, bridge its promise.
            CompletableFuture<String> value = loop.submit(
                            () -> get(loop, silent.localAddress(), "k").promise())
                    .thenCompose(Promise::toCompletableFuture);
            // --8<-- [end:submit]
            assertThat(answer.get()).isEqualTo(42);
            // --8<-- [start:stuck]
            LoopSnapshot snapshot = loop.snapshot(); // any thread; taken on the loop thread
            System.out.println(snapshot);
            // A real run printed:
            // loop "yieldloop" iteration 3: 0 running, 0 ready, 1 waiting, 1 timer, 0 in inbox, 3 channels
            //   WAITING  t1 "get k" on readable 127.0.0.1:45297
            // --8<-- [end:stuck]
            assertThat(snapshot.toString()).contains("\"get k\"");
            // the task may still be connecting on a slow machine: wait until it waits for the reply
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> loop.snapshot().toString().contains("\"get k\" on readable 127.0.0.1:"));
            assertThat(loop.snapshot().toString()).contains("WAITING", "\"get k\" on readable 127.0.0.1:");
            assertThat(value).isNotDone();
        } finally {
            stopGracefully(loop, silent, loopThread);
        }
    }

    @Test
    void thePageQuotesEveryBlockVerbatim() throws IOException {
        String page = Files.readString(Path.of("..", "docs", "embedding.md"));
        String source = Files.readString(Path.of("src/test/java/dev/yieldloop/docs/EmbeddingGuideTest.java"));
        for (String region : List.of("echo", "kv", "client", "shutdown", "submit", "stuck")) {
            assertThat(page)
                    .as("docs/embedding.md quotes region %s", region)
                    .contains(DocRegions.region(source, region));
        }
    }
}
