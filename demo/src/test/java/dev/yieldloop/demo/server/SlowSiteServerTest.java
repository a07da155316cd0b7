package dev.yieldloop.demo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The slow-site server end to end over real sockets: keep-alive, framing, rejections with 4xx then close (malformed
 * requests, huge request lines and headers), the header deadline against slow senders (slowloris, scaled down), and
 * that one connection's bad input never disturbs another.
 */
class SlowSiteServerTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(800);

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private EventLoop loop;
    private Thread loopThread;
    private SlowSiteServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        loop = loops.newLoop(LoopOptions.defaults().withName("slow-site-test"));
        loopThread = loop.startThread();
        server = onLoop(() -> SlowSiteServer.start(
                loop,
                new InetSocketAddress("127.0.0.1", 0),
                SlowSiteServer.Options.defaults().withDelayAndBody(20, 3000).withHeaderTimeout(HEADER_TIMEOUT)));
        port = onLoop(() -> server.localAddress().getPort());
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> {
            server.close();
            return null;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> onLoop(server::openConnections) == 0);
        loop.stop();
        loopThread.join(10_000);
        // LoopLeakCheck then proves no task, timer or channel is left
    }

    private <T> T onLoop(Callable<T> call) throws Exception {
        return loop.submit(call).get(20, TimeUnit.SECONDS);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one response: head up to the blank line, then Content-Length bytes of body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int cl = text.toLowerCase().indexOf("content-length: ");
        if (cl >= 0) {
            int end = text.indexOf("\r\n", cl);
            int length = Integer.parseInt(text.substring(cl + 16, end));
            text += new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }
        return text;
    }

    private static boolean closedByPeer(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void keepAliveConnectionServesManyRequestsWithTheBodyOfEachPath() throws Exception {
        try (Socket s = connect()) {
            for (int i = 0; i < 3; i++) {
                send(s, "GET /page/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                String response = readResponse(s.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 3000\r\n");
                String body = response.substring(response.indexOf("\r\n\r\n") + 4);
                assertThat(body.getBytes(StandardCharsets.ISO_8859_1))
                        .isEqualTo(SlowSiteServer.body("/page/" + i, 3000));
            }
        }
        await().until(() -> onLoop(server::requestsServed) == 3);
    }

    @Test
    void http10KeepAliveRequestGetsTheHeaderBackAndAKeptConnection() throws Exception {
        try (Socket s = connect()) {
            for (int i = 0; i < 2; i++) {
                send(s, "GET /old/" + i + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                String response = readResponse(s.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: keep-alive\r\n");
            }
            send(s, "GET /old/last HTTP/1.0\r\n\r\n");
            assertThat(readResponse(s.getInputStream()))
                    .contains("\r\nConnection: close\r\n")
                    .doesNotContain("keep-alive");
            assertThat(closedByPeer(s.getInputStream())).isTrue();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            String first = readResponse(s.getInputStream());
            String second = readResponse(s.getInputStream());
            assertThat(first.substring(first.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1))
                    .isEqualTo(SlowSiteServer.body("/a", 3000));
            assertThat(second.substring(second.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1))
                    .isEqualTo(SlowSiteServer.body("/b", 3000));
        }
    }

    @Test
    void chunkedAndCloseDelimitedEncodingsFrameTheSameBody() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /x?encoding=chunked HTTP/1.1\r\nHost: x\r\n\r\n");
            StringBuilder sb = new StringBuilder();
            InputStream in = s.getInputStream();
            while (!sb.toString().endsWith("\r\n0\r\n\r\n")) {
                int b = in.read();
                assertThat(b).as("EOF before the last chunk").isNotNegative();
                sb.append((char) b);
            }
            String text = sb.toString();
            assertThat(text)
                    .contains("Transfer-Encoding: chunked\r\n")
                    .contains("\r\nbb8\r\n")
                    .endsWith("0\r\n\r\n");
        }
        try (Socket s = connect()) {
            send(s, "GET /x?encoding=close HTTP/1.1\r\nHost: x\r\n\r\n");
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(text).contains("Connection: close\r\n").doesNotContain("Content-Length");
            assertThat(text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1))
                    .isEqualTo(SlowSiteServer.body("/x", 3000));
        }
    }

    @Test
    void malformedRequestsGet4xxThenCloseWhileAnotherConnectionIsServed() throws Exception {
        String[] bad = {
            "GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX: \u0001\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n",
            "\r\n".repeat(1024) + "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        };
        try (Socket good = connect()) {
            for (String request : bad) {
                try (Socket s = connect()) {
                    send(s, request);
                    String response = readResponse(s.getInputStream());
                    assertThat(response).as(request).startsWith("HTTP/1.1 400 ").contains("Connection: close");
                    assertThat(closedByPeer(s.getInputStream())).isTrue();
                }
                send(good, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readResponse(good.getInputStream())).startsWith("HTTP/1.1 200 OK");
            }
        }
        assertThat(onLoop(server::requestsRejected)).isEqualTo(bad.length);
        await().until(() -> onLoop(server::openConnections) == 0);
    }

    @Test
    void hugeRequestLineGets414AndThousandHeadersGet431() throws Exception {
        try (Socket s = connect()) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write("GET /".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 160; i++) { // 10 MiB
                        out.write(chunk);
                    }
                } catch (IOException expected) {
                    // the server closed after answering 414
                }
            });
            writer.start();
            assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 414 ");
            writer.join(10_000);
        }
        try (Socket s = connect()) {
            StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 1000; i++) {
                sb.append("X-").append(i).append(": v\r\n");
            }
            send(s, sb.append("\r\n").toString());
            assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 431 ");
        }
        try (Socket s = connect()) {
            send(s, "GET / HTTP/1.1\r\n" + "N".repeat(65 * 1024) + ": v\r\n\r\n");
            assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 431 ");
        }
    }

    @Test
    void slowSendersAreClosedAtTheHeaderDeadlineWhileANormalClientIsServed() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = connect();
                send(s, "GET /slow HTTP/1.1\r\n");
                slow.add(s);
            }
            long start = System.nanoTime();
            // keep trickling a byte every 200 ms: the deadline counts from the request's first byte, not the last
            Thread trickle = new Thread(() -> {
                try {
                    for (int round = 0; round < 10; round++) {
                        Thread.sleep(200);
                        for (Socket s : slow) {
                            try {
                                send(s, "X");
                            } catch (IOException closed) {
                                // closed by the deadline: expected
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            trickle.start();
            try (Socket good = connect()) {
                send(good, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readResponse(good.getInputStream())).startsWith("HTTP/1.1 200 OK");
            }
            for (Socket s : slow) {
                assertThat(closedByPeer(s.getInputStream())).isTrue();
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsedMillis).isBetween(HEADER_TIMEOUT.toMillis() - 100, HEADER_TIMEOUT.toMillis() + 1_500);
            trickle.join(5_000);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void peerThatResetsMidResponseDoesNotDisturbTheServer() throws Exception {
        for (int i = 0; i < 10; i++) {
            Socket s = connect();
            send(s, "GET /reset HTTP/1.1\r\nHost: x\r\n\r\n");
            s.setSoLinger(true, 0);
            s.close(); // RST while the server is still delaying its response
        }
        try (Socket good = connect()) {
            send(good, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readResponse(good.getInputStream())).startsWith("HTTP/1.1 200 OK");
        }
        await().until(() -> onLoop(server::openConnections) == 0);
    }
}
