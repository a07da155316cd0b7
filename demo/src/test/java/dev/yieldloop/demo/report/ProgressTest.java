package dev.yieldloop.demo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Progress: a few milestone lines when not on a terminal, one redrawn line on a terminal, fine-grained work shown. */
class ProgressTest {

    @Test
    void offATerminalItPrintsOnlyMilestoneLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress p = Progress.start("event-loop", 20, "numbers", out, false)) {
            p.addWork(1000);
            p.worked(300);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("(30 %)"));
            p.worked(600);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("(90 %)"));
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text.lines())
                .containsExactly("  event-loop: 0/20 numbers (30 %)", "  event-loop: 0/20 numbers (90 %)");
        assertThat(text).doesNotContain("\r");
    }

    @Test
    void onATerminalItRedrawsOneLineAndClearsIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress p = Progress.start("threads", 4, "downloads", out, true)) {
            p.step();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("1/4 downloads (25 %)"));
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .startsWith("\r  threads: 1/4 downloads (25 %)")
                .doesNotContain("\n")
                .endsWith("\r");
    }
}
