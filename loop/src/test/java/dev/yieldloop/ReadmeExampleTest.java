package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's "A first task" example, verbatim, so the front page cannot rot. */
class ReadmeExampleTest {

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the loop clears interrupts
    void firstTaskExampleRunsAsShownAndTheReadmeQuotesIt() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // --8<-- [start:first]
            try (EventLoop loop = new EventLoop()) {
                Task<String> hello = loop.spawnAsync("hello", a -> {
                    a.sleep(Duration.ofMillis(10)); // a marked point: the loop runs others meanwhile
                    return "hello after a nap";
                });
                System.out.println(loop.runUntilComplete(hello.promise()));
            }
            // --8<-- [end:first]
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("hello after a nap" + System.lineSeparator());
        String readme = Files.readString(Path.of("..", "README.md"));
        String source = Files.readString(Path.of("src/test/java/dev/yieldloop/ReadmeExampleTest.java"));
        assertThat(readme).contains(dev.yieldloop.testing.DocRegions.region(source, "first"));
    }
}
