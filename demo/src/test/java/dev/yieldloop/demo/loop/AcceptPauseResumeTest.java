package dev.yieldloop.demo.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.net.TcpConnection;
import dev.yieldloop.net.TcpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * A server at its connection limit pauses accepting: with room for 10 connections and 20 clients, exactly 10 are
 * accepted while paused, the idle loop costs almost no CPU (no spin on a ready listener), and the others are accepted
 * within 1 s of slots freeing. (In the demo module because loop CPU is read through {@link ThreadMXBean}.)
 */
class AcceptPauseResumeTest {

    private static final int MAX_CONNECTIONS = 10;

    @Test
    void acceptPauseResume() throws Exception {
        EventLoop loop = new EventLoop(LoopOptions.defaults().withName("pause-resume"));
        Thread loopThread = loop.startThread();
        List<TcpConnection> open = new ArrayList<>();
        int[] accepted = new int[1];
        List<Socket> clients = new ArrayList<>();
        try {
            TcpServer[] server = new TcpServer[1];
            server[0] = onLoop(
                    loop,
                    () -> TcpServer.listen(loop, new InetSocketAddress("127.0.0.1", 0), 64, conn -> {
                        accepted[0]++;
                        open.add(conn);
                        if (open.size() >= MAX_CONNECTIONS) {
                            server[0].pauseAccepting();
                        }
                    }));
            int port = onLoop(loop, () -> server[0].localAddress().getPort());
            for (int i = 0; i < 20; i++) {
                clients.add(new Socket(
                        "127.0.0.1", port)); // the kernel completes the handshake; the rest wait in the backlog
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(loop, () -> accepted[0]) == MAX_CONNECTIONS);

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getThreadCpuTime(loopThread.getId());
            long wallBefore = System.nanoTime();
            Thread.sleep(2_000);
            long cpu = threads.getThreadCpuTime(loopThread.getId()) - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            assertThat(onLoop(loop, () -> accepted[0]))
                    .as("exactly 10 accepted while paused")
                    .isEqualTo(10);
            assertThat(onLoop(loop, () -> server[0].isAcceptingPaused())).isTrue();
            assertThat(cpu * 100 / wall)
                    .as("loop CPU %% while paused with clients waiting")
                    .isLessThan(5);

            long freed = System.nanoTime();
            onLoop(loop, () -> {
                for (TcpConnection c : open) {
                    c.close();
                }
                open.clear();
                server[0].resumeAccepting();
                return null;
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> onLoop(loop, () -> accepted[0]) == 20);
            long tookMillis = (System.nanoTime() - freed) / 1_000_000;
            assertThat(tookMillis)
                    .as("the waiting clients accepted after slots freed")
                    .isLessThan(1_000);
            onLoop(loop, () -> {
                for (TcpConnection c : open) {
                    c.close();
                }
                server[0].close();
                return null;
            });
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            loop.stop();
            loopThread.join(5_000);
            loop.close();
        }
    }

    private static <T> T onLoop(EventLoop loop, Callable<T> call) throws Exception {
        return loop.submit(call).get();
    }
}
