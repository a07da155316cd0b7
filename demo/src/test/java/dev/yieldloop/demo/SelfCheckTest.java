package dev.yieldloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.race.RaceCommand;
import dev.yieldloop.demo.report.LoadMeter;
import dev.yieldloop.demo.report.StrategyResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tour's conclusions are checked against the figures; a contradiction is said next to the claim, with the load. */
class SelfCheckTest {

    private static StrategyResult ran(String name, long wallMillis) {
        return new StrategyResult(name, false, null, wallMillis * 1_000_000, 10, 0, 1, 1, "c", null);
    }

    private static final List<RaceCommand.Result> EXACT = List.of(
            new RaceCommand.Result("plain-threads", 100, 60, 1),
            new RaceCommand.Result("atomic-threads", 100, 100, 1),
            new RaceCommand.Result("event-loop", 100, 100, 1));

    @Test
    void anEventLoopFasterThanSequentialOnCpuWorkIsFlaggedWithTheLoad() {
        String text = TourSummary.render(
                List.of(ran("sequential", 1600), ran("threads", 320), ran("event-loop", 120)),
                List.of(ran("sequential", 6000), ran("threads", 3000), ran("event-loop", 4000)),
                EXACT,
                new LoadMeter.Load(37.4),
                new LoadMeter.Load(61.0));
        String cpuClaim = text.lines()
                .filter(l -> l.startsWith("CPU-bound: only more cores"))
                .findFirst()
                .orElseThrow();
        String next = text.lines()
                .dropWhile(l -> !l.equals(cpuClaim))
                .skip(1)
                .findFirst()
                .orElseThrow();
        assertThat(next)
                .startsWith("  ✗ not borne out in this run:")
                .contains(
                        "the event loop took 0.67× sequential's time (4000 vs 6000 ms)",
                        "other processes used 61 % of the CPUs during the run");
        assertThat(text).doesNotContain("37 %"); // the IO claim held, so its load is not shown
    }

    @Test
    void ioSlowerThanSequentialIsFlagged() {
        String text = TourSummary.render(
                List.of(ran("sequential", 1600), ran("threads", 1700), ran("event-loop", 120)),
                List.of(),
                EXACT,
                LoadMeter.Load.UNKNOWN,
                LoadMeter.Load.UNKNOWN);
        assertThat(text)
                .contains(
                        "threads took 1700 ms, not less than sequential's 1600 ms",
                        "the machine's load is unknown here");
    }

    @Test
    void claimsThatHoldStandAlone() {
        String text = TourSummary.render(
                List.of(ran("sequential", 1600), ran("threads", 320), ran("event-loop", 120)),
                List.of(ran("sequential", 6000), ran("threads", 3000), ran("event-loop", 6100)),
                EXACT,
                new LoadMeter.Load(90),
                new LoadMeter.Load(90));
        assertThat(text).doesNotContain("✗");
    }

    @Test
    void aLossyAtomicCounterIsABugNotNoise() {
        String text = TourSummary.render(
                List.of(),
                List.of(),
                List.of(
                        new RaceCommand.Result("atomic-threads", 100, 99, 1),
                        new RaceCommand.Result("event-loop", 100, 100, 1)));
        assertThat(text).contains("✗ CONTRADICTED in this run: atomic-threads lost 1 updates (a bug, not noise)");
    }

    @Test
    void theLoadMeterReadsProcOnLinux() throws Exception {
        LoadMeter meter = LoadMeter.start();
        Thread.sleep(50);
        LoadMeter.Load load = meter.stop();
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/stat"))) {
            assertThat(load.known()).isTrue();
            assertThat(load.othersPercent()).isBetween(0.0, 100.0);
        } else {
            assertThat(load).isEqualTo(LoadMeter.Load.UNKNOWN);
        }
    }
}
