package dev.yieldloop;

import java.time.Duration;
import java.util.Objects;

/**
 * The few tunables of an {@link EventLoop}, in one record (STYLE habit 15: no system-property knobs).
 *
 * @param clock the loop's only source of time; {@link NanoClock#SYSTEM} except in tests
 * @param budget how many steps a task may run in one turn while every promise it awaits is already complete, before
 *     it is made to yield (Tokio's cooperative budget, whose default of 128 this copies); at least 1
 * @param name the loop's name, used for its thread by {@link EventLoop#startThread()} and in messages
 * @param slowStepThreshold how long one step may hold the loop thread before the watchdog warns, in real time; {@link
 *     Duration#ZERO} turns the watchdog off
 * @param traceCapacity how many events the {@linkplain dev.yieldloop.trace.TraceJournal trace journal} keeps, oldest
 *     dropped first; 0 (the default) turns the journal off, which leaves one null check per hook
 * @param asyncMode how straight-line bodies run ({@link EventLoop#spawnAsync}); {@link AsyncMode#AUTO} picks
 *     continuations where the JDK allows them
 */
public record LoopOptions(
        NanoClock clock, int budget, String name, Duration slowStepThreshold, int traceCapacity, AsyncMode asyncMode) {

    /** Tokio's default cooperative budget. */
    public static final int DEFAULT_BUDGET = 128;

    /** The slow-step watchdog's default threshold, 100 ms (asyncio debug mode's {@code slow_callback_duration}). */
    public static final Duration DEFAULT_SLOW_STEP_THRESHOLD = Duration.ofMillis(100);

    /** The largest trace journal, 2<sup>22</sup> events (a ring of 2<sup>23</sup> at 29 bytes each, about 240 MB). */
    public static final int MAX_TRACE_CAPACITY = 1 << 22;

    /**
     * Checks the options.
     *
     * @param clock the clock
     * @param budget the budget, at least 1
     * @param name the name
     * @param slowStepThreshold the watchdog threshold, zero for off
     * @param traceCapacity events kept by the trace journal, 0 for off
     * @param asyncMode how straight-line bodies run
     * @throws IllegalArgumentException if {@code budget < 1}, the threshold is negative, or {@code traceCapacity} is
     *     negative or above {@link #MAX_TRACE_CAPACITY}
     */
    public LoopOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(asyncMode, "asyncMode");
        Objects.requireNonNull(name, "name");
        if (slowStepThreshold.isNegative()) {
            throw new IllegalArgumentException("slowStepThreshold must not be negative: " + slowStepThreshold);
        }
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1, was " + budget);
        }
        if (traceCapacity < 0 || traceCapacity > MAX_TRACE_CAPACITY) {
            throw new IllegalArgumentException(
                    "traceCapacity must be in [0, " + MAX_TRACE_CAPACITY + "], was " + traceCapacity);
        }
    }

    /**
     * Options with the trace journal off and straight-line bodies on {@link AsyncMode#AUTO}, as before either existed.
     *
     * @param clock the clock
     * @param budget the budget, at least 1
     * @param name the name
     * @param slowStepThreshold the watchdog threshold, zero for off
     * @throws IllegalArgumentException if {@code budget < 1} or the threshold is negative
     */
    public LoopOptions(NanoClock clock, int budget, String name, Duration slowStepThreshold) {
        this(clock, budget, name, slowStepThreshold, 0, AsyncMode.AUTO);
    }

    /**
     * The defaults: system clock, budget 128, name {@code "yieldloop"}, watchdog at 100 ms.
     *
     * @return default options
     */
    public static LoopOptions defaults() {
        return new LoopOptions(NanoClock.SYSTEM, DEFAULT_BUDGET, "yieldloop", DEFAULT_SLOW_STEP_THRESHOLD);
    }

    /**
     * A copy with another clock, which the loop's timers, sleeps and deadlines read (tests pass a fake one).
     *
     * @param newClock the clock, in nanoseconds
     * @return new options
     * @throws NullPointerException if {@code newClock} is null
     */
    public LoopOptions withClock(NanoClock newClock) {
        return new LoopOptions(newClock, budget, name, slowStepThreshold, traceCapacity, asyncMode);
    }

    /**
     * A copy with another cooperative budget: how many steps a task may take in one turn while its awaits are already
     * complete, before it goes to the back of the ready queue (Tokio's budget).
     *
     * @param newBudget steps per turn, at least 1
     * @return new options
     * @throws IllegalArgumentException if {@code newBudget < 1}
     */
    public LoopOptions withBudget(int newBudget) {
        return new LoopOptions(clock, newBudget, name, slowStepThreshold, traceCapacity, asyncMode);
    }

    /**
     * A copy with another watchdog threshold.
     *
     * @param threshold how long one step may hold the loop thread; {@link Duration#ZERO} turns the watchdog off
     * @return new options
     * @throws IllegalArgumentException if {@code threshold} is negative
     */
    public LoopOptions withSlowStepThreshold(Duration threshold) {
        return new LoopOptions(clock, budget, name, threshold, traceCapacity, asyncMode);
    }

    /**
     * A copy with another name, which names the loop's thread ({@link EventLoop#startThread()}) and appears in its
     * messages, snapshots and traces.
     *
     * @param newName the name
     * @return new options
     * @throws NullPointerException if {@code newName} is null
     */
    public LoopOptions withName(String newName) {
        return new LoopOptions(clock, budget, newName, slowStepThreshold, traceCapacity, asyncMode);
    }

    /**
     * A copy with the trace journal on (or off): the loop records every task transition, every iteration's phases and
     * every process-pool job into a preallocated ring of {@code capacity} events, readable with {@link
     * EventLoop#journal()}, and emits the {@code dev.yieldloop.TaskStep} and {@code dev.yieldloop.Iteration} JFR
     * events while a flight recording enables them.
     *
     * @param capacity events kept, oldest dropped first; 0 turns the journal off
     * @return new options
     * @throws IllegalArgumentException if {@code capacity} is negative or above {@link #MAX_TRACE_CAPACITY}
     */
    public LoopOptions withTrace(int capacity) {
        return new LoopOptions(clock, budget, name, slowStepThreshold, capacity, asyncMode);
    }

    /**
     * A copy with another way of running straight-line bodies.
     *
     * @param mode {@link AsyncMode#AUTO}, {@link AsyncMode#CONTINUATION} (the loop's constructor fails where the JDK
     *     does not allow it) or {@link AsyncMode#BATON}
     * @return new options
     */
    public LoopOptions withAsyncMode(AsyncMode mode) {
        return new LoopOptions(clock, budget, name, slowStepThreshold, traceCapacity, mode);
    }
}
