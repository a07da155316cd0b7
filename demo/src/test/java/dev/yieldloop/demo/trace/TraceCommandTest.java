package dev.yieldloop.demo.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code trace} writes four timelines, the event loop's Chrome trace and index.html, from a real run. */
class TraceCommandTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void writesFourTimelinesAChromeTraceAndAReportWhoseEventLoopStepsNeverOverlap(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        TraceCommand command = new TraceCommand();
        int status = new CommandLine(command)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("--requests", "8", "--delay-ms", "150", "--out", dir.toString());
        assertThat(status).as(err.toString()).isZero();
        assertThat(TraceCommand.complete(dir)).isTrue();
        for (String s : TraceCommand.STRATEGIES) {
            assertThat(out.toString())
                    .contains("wrote " + dir.resolve("timeline-" + s + ".svg").toAbsolutePath());
            String svg = Files.readString(dir.resolve("timeline-" + s + ".svg"), StandardCharsets.UTF_8);
            assertThat(svg)
                    .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                    .contains("time (ms)", s + ": ");
        }
        String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
        assertThat(html)
                .contains("<section id=\"trace-table\">", "<section id=\"timelines\">", "id=\"timeline-event-loop\"")
                .doesNotContain("<script", "src=\"http", "href=\"http", "url(http", "@import");
        String json = Files.readString(dir.resolve(TraceCommand.CHROME_TRACE_FILE), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"traceEvents\":[").contains("task t8 \\\"download /page/7\\\"");

        List<TracedRuns.Run> runs = command.runs();
        assertThat(runs).extracting(r -> r.timeline().strategy()).containsExactlyElementsOf(TraceCommand.STRATEGIES);
        assertThat(runs).allSatisfy(r -> assertThat(r.ok()).isEqualTo(8));
        assertThat(runs.get(1).timeline().lanes()).hasSize(3);
        assertThat(runs.get(3).timeline().lanes())
                .hasSize(3)
                .allSatisfy(l -> assertThat(l.name()).startsWith("worker pid"));

        Timeline loop = runs.get(2).timeline();
        assertThat(loop.lanes()).hasSize(1 + 8);
        List<Timeline.Span> slices = new ArrayList<>(loop.lanes().get(0).spans());
        slices.sort((a, b) -> Long.compare(a.fromNanos(), b.fromNanos()));
        assertThat(slices).hasSizeGreaterThanOrEqualTo(8 * 3);
        for (int i = 1; i < slices.size(); i++) {
            assertThat(slices.get(i).fromNanos())
                    .as("steps on one thread never overlap")
                    .isGreaterThanOrEqualTo(slices.get(i - 1).toNanos());
        }
        // Some instant lies inside a network wait of every download: all of them wait concurrently.
        long latestWaitStart = Long.MIN_VALUE;
        long earliestWaitEnd = Long.MAX_VALUE;
        for (Timeline.Lane task : loop.lanes().subList(1, loop.lanes().size())) {
            Timeline.Span longest = task.spans().stream()
                    .filter(s -> s.label().startsWith("waiting: readable"))
                    .max((a, b) -> Long.compare(a.toNanos() - a.fromNanos(), b.toNanos() - b.fromNanos()))
                    .orElseThrow();
            latestWaitStart = Math.max(latestWaitStart, longest.fromNanos());
            earliestWaitEnd = Math.min(earliestWaitEnd, longest.toNanos());
            assertThat(task.marks())
                    .extracting(Timeline.Mark::kind)
                    .containsExactly(
                            Timeline.MarkKind.START,
                            Timeline.MarkKind.SENT,
                            Timeline.MarkKind.FIRST_BYTE,
                            Timeline.MarkKind.DONE);
        }
        assertThat(latestWaitStart).isLessThan(earliestWaitEnd);
    }

    @Test
    void refusesAnUnreadableNumberOfRequests() {
        StringWriter err = new StringWriter();
        int status =
                Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "trace", "--requests", "0");
        assertThat(status).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--requests must be in 1..200");
    }
}
