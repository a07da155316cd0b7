package dev.yieldloop.demo;

import dev.yieldloop.demo.race.RaceCommand;
import dev.yieldloop.demo.report.LoadMeter;
import dev.yieldloop.demo.report.StrategyResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tour's conclusions, checked against the figures that were just measured. Each check returns {@code ""} when the
 * figures bear the claim out (or lack the strategies to judge it), or a note to print next to the claim, saying what
 * contradicts it and how busy the machine was.
 *
 * <p>Thresholds are wide on purpose: they flag a reversed or absurd result (the event loop 1.5× faster than sequential
 * on CPU work), not a few percent of noise.
 */
final class SelfCheck {

    /** On CPU work the event loop should take between these multiples of the sequential time. */
    static final double CPU_LOOP_LOW = 0.8;

    static final double CPU_LOOP_HIGH = 1.5;

    /** With two or more CPUs, threads should be at least this much faster than sequential on CPU work. */
    static final double CPU_THREADS_MIN_SPEEDUP = 1.2;

    private SelfCheck() {}

    /** IO: threads and the event loop both beat sequential. */
    static String io(List<StrategyResult> io, LoadMeter.Load load) {
        StrategyResult seq = clean(io, "sequential");
        List<String> contradictions = new ArrayList<>();
        for (String name : List.of("threads", "event-loop")) {
            StrategyResult r = clean(io, name);
            if (seq != null && r != null && r.wallNanos() >= seq.wallNanos()) {
                contradictions.add(format(
                        "%s took %d ms, not less than sequential's %d ms", name, r.wallMillis(), seq.wallMillis()));
            }
        }
        return note(contradictions, load);
    }

    /** CPU: the event loop is about as fast as sequential; threads beat it when there are cores to use. */
    static String cpu(List<StrategyResult> cpu, LoadMeter.Load load) {
        StrategyResult seq = clean(cpu, "sequential");
        List<String> contradictions = new ArrayList<>();
        StrategyResult loop = clean(cpu, "event-loop");
        if (seq != null && loop != null) {
            double ratio = (double) loop.wallNanos() / seq.wallNanos();
            if (ratio < CPU_LOOP_LOW || ratio > CPU_LOOP_HIGH) {
                contradictions.add(format(
                        "the event loop took %.2f× sequential's time (%d vs %d ms), not about the same",
                        ratio, loop.wallMillis(), seq.wallMillis()));
            }
        }
        StrategyResult threads = clean(cpu, "threads");
        if (seq != null && threads != null && Runtime.getRuntime().availableProcessors() >= 2) {
            double speedUp = (double) seq.wallNanos() / threads.wallNanos();
            if (speedUp < CPU_THREADS_MIN_SPEEDUP) {
                contradictions.add(format(
                        "threads were only %.2f× faster than sequential on %d CPUs",
                        speedUp, Runtime.getRuntime().availableProcessors()));
            }
        }
        return note(contradictions, load);
    }

    /** Shared state: the atomic and event-loop counters are exact. */
    static String race(List<RaceCommand.Result> race) {
        List<String> contradictions = new ArrayList<>();
        for (RaceCommand.Result r : race) {
            if (!r.strategy().equals("plain-threads") && r.lost() != 0) {
                contradictions.add(r.strategy() + " lost " + r.lost() + " updates");
            }
        }
        return contradictions.isEmpty()
                ? ""
                : "\n  ✗ CONTRADICTED in this run: " + String.join("; ", contradictions) + " (a bug, not noise)";
    }

    private static String note(List<String> contradictions, LoadMeter.Load load) {
        if (contradictions.isEmpty()) {
            return "";
        }
        return "\n  ✗ not borne out in this run: " + String.join("; ", contradictions) + "; " + load
                + ". Timings on a busy machine mislead; run the section again on a quiet one.";
    }

    /** A contradiction's text, with numbers formatted the same in every locale. */
    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static StrategyResult clean(List<StrategyResult> results, String name) {
        return results.stream()
                .filter(r -> r.strategy().equals(name) && !r.skipped() && r.errors() == 0 && r.wallNanos() > 0)
                .findFirst()
                .orElse(null);
    }
}
