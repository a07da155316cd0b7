package dev.yieldloop.demo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's deadlines against clients that stop: the write timeout aborts clients that pipeline requests and never
 * read, while a normal client is served throughout; the idle timeout is per read, so a slow upload that keeps sending
 * is answered, and the header deadline covers the head only.
 */
class ServerDeadlinesTest {

    private static final Duration WRITE_TIMEOUT = Duration.ofMillis(2_000);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(2_000);
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(1_000);

    private EventLoop loop;
    private Thread loopThread;
    private SlowSiteServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        loop = new EventLoop(LoopOptions.defaults().withName("deadlines-test"));
        loopThread = loop.startThread();
        server = onLoop(() -> SlowSiteServer.start(
                loop,
                new InetSocketAddress("127.0.0.1", 0),
                SlowSiteServer.Options.defaults()
                        .withDelayAndBody(0, 10 * 1024)
                        .withHeaderTimeout(HEADER_TIMEOUT)
                        .withIdleTimeout(IDLE_TIMEOUT)
                        .withWriteTimeout(WRITE_TIMEOUT)));
        port = onLoop(() -> server.localAddress().getPort());
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> {
            server.close();
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(server::openConnections) == 0);
        loop.stop();
        loopThread.join(5_000);
        loop.close();
    }

    private <T> T onLoop(Callable<T> call) throws Exception {
        return loop.submit(call).get();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void clientsThatPipelineAndNeverReadAreAbortedAtTheWriteTimeoutWhileANormalClientIsServed() throws Exception {
        byte[] oneRequest = "GET /p HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer pipeline = ByteBuffer.allocate(oneRequest.length * 10_000);
        for (int i = 0; i < 10_000; i++) {
            pipeline.put(oneRequest);
        }
        pipeline.flip();
        List<SocketChannel> flooders = new ArrayList<>();
        AtomicInteger normalServed = new AtomicInteger();
        AtomicReference<Throwable> normalFailure = new AtomicReference<>();
        Thread normal = new Thread(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5_000);
                while (!Thread.currentThread().isInterrupted()) {
                    s.getOutputStream().write(oneRequest);
                    String head = readHead(s.getInputStream());
                    assertThat(head).startsWith("HTTP/1.1 200 OK");
                    s.getInputStream().readNBytes(10 * 1024);
                    normalServed.incrementAndGet();
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                // the test is over
            } catch (Throwable t) {
                normalFailure.set(t);
            }
        });
        try {
            normal.start();
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                ch.configureBlocking(false);
                flooders.add(ch);
            }
            List<ByteBuffer> left = new ArrayList<>();
            long[] lastProgress = new long[flooders.size()];
            long[] abortedAfter = new long[flooders.size()];
            for (int i = 0; i < flooders.size(); i++) {
                left.add(pipeline.duplicate());
                lastProgress[i] = System.nanoTime();
                abortedAfter[i] = -1;
            }
            // Send each pipeline as far as the server reads it. When the server's writes stall it stops reading, so a
            // client's last send progress marks the stall; the abort shows as a reset on the client's next write.
            long deadline = start + 60_000_000_000L;
            while (onLoop(server::writeTimeouts) < 50 && System.nanoTime() - deadline < 0) {
                for (int i = 0; i < flooders.size(); i++) {
                    SocketChannel ch = flooders.get(i);
                    if (!ch.isOpen() || !left.get(i).hasRemaining()) {
                        continue;
                    }
                    try {
                        if (ch.write(left.get(i)) > 0) {
                            lastProgress[i] = System.nanoTime();
                        }
                    } catch (IOException reset) {
                        abortedAfter[i] = (System.nanoTime() - lastProgress[i]) / 1_000_000;
                        ch.close();
                    }
                }
                Thread.sleep(20);
            }
            assertThat(onLoop(server::writeTimeouts))
                    .as("every never-reading client aborted")
                    .isEqualTo(50);
            for (int i = 0; i < flooders.size(); i++) {
                if (abortedAfter[i] >= 0) { // a client whose pipeline went out in full never sees the reset
                    assertThat(abortedAfter[i])
                            .as("client %d aborted within write timeout + 2 s of its last progress", i)
                            .isLessThanOrEqualTo(WRITE_TIMEOUT.toMillis() + 2_000);
                }
            }
            // Each abort carries how long its writes had stalled when the loop aborted it: the write timeout plus the
            // lateness of a loop that is saturated producing responses for 50 flooders. That is the deadline as the
            // server kept it, for every flooder, including those whose pipeline went out in full.
            assertThat(Duration.ofNanos(onLoop(server::longestWriteStallNanos)))
                    .as("every flooder aborted within write timeout + 2 s of its last write progress")
                    .isGreaterThanOrEqualTo(WRITE_TIMEOUT)
                    .isLessThanOrEqualTo(WRITE_TIMEOUT.plusSeconds(2));
            assertThat(normalFailure.get()).as("the normal client").isNull();
            assertThat(normalServed.get())
                    .as("the normal client was served throughout")
                    .isPositive();
            await().atMost(Duration.ofSeconds(5)).until(() -> onLoop(server::openConnections) <= 1);
            int servedBefore = normalServed.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> normalServed.get() > servedBefore);
        } finally {
            normal.interrupt();
            normal.join(10_000);
            for (SocketChannel ch : flooders) {
                ch.close();
            }
        }
        assertThat(normalFailure.get()).isNull();
    }

    @Test
    void aSlowUploadThatKeepsSendingIsAnsweredThoughItOutlastsTheHeaderDeadline() throws Exception {
        int bodyBytes = 5 * 1024 * 1024;
        int bytesPerSecond = 256 * 1024;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            long start = System.nanoTime();
            long nanosPerChunk = 1_000_000_000L * chunk.length / bytesPerSecond;
            for (int sent = 0, i = 0; sent < bodyBytes; sent += chunk.length, i++) {
                long due = start + i * nanosPerChunk;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                out.write(chunk, 0, Math.min(chunk.length, bodyBytes - sent));
            }
            out.flush();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMillis)
                    .as("the body outlasted the header deadline")
                    .isGreaterThan(HEADER_TIMEOUT.toMillis());
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aClientThatStopsMidBodyOrStaysIdleIsClosedAtTheIdleTimeout() throws Exception {
        try (Socket idle = new Socket("127.0.0.1", port);
                Socket stalled = new Socket("127.0.0.1", port)) {
            idle.setSoTimeout(10_000);
            stalled.setSoTimeout(10_000);
            stalled.getOutputStream()
                    .write("POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"
                            .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertThat(closedByServer(idle.getInputStream())).isTrue();
            assertThat(closedByServer(stalled.getInputStream())).isTrue();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMillis).isGreaterThanOrEqualTo(IDLE_TIMEOUT.toMillis() - 100);
            await().atMost(Duration.ofSeconds(5)).until(() -> onLoop(server::idleTimeouts) == 2);
        }
    }

    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }
}
