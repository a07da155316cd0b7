package dev.yieldloop.demo.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.demo.DemoChild;
import dev.yieldloop.net.TcpConnection;
import dev.yieldloop.net.TcpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10,000 idle connections from a child JVM ({@link IdleClients}), each echoing one byte, then left idle until the
 * server's per-read idle timeout closes them: all are accepted and echoed, the idle loop costs under 2 % CPU, the heap
 * per connection is reported, all close within the timeout + 1 s, and the descriptor count returns to its baseline.
 *
 * <p>Opt-in (tag {@code slow}, excluded by default): {@code mvn -B -pl demo -am test -Dtest=TenThousandIdleConnectionsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dyieldloop.excludedGroups=none}.
 */
@Tag("slow")
class TenThousandIdleConnectionsTest {

    private static final int CONNECTIONS = 10_000;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    private final int[] open = new int[1];
    private final int[] echoed = new int[1];
    private final long[] lastEchoNanos = new long[1];
    private final long[] allClosedNanos = new long[1];
    private final long[] firstEchoNanos = new long[1];
    private final long[] firstCloseNanos = new long[1];
    private final long[] maxIdleBeforeCloseNanos = new long[1];

    private void serve(TcpConnection c) {
        ByteBuffer b = ByteBuffer.allocate(1);
        long idleSince = System.nanoTime();
        Promise<Integer> read = c.read(b);
        read.onComplete(p -> {
            if (!p.isSucceeded() || p.result() < 0) { // end of stream, or the idle timeout
                c.close();
                maxIdleBeforeCloseNanos[0] = Math.max(maxIdleBeforeCloseNanos[0], System.nanoTime() - idleSince);
                if (firstCloseNanos[0] == 0) {
                    firstCloseNanos[0] = System.nanoTime();
                }
                if (--open[0] == 0) {
                    allClosedNanos[0] = System.nanoTime();
                }
                return;
            }
            b.flip();
            c.write(b).onComplete(w -> {
                if (echoed[0]++ == 0) {
                    firstEchoNanos[0] = System.nanoTime();
                }
                lastEchoNanos[0] = System.nanoTime();
                serve(c);
            });
        });
    }

