package dev.yieldloop.demo.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.DemoChild;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code server} command in a child JVM under a low {@code ulimit -n}, flooded with more clients than it has file
 * descriptors: accept fails with EMFILE. The server must stay alive, back off instead of spinning, log the episode
 * once, keep serving the connections it has, and serve the clients waiting in the backlog once descriptors free up.
 * "Loop CPU" is measured as the whole child process's CPU time, an upper bound.
 */
class DescriptorExhaustionTest {

    private static final String REQUEST = "GET /page HTTP/1.1\r\nHost: x\r\n\r\n";

    private static Socket client(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static boolean answered(Socket s) {
        try {
            return s.getInputStream().available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertServed(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] head = new byte[15];
        int n = in.readNBytes(head, 0, head.length);
        assertThat(new String(head, 0, n, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a test client
            }
        }
    }

    /**
     * Floods a server under {@code ulimit -n limit} with {@code clients} requests, checks it idles while saturated,
     * frees descriptors (closing or half-closing the answered clients), then checks the backlog is served.
     */
    private static void flood(int limit, int clients, boolean halfClose, Duration cpuWindow, long maxCpuMillis)
            throws Exception {
        try (DemoChild server =
                DemoChild.start(limit, "server", "--port", "0", "--delay-ms", "0", "--body-bytes", "64")) {
            int port = server.awaitServerPort();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    sockets.add(client(port));
                }
                server.await(
                        "the first clients answered and accept failing",
                        Duration.ofSeconds(15),
                        () -> sockets.stream().anyMatch(DescriptorExhaustionTest::answered)
                                && server.err().stream().anyMatch(l -> l.contains("accept failed")));
                Thread.sleep(1_000); // let the answered ones settle and the JIT go quiet
                List<Socket> served = sockets.stream()
                        .filter(DescriptorExhaustionTest::answered)
                        .toList();
                List<Socket> waiting =
                        sockets.stream().filter(s -> !answered(s)).toList();
                assertThat(waiting).as("clients left in the backlog").isNotEmpty();

                long cpuBefore = server.cpuMillis();
                Thread.sleep(cpuWindow.toMillis());
                long cpu = server.cpuMillis() - cpuBefore;
                assertThat(server.process().isAlive())
                        .as("alive at EMFILE; %s", server)
                        .isTrue();
                assertThat(cpu)
                        .as("CPU over %d ms while saturated (accept backs off, no spin)", cpuWindow.toMillis())
                        .isLessThan(maxCpuMillis);

                // The accepted connections still serve: one more request on a served keep-alive connection.
                Socket again = served.get(0);
                assertServed(again);
                byte[] rest = new byte[4096];
                again.setSoTimeout(200);
                try {
                    while (again.getInputStream().read(rest) > 0) {
                        // the rest of the first response
                    }
                } catch (java.net.SocketTimeoutException drained) {
                    // drained
                }
                again.setSoTimeout(10_000);
                OutputStream out = again.getOutputStream();
                out.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertServed(again);

                for (Socket s : served) {
                    if (halfClose) {
                        s.shutdownOutput(); // EOF: the server closes its side, freeing a descriptor
                    } else {
                        s.close();
                    }
                }
                long freed = System.nanoTime();
                server.await(
                        "every waiting client answered",
                        Duration.ofSeconds(20),
                        () -> waiting.stream().allMatch(DescriptorExhaustionTest::answered));
                long firstAnswerMillis = (System.nanoTime() - freed) / 1_000_000;
                for (Socket s : waiting) {
                    assertServed(s);
                }
                closeAll(sockets);
                try (Socket fresh = client(port)) {
                    assertServed(fresh);
                }
                assertThat(server.process().isAlive()).isTrue();
                assertThat(server.err().stream().filter(l -> l.contains("accept failed")))
                        .as("the EMFILE episode is logged once, not per failure: %s", server.err())
                        .hasSizeLessThanOrEqualTo(3);
                assertThat(server.err())
                        .as("no stack trace")
                        .noneMatch(l -> l.strip().startsWith("at "));
                assertThat(firstAnswerMillis)
                        .as("the backlog drains once descriptors free")
                        .isLessThan(20_000);
            } finally {
                closeAll(sockets);
            }
        }
    }

    @Test
    void underUlimit256With400ClientsTheServerStaysAliveIdlesAndServesTheBacklogAfterwards() throws Exception {
        flood(256, 400, false, Duration.ofSeconds(5), 300);
    }

    /** Accept at EMFILE does not spin: ulimit 64, 100 clients, half of them (the answered ones) half-close. */
    @Test
    void emfileAcceptDoesNotSpin() throws Exception {
        flood(64, 100, true, Duration.ofSeconds(3), 300);
    }
}
