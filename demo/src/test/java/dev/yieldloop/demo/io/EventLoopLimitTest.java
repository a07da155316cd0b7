package dev.yieldloop.demo.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.demo.strategy.EventLoopStrategy;
import dev.yieldloop.demo.strategy.StrategySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code io --limit K}: the event-loop strategy holds at most K downloads in flight through a {@code Semaphore}, and
 * does reach K. A counting server (one thread per connection) sees every connection, and each download has one; it
 * holds its answers until the limit is reached, so no timing is involved.
 */
@Timeout(30)
class EventLoopLimitTest {

    private static final byte[] RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private static final int LIMIT = 3;

    @Test
    void aLimitOfThreeKeepsAtMostThreeDownloadsInFlightAndReachesThree() throws Exception {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        int downloads = 12;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> serve(listener, downloads, open, maxOpen), "counting-server");
            acceptor.setDaemon(true);
            acceptor.start();
            List<HttpUrl> urls = new ArrayList<>();
            for (int i = 0; i < downloads; i++) {
                urls.add(HttpUrl.parse("http://127.0.0.1:" + listener.getLocalPort() + "/" + i));
            }
            StringWriter snapshot = new StringWriter();
            DownloadLog log = new DownloadLog(downloads, Progress.silent());
            new EventLoopStrategy()
                    .run(
                            new Downloads(urls, Duration.ofSeconds(10), log),
                            new StrategySettings(1, 1, LIMIT, new PrintWriter(snapshot, true)));
            assertThat(log.firstError(urls)).isNull();
            assertThat(log.ok()).isEqualTo(downloads);
            assertThat(maxOpen.get()).isEqualTo(LIMIT);
            assertThat(snapshot.toString()).contains("on semaphore 'downloads in flight'");
        }
    }

    /**
     * Accepts {@code count} connections, each on its own thread, counting the open ones. A connection is answered only
     * once as many are open as the limit allows ({@code min(LIMIT, unanswered)}), so the client must reach its limit;
     * a client that ignored the limit would show more than {@code LIMIT} open at once. The wait for the others is
     * bounded, so a broken client fails the assertions instead of hanging the test.
     */
    private static void serve(ServerSocket listener, int count, AtomicInteger open, AtomicInteger maxOpen) {
        Object gate = new Object();
        int[] unanswered = {count};
        for (int i = 0; i < count; i++) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return;
            }
            synchronized (gate) {
                maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                gate.notifyAll();
            }
            Thread t = new Thread(() -> {
                try (s;
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream()) {
                    byte[] request = new byte[4096];
                    if (in.read(request) <= 0) { // the request line and headers arrive in one segment on loopback
                        return;
                    }
                    synchronized (gate) {
                        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        long left;
                        while (open.get() < Math.min(LIMIT, unanswered[0]) && (left = giveUp - System.nanoTime()) > 0) {
                            gate.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                        }
                        unanswered[0]--;
                        open.decrementAndGet(); // before the answer: the client may connect again at once
                    }
                    out.write(RESPONSE);
                } catch (IOException | InterruptedException e) {
                    // the test's assertions report what went missing
                }
            });
            t.setDaemon(true);
            t.start();
        }
    }
}
