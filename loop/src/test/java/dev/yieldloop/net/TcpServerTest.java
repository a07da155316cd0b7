package dev.yieldloop.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.EventLoop;
import dev.yieldloop.testing.CapturedLog;
import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listener at the file-descriptor limit: a failed accept pauses accepting, then accepting resumes. */
class TcpServerTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    /** Runs non-blocking iterations until {@code done} holds, at most 20 s of real time. */
    private static void runNowUntil(EventLoop loop, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline)
                    .as("timed out: %s", loop.snapshot())
                    .isNegative();
            loop.runNow();
            Thread.sleep(1);
        }
    }

    @Test
    void aFailedAcceptPausesAcceptingForTheBackoffThenRetries() throws Exception {
        EventLoop loop = loops.newLoop(clock);
        List<TcpConnection> accepted = new ArrayList<>();
        TcpServer server = TcpServer.listen(loop, ANY_LOOPBACK, 16, accepted::add);
        FailingAccepts listener = FailingAccepts.install(server, 1);
        try (CapturedLog log = CapturedLog.of(Server.class);
                SocketChannel client = SocketChannel.open(server.localAddress())) {
            // the connection is in the backlog: the listener is ready, and the first accept fails like EMFILE
            assertThat(client.isConnected()).isTrue();
            runNowUntil(loop, () -> listener.calls() == 1);
            assertThat(server.acceptFailures()).isEqualTo(1);
            assertThat(log.warnings()).singleElement().asString().contains("pausing accept 100 ms");

            // paused: OP_ACCEPT is off, so the loop neither calls accept again nor spins on the ready listener
            for (int i = 0; i < 100; i++) {
                loop.runNow();
            }
            clock.advance(Duration.ofMillis(TcpServer.ACCEPT_BACKOFF_MILLIS - 1));
            for (int i = 0; i < 100; i++) {
                loop.runNow();
            }
            assertThat(listener.calls()).as("accept calls while paused").isEqualTo(1);
            assertThat(accepted).isEmpty();

            // the backoff ends on the loop's clock: accepting resumes and the waiting connection is accepted
            clock.advance(Duration.ofMillis(1));
            runNowUntil(loop, () -> accepted.size() == 1);
            assertThat(server.acceptFailures()).as("failures so far").isEqualTo(1);
            assertThat(log.warnings()).hasSize(1);
            accepted.get(0).close();
        }
        server.close();
    }
}