    /**
     * This process's descriptors that are TCP sockets: what the test opens. The JVM opens other files and Unix
     * sockets of its own at any time, so a count of every descriptor would not measure the test.
     */
    private static long openTcpSockets() throws IOException {
        java.util.Set<String> tcpInodes = new java.util.HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9) {
                    tcpInodes.add(f[9]);
                }
            }
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                        try {
                            String target = Files.readSymbolicLink(p).toString();
                            return target.startsWith("socket:[")
                                    && tcpInodes.contains(target.substring(8, target.length() - 1));
                        } catch (IOException e) {
                            return false; // closed while listing
                        }
                    })
                    .count();
        }
    }

    private static List<String> fdList() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> {
                        try {
                            String target = Files.readSymbolicLink(p).toString();
                            if (target.startsWith("socket:[")) {
                                String inode = target.substring(8, target.length() - 1);
                                for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                                    for (String line : Files.readAllLines(Path.of(table))) {
                                        String[] f = line.trim().split("\\s+");
                                        if (f.length > 9 && f[9].equals(inode)) {
                                            target += " " + f[1] + "->" + f[2] + " state " + f[3];
                                        }
                                    }
                                }
                            }
                            return p.getFileName() + "->" + target;
                        } catch (IOException e) {
                            return p.getFileName() + "->?";
                        }
                    })
                    .toList();
        }
    }

    private static <T> T onLoop(EventLoop loop, Callable<T> call) throws Exception {
        return loop.submit(call).get();
    }

    @Test
    void tenThousandIdleConnections() throws Exception {
        EventLoop loop = new EventLoop(LoopOptions.defaults().withName("c10k"));
        Thread loopThread = loop.startThread();
        // The management beans used below open files of their own once: use them before taking the baseline.
        ManagementFactory.getThreadMXBean().getThreadCpuTime(loopThread.getId());
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long baseline = openTcpSockets();
        Process clients = null;
        try {
            TcpServer server = onLoop(
                    loop,
                    () -> TcpServer.listen(loop, new InetSocketAddress("127.0.0.1", 0), 4096, c -> {
                        open[0]++;
                        c.setReadTimeout(IDLE_TIMEOUT);
                        serve(c);
                    }));
            int port = onLoop(loop, () -> server.localAddress().getPort());
            System.gc();
            long heapBefore =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

            clients = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            location(IdleClients.class),
                            IdleClients.class.getName(),
                            Integer.toString(port),
                            Integer.toString(CONNECTIONS),
                            Long.toString(IDLE_TIMEOUT.toSeconds() + 30))
                    .redirectErrorStream(true)
                    .start();
            List<String> lines = new CopyOnWriteArrayList<>();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> {
                try {
                    for (String l; (l = out.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            });
            reader.setDaemon(true);
            reader.start();

            await().atMost(Duration.ofSeconds(120)).until(() -> lines.stream().anyMatch(l -> l.startsWith("echoed ")));
            assertThat(lines).contains("echoed " + CONNECTIONS);
            assertThat(onLoop(loop, () -> echoed[0])).isEqualTo(CONNECTIONS);
            assertThat(onLoop(loop, () -> open[0])).as("all accepted and open").isEqualTo(CONNECTIONS);
            System.gc();
            long heapPerConnection =
                    (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - heapBefore) / CONNECTIONS;
            System.out.println("10k idle connections: heap per connection about " + heapPerConnection + " bytes");

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getThreadCpuTime(loopThread.getId());
            long wallBefore = System.nanoTime();
            Thread.sleep(5_000);
            long cpuPercentX100 = (threads.getThreadCpuTime(loopThread.getId()) - cpuBefore)
                    * 10_000
                    / (System.nanoTime() - wallBefore);
            System.out.println("10k idle connections: loop CPU over 5 s idle " + cpuPercentX100 / 100.0 + " %");
            assertThat(cpuPercentX100)
                    .as("loop CPU (%% x 100) while 10k connections idle")
                    .isLessThan(200);

            long lastEcho = onLoop(loop, () -> lastEchoNanos[0]);
            await().atMost(IDLE_TIMEOUT.plusSeconds(30)).until(() -> onLoop(loop, () -> open[0]) == 0);
            long closedAfterMillis = (onLoop(loop, () -> allClosedNanos[0]) - lastEcho) / 1_000_000;
            long worstIdleMillis = onLoop(loop, () -> maxIdleBeforeCloseNanos[0]) / 1_000_000;
            System.out.printf(
                    "10k idle connections: echoes over %d ms; first close %d ms after the first echo, last close %d ms"
                            + " after the last echo; longest idle before its close %d ms%n",
                    (lastEcho - firstEchoNanos[0]) / 1_000_000,
                    (firstCloseNanos[0] - firstEchoNanos[0]) / 1_000_000,
                    closedAfterMillis,
                    worstIdleMillis);
            // Closing 10k connections whose deadlines fall within 3 s of each other is a burst of work. Measured on the
            // shared 2-core machine at load 3: the last one closed 0.26 s late (before the slow-step watchdog lost its
            // clock reads, under heavier load, up to 1.4 s). This opt-in test keeps the 1 s bound.
            assertThat(worstIdleMillis)
                    .as("each connection closed within the idle timeout + 1 s of its last byte")
                    .isLessThanOrEqualTo(IDLE_TIMEOUT.toMillis() + 1_000);
            assertThat(clients.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(lines).contains("closed " + CONNECTIONS);
            reader.join(5_000);
            clients.getInputStream().close(); // the child's pipes are this JVM's descriptors too
            clients.getOutputStream().close();
            onLoop(loop, () -> {
                server.close();
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                onLoop(loop, () -> null); // an iteration, so closed channels release their descriptors
                assertThat(openTcpSockets())
                        .as("TCP socket descriptors back to baseline: %s", fdList())
                        .isLessThanOrEqualTo(baseline);
            });
        } finally {
            if (clients != null) {
                clients.destroyForcibly();
            }
            loop.stop();
            loopThread.join(5_000);
            loop.close();
        }
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString()
                + File.pathSeparator
                + DemoChild.classPath();
    }
}
