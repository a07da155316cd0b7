package dev.yieldloop.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever signal ends the demo, no child JVM outlives it: SIGTERM and SIGINT run the demo's shutdown hook, which
 * ends the process pool's workers; after SIGKILL, which no hook sees, the workers notice that their parent is gone.
 * And the {@code server} command stops promptly on SIGTERM or SIGINT with one line saying what it served.
 */
class NoOrphansTest {

    /** Starts {@code cpu --strategies process-pool} with enough work to still be computing when signalled. */
    private static DemoChild startBusyProcessPool() throws IOException {
        return DemoChild.start("cpu", "--strategies", "process-pool", "--processes", "2", "--base", "3000000000");
    }

    /** Waits until the demo's two workers are running, and returns them. */
    private static List<ProcessHandle> awaitWorkers(DemoChild demo) {
        demo.await(
                "two worker JVMs", Duration.ofSeconds(30), () -> workers(demo).size() >= 2);
        return workers(demo);
    }

    private static List<ProcessHandle> workers(DemoChild demo) {
        return demo.process()
                .descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("WorkerMain"))
                .toList();
    }

    @ParameterizedTest(name = "kill -{0}: no child alive {1} s later")
    @CsvSource({"TERM, 2", "INT, 2", "KILL, 5"})
    void noWorkerOutlivesTheDemo(String signal, int seconds) throws Exception {
        try (DemoChild demo = startBusyProcessPool()) {
            List<ProcessHandle> workers = awaitWorkers(demo);
            List<ProcessHandle> children = demo.process().descendants().toList();
            demo.signal(signal);
            long sent = System.nanoTime();
            await().atMost(Duration.ofSeconds(seconds))
                    .pollInterval(Duration.ofMillis(50))
                    .alias("every child of the demo gone within " + seconds + " s of SIGKILL/TERM/INT")
                    .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(workers).allMatch(p -> !p.isAlive());
            assertThat(demo.process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the demo itself exits")
                    .isTrue();
            assertThat((System.nanoTime() - sent) / 1_000_000_000).isLessThan(seconds + 5L);
        }
    }

    @ParameterizedTest(name = "server stops on SIG{0} with one summary line")
    @ValueSource(strings = {"INT", "TERM"})
    void serverStopsPromptlyOnASignalAndSaysWhatItServed(String signal) throws Exception {
        try (DemoChild server = DemoChild.start("server", "--port", "0", "--delay-ms", "0", "--body-bytes", "100")) {
            int port = server.awaitServerPort();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                int n = in.read(buf);
                assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK");
                // The connection is now idle between requests: a graceful close ends it at once.
                long sent = System.nanoTime();
                server.signal(signal);
                assertThat(server.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
                long stopMillis = (System.nanoTime() - sent) / 1_000_000;
                assertThat(in.read(buf)).as("the idle connection was closed").isEqualTo(-1);
                assertThat(stopMillis)
                        .as("stopped well before the old 2 s wait")
                        .isLessThan(1_900);
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.out().stream().anyMatch(l -> l.startsWith("slow-site server stopped: ")));
            String summary = server.out().stream()
                    .filter(l -> l.startsWith("slow-site server stopped: "))
                    .collect(Collectors.joining("\n"));
            assertThat(summary)
                    .as("one summary line")
                    .doesNotContain("\n")
                    .contains("served 1 request(s) on 1 connection(s)");
            Matcher stop = Pattern.compile("stopped (\\d+) ms after the signal").matcher(summary);
            assertThat(stop.find())
                    .as("the summary says how long the stop took: %s", summary)
                    .isTrue();
            assertThat(Long.parseLong(stop.group(1)))
                    .as("the server closed gracefully within half a second of the signal")
                    .isLessThan(500);
            assertThat(server.err())
                    .as("no stack trace")
                    .noneMatch(l -> l.strip().startsWith("at "));
        }
    }
}
