package dev.yieldloop.net;

import static dev.yieldloop.net.LoopDriving.runUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connect that never completes times out at its deadline and a cancelled connect closes its
 * channel, with the file-descriptor count back to its baseline. The hang is made on loopback alone: a listener with
 * backlog 1 that never accepts leaves the third and later connects without an answer.
 */
class ConnectTimeoutTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Fills the accept queue of a listener that never accepts, so the next connect hangs. */
    private static List<Socket> fillBacklog(ServerSocket listener) {
        List<Socket> fillers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            try {
                Socket s = new Socket();
                s.connect(listener.getLocalSocketAddress(), 200);
                fillers.add(s);
            } catch (IOException e) {
                break; // the queue is full: this connect timed out
            }
        }
        return fillers;
    }

    @Test
    void aConnectThatHangsTimesOutAtItsDeadlineAndCancellingOneClosesItsChannel() throws Exception {
        EventLoop loop = loops.newLoop();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = fillBacklog(listener);
            try {
                long baseline = openFds();
                InetSocketAddress target = (InetSocketAddress) listener.getLocalSocketAddress();

                long start = System.nanoTime();
                Promise<TcpConnection> timed =
                        TcpConnection.connect(loop, target).orTimeout(Duration.ofMillis(500));
                runUntil(loop, timed::isDone);
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(timed.failure()).isInstanceOf(TimeoutException.class);
                // never early; late only by scheduling (wide, for a busy machine), far below the minutes a SYN to a
                // full backlog is retried before the kernel gives up
                assertThat(elapsedMillis).isBetween(500L - 5, 500L + 5_000);

                Promise<TcpConnection> cancelled = TcpConnection.connect(loop, target);
                loop.runNow();
                assertThat(cancelled.isDone()).as("still connecting").isFalse();
                assertThat(cancelled.cancel()).isTrue();
                loop.runNow();
                assertThat(loop.snapshot().channels())
                        .as("no half-open channel left")
                        .isZero();
                // The JVM opens and closes files of its own (class loading, JIT logs) at any time, so an in-process
                // count can read one above the baseline for a moment: wait for it to settle rather than read it once.
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(50))
                        .untilAsserted(() ->
                                assertThat(openFds()).as("fds back to baseline").isLessThanOrEqualTo(baseline));
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }
}
