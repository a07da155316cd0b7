package dev.yieldloop.demo.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code io} command as a user meets it: clear errors and exit codes for bad input, the table and JSON shape. */
@Timeout(60)
class IoCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path urlFile(String... lines) throws IOException {
        return Files.write(dir.resolve("urls.txt"), String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("io", "--help")).isZero();
        assertThat(out.toString())
                .contains("--requests", "--delay-ms", "--strategies", "--url-file", "--json", "--limit", "--processes");
    }

    @Test
    void unreadableUrlFileIsBadInput() {
        assertThat(run("io", "--url-file", dir.resolve("missing.txt").toString()))
                .isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).startsWith("error: cannot read URL file");
    }

    @Test
    void malformedOrNonHttpUrlNamesItsLine() throws IOException {
        assertThat(run(
                        "io",
                        "--url-file",
                        urlFile("# two sites", "http://127.0.0.1:1/a", "https://example.com/")
                                .toString()))
                .isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("line 3", "not a plain-HTTP URL");
        assertThat(run("io", "--url-file", urlFile("http://exa mple.com/").toString()))
                .isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("malformed URL");
    }

    @Test
    void unknownStrategyAndBadNumbersAreBadInput() {
        assertThat(run("io", "--strategies", "sequential,fibers")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("unknown strategy 'fibers'", "event-loop");
        assertThat(run("io", "--requests", "0")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run("io", "--limit", "-1")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--limit must be >= 0");
        assertThat(run("io", "--requests", "lots")).isEqualTo(2); // picocli's usage error
    }

    @Test
    void refusingServerIsCountedAsErrorsPerStrategyNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path json = dir.resolve("refused.json");
        int code = run(
                "io",
                "--url-file",
                urlFile("http://127.0.0.1:" + closedPort + "/x").toString(),
                "--requests",
                "6",
                "--strategies",
                "sequential,threads,event-loop",
                "--timeout-ms",
                "3000",
                "--json",
                json.toString());
        assertThat(code).isEqualTo(IoCommand.EXIT_DOWNLOAD_ERRORS);
        assertThat(err.toString()).contains("18 downloads failed", "Connection refused");
        String text = Files.readString(json);
        assertThat(text).contains("\"strategy\":\"event-loop\"", "\"ok\":0,\"errors\":6");
    }

    @Test
    void resettingServerIsCountedAsErrors() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0), 50);
            Thread resetter = new Thread(() -> {
                for (int i = 0; i < 8; i++) { // bounded: 4 downloads × 2 strategies
                    try {
                        Socket s = listener.accept();
                        s.getInputStream().read(); // the request has started to arrive
                        s.setSoLinger(true, 0);
                        s.close(); // RST
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            resetter.setDaemon(true);
            resetter.start();
            int code = run(
                    "io",
                    "--url-file",
                    urlFile("http://127.0.0.1:" + listener.getLocalPort() + "/x")
                            .toString(),
                    "--requests",
                    "4",
                    "--strategies",
                    "sequential,event-loop",
                    "--timeout-ms",
                    "3000");
            assertThat(code).isEqualTo(IoCommand.EXIT_DOWNLOAD_ERRORS);
            assertThat(out.toString()).containsPattern("event-loop .* 0 +4 ");
        }
    }

    @Test
    void embeddedServerRunPrintsTheTableAndWritesTheJsonShape() throws Exception {
        Path json = dir.resolve("io.json");
        int code = run(
                "io",
                "--requests",
                "8",
                "--delay-ms",
                "10",
                "--body-bytes",
                "2000",
                "--strategies",
                "sequential,virtual-threads,event-loop",
                "--json",
                json.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("strategy", "vs sequential", "ideal bound", "checksums: all");
        String text = Files.readString(json);
        assertThat(text)
                .startsWith("{\"workload\":\"io\",\"params\":{\"requests\":8,\"delayMillis\":10,\"bodyBytes\":2000,")
                .contains("{\"strategy\":\"sequential\",\"wallMillis\":")
                .contains("{\"strategy\":\"event-loop\",\"wallMillis\":")
                .containsPattern(
                        "\"ok\":8,\"errors\":0,\"peakThreads\":\\d+,\"peakHeapBytes\":\\d+,\"checksum\":\"[0-9a-f]{16}\"");
        if (Runtime.version().feature() < 21) {
            assertThat(text)
                    .contains(
                            "{\"strategy\":\"virtual-threads\",\"skipped\":true,\"reason\":\"virtual threads need JDK 21+");
        } else {
            assertThat(text).contains("{\"strategy\":\"virtual-threads\",\"wallMillis\":");
        }
    }
}
