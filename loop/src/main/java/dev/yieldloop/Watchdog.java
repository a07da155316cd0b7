package dev.yieldloop;

import java.lang.ref.WeakReference;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The slow-step watchdog: warns, off the loop thread, when one step of phase 6 holds the loop thread longer than a
 * threshold, naming the task, how long it has held the loop, and the loop thread's stack (asyncio's debug-mode
 * {@code slow_callback_duration}, Vert.x's blocked-thread checker).
 *
 * <h2>Protocol</h2>
 *
 * <p>The loop thread, around each ready entry it runs: L1 {@code entry = e}; L2 {@code startNanos = now}; runs it; L3
 * {@code startNanos = 0}. The watchdog, every {@code threshold / 2}: W1 {@code s1 = startNanos}; W2 {@code e = entry};
 * W3 {@code s2 = startNanos}. When {@code s1 == s2 != 0}, {@code e} is the entry whose step began at {@code s1}: L1
 * precedes L2 and any later step rewrites {@code startNanos} (L3) before it rewrites {@code entry}. Each step is warned
 * about at most once (remembered by its start time). Only steps are timed, never the select, so an idle loop is never
 * reported.
 *
 * <p>Time is the real monotonic clock, not the loop's {@link NanoClock}: the watchdog guards the real thread, also under
 * a fake clock. One shared daemon thread checks every loop; a loop's check holds it weakly and ends with the loop.
 */
final class Watchdog {

    private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());

    private static final ScheduledExecutorService CHECKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "yieldloop-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long thresholdNanos;
    private final String loopName;
    private volatile Object entry;
    private volatile long startNanos;
    private volatile Thread loopThread;
    private long lastWarnedStart;
    private final AtomicLong warnings = new AtomicLong();
    private volatile String lastReport = "";
    private final ScheduledFuture<?> check;

    Watchdog(EventLoop loop, long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
        this.loopName = loop.options().name();
        long periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), thresholdNanos / 2);
        WeakReference<Watchdog> self = new WeakReference<>(this);
        // The periodic check holds the watchdog weakly, so an abandoned loop does not stay reachable through it.
        this.check = CHECKER.scheduleAtFixedRate(
                () -> {
                    Watchdog w = self.get();
                    if (w == null) {
                        throw new IllegalStateException("watchdog collected"); // ends the periodic task
                    }
                    w.checkOnce();
                },
                periodNanos,
                periodNanos,
                TimeUnit.NANOSECONDS);
    }

    /** Loop thread: a step of {@code e} begins (L1, L2). */
    void stepStarted(Object e) {
        entry = e;
        loopThread = Thread.currentThread();
        startNanos = System.nanoTime();
    }

    /** Loop thread: a baton-run body took or gave back the loop thread; its stack is the one to report. */
    void threadChanged(Thread t) {
        loopThread = t;
    }

    /** Loop thread: the step ended (L3). */
    void stepEnded() {
        startNanos = 0;
    }

    /** Stops checking; called by {@link EventLoop#close()}. */
    void stop() {
        check.cancel(false);
    }

    long warnings() {
        return warnings.get();
    }

    String lastReport() {
        return lastReport;
    }

    /** Watchdog thread (W1–W3). */
    private void checkOnce() {
        long s1 = startNanos;
        if (s1 == 0 || s1 == lastWarnedStart) {
            return;
        }
        Object e = entry;
        Thread thread = loopThread;
        if (startNanos != s1) {
            return;
        }
        long heldNanos = System.nanoTime() - s1;
        if (heldNanos < thresholdNanos) {
            return;
        }
        lastWarnedStart = s1;
        StringBuilder report = new StringBuilder()
                .append("slow step on event loop \"")
                .append(loopName)
                .append("\": ")
                .append(e instanceof Task<?> ? "task " + e : "callback " + e)
                .append(" has held the loop thread for ")
                .append(TimeUnit.NANOSECONDS.toMillis(heldNanos))
                .append(" ms (threshold ")
                .append(TimeUnit.NANOSECONDS.toMillis(thresholdNanos))
                .append(" ms); nothing else runs on this loop meanwhile. Loop thread stack:");
        for (StackTraceElement frame : thread.getStackTrace()) {
            report.append("\n\tat ").append(frame);
        }
        lastReport = report.toString();
        dev.yieldloop.trace.FlightEvents.slowStep(loopName, String.valueOf(e), heldNanos, thresholdNanos);
        warnings.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, lastReport);
    }
}
