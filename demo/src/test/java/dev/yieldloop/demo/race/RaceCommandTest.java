package dev.yieldloop.demo.race;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code race} command: the atomic and event-loop counts are exact every time; the plain count never exceeds the
 * expected total, and the report says honestly whether an update was lost.
 */
@Timeout(60)
class RaceCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void atomicAndLoopCountsAreExactAndTheJsonHasTheIssuesShape() throws Exception {
        Path json = dir.resolve("race.json");
        assertThat(run(
                        "race",
                        "--workers",
                        "3",
                        "--increments",
                        "200000",
                        "--attempts",
                        "3",
                        "--json",
                        json.toString()))
                .as(err.toString())
                .isZero();
        String text = Files.readString(json);
        assertThat(text)
                .startsWith("{\"workload\":\"race\",")
                .contains("{\"strategy\":\"atomic-threads\",\"expected\":600000,\"actual\":600000,")
                .contains("{\"strategy\":\"event-loop\",\"expected\":600000,\"actual\":600000,")
                .containsPattern(
                        "\\{\"strategy\":\"plain-threads\",\"expected\":600000,\"actual\":\\d+,\"runs\":[1-3]}");
        long plain = Long.parseLong(text.replaceAll(".*\"plain-threads\",\"expected\":600000,\"actual\":(\\d+).*", "$1")
                .strip());
        assertThat(plain).isBetween(1L, 600_000L);
        assertThat(out.toString())
                .contains(plain < 600_000 ? "plain-threads:  lost " + (600_000 - plain) : "lost nothing in 3 runs");
        assertThat(out.toString().lines().filter(l -> l.startsWith("plain-threads:")))
                .singleElement()
                .asString()
                .doesNotContain("exact");
    }

    @Test
    void aRunOfThreadsThatLosesNothingIsCalledLuckNeverExact() {
        String lucky = RaceCommand.plainVerdict(new RaceCommand.Result("plain-threads", 8_000, 8_000, 10), 10, 8);
        assertThat(lucky)
                .contains("lost nothing in 10 runs", "luck, not correctness", "proves nothing")
                .doesNotContain("exact");
        String lossy = RaceCommand.plainVerdict(new RaceCommand.Result("plain-threads", 8_000, 7_000, 3), 10, 8);
        assertThat(lossy).contains("lost 1000 updates (on run 3 of up to 10)");
        assertThat(new RaceCommand.Result("plain-threads", 8_000, 8_000, 10).safeByConstruction())
                .isFalse();
        assertThat(new RaceCommand.Result("atomic-threads", 8_000, 8_000, 1).safeByConstruction())
                .isTrue();
    }

    @Test
    void aSingleWorkerCannotRaceAndTheReportSaysSo() {
        assertThat(run("race", "--workers", "1", "--increments", "1000", "--attempts", "2"))
                .isZero();
        assertThat(out.toString()).contains("lost nothing: one worker has nobody to race with");
    }

    @Test
    void badNumbersAreBadInput() {
        assertThat(run("race", "--workers", "0")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--workers must be in 1..1024");
        assertThat(run("race", "--increments", "0")).isEqualTo(Main.EXIT_BAD_INPUT);
    }
}
