package dev.yieldloop.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import dev.yieldloop.testing.LoopLeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The loop's JFR events land in a recording with their fields. */
class FlightEventsTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    @Test
    void taskStepIterationAndSlowStepEventsAreRecordedWithTheirFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loop.jfr");
        EventLoop loop = loops.newLoop(LoopOptions.defaults()
                .withTrace(1024)
                .withName("recorded")
                .withSlowStepThreshold(Duration.ofMillis(20)));
        try (Recording recording = new Recording()) {
            recording.enable(FlightEvents.TASK_STEP).withThreshold(Duration.ZERO);
            recording.enable(FlightEvents.ITERATION).withThreshold(Duration.ZERO);
            recording.enable(FlightEvents.SLOW_STEP).withThreshold(Duration.ZERO);
            recording.start();
            Task<Object> quick = loop.spawn("quick", () -> Step.done(null));
            Task<Object> slow = loop.spawn("slow", () -> {
                // Holds the loop thread until the watchdog has warned (bounded).
                Awaitility.await()
                        .atMost(10, TimeUnit.SECONDS)
                        .until(() -> loop.lastSlowStepReport().contains("task t2 \"slow\""));
                return Step.done(null);
            });
            loop.runNow();
            assertThat(quick.promise().isSucceeded()).isTrue();
            assertThat(slow.promise().isSucceeded()).isTrue();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(Files.size(file)).isPositive();
        assertThat(events)
                .filteredOn(e -> e.getEventType().getName().equals(FlightEvents.TASK_STEP))
                .extracting(e -> e.getString("taskName") + "#" + e.getLong("taskId"))
                .containsExactly("quick#1", "slow#2");
        RecordedEvent slowStep = events.stream()
                .filter(e -> e.getEventType().getName().equals(FlightEvents.TASK_STEP))
                .filter(e -> e.getString("taskName").equals("slow"))
                .findFirst()
                .orElseThrow();
        assertThat(slowStep.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        RecordedEvent iteration = events.stream()
                .filter(e -> e.getEventType().getName().equals(FlightEvents.ITERATION))
                .findFirst()
                .orElseThrow();
        assertThat(iteration.getInt("stepsRun")).isEqualTo(2);
        assertThat(iteration.getLong("runNanos"))
                .isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(iteration.getInt("ioEvents")).isZero();
        assertThat(iteration.getInt("timersFired")).isZero();
        RecordedEvent warning = events.stream()
                .filter(e -> e.getEventType().getName().equals(FlightEvents.SLOW_STEP))
                .filter(e -> e.getString("entry").equals("t2 \"slow\"")) // on a busy machine "quick" may be slow too
                .findFirst()
                .orElseThrow();
        assertThat(warning.getString("loop")).isEqualTo("recorded");
        assertThat(warning.getLong("heldNanos"))
                .isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(warning.getLong("thresholdNanos"))
                .isEqualTo(Duration.ofMillis(20).toNanos());
    }
}
