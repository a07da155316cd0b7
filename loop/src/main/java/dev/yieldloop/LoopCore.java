package dev.yieldloop;

import dev.yieldloop.internal.LoopThread;
import dev.yieldloop.trace.TraceJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The loop's engine state that its tasks, promises and timers share: the confinement guard, the ready queue, the
 * waiting set, the timer heap, the failure funnel and the trace journal, with the two phases that work on them (4, the
 * due timers; 6, the ready entries). {@link EventLoop} is the facade over it and drives the iteration; a {@link Task}
 * or {@link Promise} holds this core instead of the loop, so nothing below the facade reaches back up into it.
 *
 * <p>Threading: loop thread only, except {@link #isClosed()} (a volatile read) and the guard, which states its own
 * rules.
 */
final class LoopCore {

    /** Delays are clamped to about 36 years so that deadline arithmetic never overflows. */
    static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 3;

    final String name;
    final LoopThread thread;
    final NanoClock clock;
    /** Steps a task may take in one turn when its awaits are already complete (Tokio's cooperative budget). */
    final int budget;

    final ReadyQueue ready = new ReadyQueue();
    final WaitingSet waiting = new WaitingSet();
    final TimerHeap timers = new TimerHeap();
    final FailureReporter failures = new FailureReporter();
    /** The trace journal, or null when tracing is off: every hook is one null check. */
    final TraceJournal trace;
    /** The slow-step watchdog, or null when it is off. */
    final Watchdog watchdog;

    /** How many promise listeners are running nested on the current stack; see {@link Promise}'s trampoline. */
    int listenerDepth;

    /** Iterations completed so far; counted by the facade at the end of each. */
    long iterations;

    private final List<Timer> dueTimers = new ArrayList<>();
    private volatile boolean closed;
    private Task<?> current;
    private long nextTaskId = 1;
    private long nextTimerSequence;

    LoopCore(LoopOptions options) {
        this.name = options.name();
        this.thread = new LoopThread(name, Thread.currentThread());
        this.clock = options.clock();
        this.budget = options.budget();
        long thresholdNanos = options.slowStepThreshold().toNanos();
        this.watchdog = thresholdNanos > 0 ? new Watchdog(name, thresholdNanos) : null;
        this.trace = options.traceCapacity() > 0 ? new TraceJournal(options.traceCapacity(), clock) : null;
    }

    /** Thread-safe. Whether the loop has begun to close. */
    boolean isClosed() {
        return closed;
    }

    /** Fails fast once the loop is closed. */
    void checkOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": event loop \"" + name + "\" is closed");
        }
    }

    /** The next task id, in spawn order. */
    long nextTaskId() {
        return nextTaskId++;
    }

    /** Schedules {@code action} after {@code delayNanos}, clamped to [0, {@link #MAX_DELAY_NANOS}]. */
    Timer addTimer(long delayNanos, Runnable action) {
        checkOpen("schedule");
        long clamped = Math.min(Math.max(delayNanos, 0), MAX_DELAY_NANOS);
        Timer timer = new Timer(thread, timers, clock.nanoTime() + clamped, nextTimerSequence++, action);
        timers.add(timer);
        return timer;
    }

    /** A callback for the ready queue, run in a coming phase 6 (Promise's trampoline). */
    void defer(Runnable callback) {
        ready.add(ReadyQueue.callback(callback));
    }

    /**
     * Makes {@code thread} the loop thread for the confinement checks: a baton-run body while it holds the baton, and
     * the real loop thread again when it hands the baton back ({@link BatonStrand}'s protocol orders the two).
     */
    void passOwnership(Thread owner) {
        thread.moveTo(owner);
        if (watchdog != null) {
            watchdog.threadChanged(owner);
        }
    }

    /** The task whose step is running now, or null. */
    Task<?> current() {
        return current;
    }

    /** Phase 4: collect every due timer first (one clock read), then fire them in deadline-then-scheduling order. */
    int fireDueTimers() {
        if (timers.isEmpty()) {
            return 0;
        }
        long now = clock.nanoTime();
        for (Timer first = timers.peek(); first != null && first.deadlineNanos - now <= 0; first = timers.peek()) {
            dueTimers.add(timers.poll());
        }
        int n = dueTimers.size();
        try {
            for (int i = 0; i < n; i++) {
                try {
                    dueTimers.get(i).action.run();
                } catch (Throwable t) {
                    failures.report("timer callback", null, t);
                }
            }
        } finally {
            dueTimers.clear();
        }
        return n;
    }

    /** Phase 6: run the entries that were ready when this phase began: the only place task code runs. */
    int runReady() {
        int n = ready.size();
        for (int i = 0; i < n; i++) {
            ReadyQueue.Entry entry = ready.poll();
            if (watchdog != null) {
                watchdog.stepStarted(entry);
            }
            current = entry.task();
            try {
                entry.run();
            } catch (Throwable t) {
                failures.report(
                        current == null ? "callback" : "task step", current == null ? null : current.toString(), t);
            } finally {
                current = null;
            }
            if (watchdog != null) {
                watchdog.stepEnded();
            }
        }
        return n;
    }

    /**
     * Closes the engine: every task still alive (ready or waiting) ends cancelled, every timer is dropped and the
     * watchdog stops. Later scheduling fails with {@link IllegalStateException}.
     *
     * @return the tasks that were alive, now cancelled
     */
    List<Task<?>> close() {
        closed = true;
        List<Task<?>> alive = waiting.tasks();
        alive.addAll(ready.tasks());
        ready.clear();
        for (Task<?> t : alive) {
            t.abandon(new CancellationException("event loop closed while " + t + " was alive"));
        }
        timers.clear();
        if (watchdog != null) {
            watchdog.stop();
        }
        return alive;
    }
}
