package dev.yieldloop;

import java.util.Objects;

/**
 * The few tunables of an {@link EventLoop}, in one record (STYLE habit 15: no system-property knobs).
 *
 * @param clock the loop's only source of time; {@link NanoClock#SYSTEM} except in tests
 * @param budget how many steps a task may run in one turn while every promise it awaits is already complete, before
 *     it is made to yield (Tokio's cooperative budget, whose default of 128 this copies); at least 1
 * @param name the loop's name, used for its thread by {@link EventLoop#startThread()} and in messages
 */
public record LoopOptions(NanoClock clock, int budget, String name) {

    /** Tokio's default cooperative budget. */
    public static final int DEFAULT_BUDGET = 128;

    /**
     * Checks the options.
     *
     * @param clock the clock
     * @param budget the budget, at least 1
     * @param name the name
     * @throws IllegalArgumentException if {@code budget < 1}
     */
    public LoopOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(name, "name");
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1, was " + budget);
        }
    }

    /**
     * The defaults: system clock, budget 128, name {@code "yieldloop"}.
     *
     * @return default options
     */
    public static LoopOptions defaults() {
        return new LoopOptions(NanoClock.SYSTEM, DEFAULT_BUDGET, "yieldloop");
    }

    /**
     * A copy with another clock.
     *
     * @param newClock the clock
     * @return new options
     */
    public LoopOptions withClock(NanoClock newClock) {
        return new LoopOptions(newClock, budget, name);
    }

    /**
     * A copy with another budget.
     *
     * @param newBudget steps per turn, at least 1
     * @return new options
     */
    public LoopOptions withBudget(int newBudget) {
        return new LoopOptions(clock, newBudget, name);
    }

    /**
     * A copy with another name.
     *
     * @param newName the name
     * @return new options
     */
    public LoopOptions withName(String newName) {
        return new LoopOptions(clock, budget, newName);
    }
}
