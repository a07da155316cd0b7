package dev.yieldloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.race.RaceCommand;
import dev.yieldloop.demo.report.StrategyResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tour's summary states what the numbers showed: the fastest clean strategy and every speed-up. */
class TourSummaryTest {

    private static StrategyResult ran(String name, long wallMillis, long errors) {
        return new StrategyResult(name, false, null, wallMillis * 1_000_000, 10 - errors, errors, 1, 1, "c", null);
    }

    @Test
    void picksTheFastestStrategyWithoutErrorsAndListsSpeedUps() {
        String text = TourSummary.render(
                List.of(
                        ran("sequential", 1600, 0),
                        ran("threads", 320, 0),
                        ran("event-loop", 20, 0),
                        ran("broken", 1, 3),
                        StrategyResult.skipped("virtual-threads", "JDK 17")),
                List.of(ran("sequential", 6000, 0), ran("threads", 3000, 0), ran("event-loop", 6100, 0)),
                List.of(
                        new RaceCommand.Result("plain-threads", 100, 60, 1),
                        new RaceCommand.Result("atomic-threads", 100, 100, 1),
                        new RaceCommand.Result("event-loop", 100, 100, 1)));
        assertThat(text)
                .containsPattern("IO-bound +event-loop +event-loop 80\\.0x, threads 5\\.0x, sequential 1\\.0x\\n")
                .containsPattern("CPU-bound +threads +threads 2\\.0x, sequential 1\\.0x, event-loop 1\\.0x\\n")
                .contains("atomic-threads / event-loop", "plain-threads lost 40 of 100")
                .doesNotContain("broken", "virtual-threads");
    }

    @Test
    void plainThreadsThatLostNothingAreLuckyNeverExactOrBest() {
        String text = TourSummary.render(
                List.of(),
                List.of(),
                List.of(
                        new RaceCommand.Result("plain-threads", 100, 100, 10),
                        new RaceCommand.Result("atomic-threads", 100, 100, 1),
                        new RaceCommand.Result("event-loop", 100, 100, 1)));
        String raceLine = text.lines()
                .filter(l -> l.startsWith("shared counter"))
                .findFirst()
                .orElseThrow();
        assertThat(raceLine)
                .contains("atomic-threads / event-loop", "plain-threads lost nothing this run (luck, not safety)")
                .doesNotContain("exact")
                .doesNotContainPattern("plain-threads(, | / )");
    }

    @Test
    void saysSoWhenNothingRanCleanly() {
        String text = TourSummary.render(List.of(ran("sequential", 10, 10)), List.of(), List.of());
        assertThat(text).contains("IO-bound        nothing ran cleanly", "CPU-bound       nothing ran cleanly");
    }
}
