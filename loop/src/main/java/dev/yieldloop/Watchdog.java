package dev.yieldloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <p>The loop thread pays two release stores per step and reads no clock (a clock read and three volatile writes per
 * step, the first design, cost more than the steps themselves in the bench's yield and execute benchmarks). A step
 * counter {@code seq} is odd while a step runs and even between steps. The loop thread, around each ready entry: L1
 * {@code entry = e} (release); L2 {@code seq = seq + 1}, now odd (release); runs it; L3 {@code seq = seq + 1}, now even
 * (release). The watchdog, every {@code threshold / 4}: W1 {@code s = seq} (acquire); an even {@code s} means no step
 * runs (an idle loop blocked in select is never reported); a new odd {@code s} is remembered with the time it was first
 * seen; the same odd {@code s} seen again means one step has run at least since then. Past the threshold, W2 {@code e =
 * entry} (acquire) and W3 re-reads {@code seq}: if it is still {@code s}, {@code e} is that step's entry, because L1
 * happens before L2 and the next step's L1 comes after L3. Each step is warned about at most once (remembered by its
 * {@code seq}); the time reported is a lower bound, within a quarter threshold.
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

    private static final VarHandle SEQ;
    private static final VarHandle ENTRY;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SEQ = lookup.findVarHandle(Watchdog.class, "seq", long.class);
            ENTRY = lookup.findVarHandle(Watchdog.class, "entry", ReadyQueue.Entry.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long thresholdNanos;
    private final String loopName;
    /** Odd while a step runs. Written by the loop thread only (release), read by the checker (acquire). */
    private long seq;
    /** The entry of the step that {@code seq} numbers. Written by the loop thread (release) before {@code seq}. */
    private ReadyQueue.Entry entry;

    private volatile Thread loopThread;
    // Checker thread only:
    private long seenSeq;
    private long seenSinceNanos;
    private long warnedSeq;
    private final AtomicLong warnings = new AtomicLong();
    private volatile String lastReport = "";
    private final ScheduledFuture<?> check;

    Watchdog(String loopName, long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
        this.loopName = loopName;
        long periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), thresholdNanos / 4);
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
    void stepStarted(ReadyQueue.Entry e) {
        Thread current = Thread.currentThread();
        if (loopThread != current) {
            loopThread = current; // rare: another thread drives the loop now
        }
        ENTRY.setRelease(this, e);
        SEQ.setRelease(this, seq + 1);
    }

    /** Loop thread: a baton-run body took or gave back the loop thread; its stack is the one to report. */
    void threadChanged(Thread t) {
        loopThread = t;
    }

    /** Loop thread: the step ended (L3). */
    void stepEnded() {
        SEQ.setRelease(this, seq + 1);
    }

    /** Stops checking; called when the loop closes. */
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
        long s = (long) SEQ.getAcquire(this);
        long now = System.nanoTime();
        if ((s & 1) == 0 || s != seenSeq) {
            seenSeq = s; // between steps, or a step the checker has not seen before: its clock starts now
            seenSinceNanos = now;
            return;
        }
        if (s == warnedSeq) {
            return;
        }
        long heldNanos = now - seenSinceNanos;
        if (heldNanos < thresholdNanos) {
            return;
        }
        ReadyQueue.Entry e = (ReadyQueue.Entry) ENTRY.getAcquire(this);
        Thread thread = loopThread;
        if ((long) SEQ.getAcquire(this) != s) {
            return; // the step ended while the checker looked
        }
        warnedSeq = s;
        StringBuilder report = new StringBuilder()
                .append("slow step on event loop \"")
                .append(loopName)
                .append("\": ")
                .append(e.task() != null ? "task " + e : "callback " + e)
                .append(" has held the loop thread for at least ")
                .append(TimeUnit.NANOSECONDS.toMillis(heldNanos))
                .append(" ms (threshold ")
                .append(TimeUnit.NANOSECONDS.toMillis(thresholdNanos))
                .append(" ms); nothing else runs on this loop meanwhile.");
        String headline = report.toString();
        StackTraceElement[] stack = thread.getStackTrace();
        String where = "";
        for (StackTraceElement frame : stack) {
            String c = frame.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                where = " In " + frame + " (whole stack at DEBUG and in EventLoop.lastSlowStepReport()).";
                break;
            }
        }
        report.append(" Loop thread stack:");
        for (StackTraceElement frame : stack) {
            report.append("\n\tat ").append(frame);
        }
        lastReport = report.toString();
        dev.yieldloop.trace.FlightEvents.slowStep(loopName, String.valueOf(e), heldNanos, thresholdNanos);
        warnings.incrementAndGet();
        // One line at WARNING; the stack only at DEBUG, so a busy machine's slow step does not flood the output.
        LoopLog.log(LOG, System.Logger.Level.WARNING, headline + where, null);
        LoopLog.log(LOG, System.Logger.Level.DEBUG, lastReport, null);
    }
}
