package dev.yieldloop;

// Over the house's 400-line aim on purpose: this is the facade, and what is left is the iteration (one call per phase)
// and the loop's 36 public methods and 2 constructors, each a few lines delegating to the engine (LoopCore, IoPoller,
// LoopIntrospection, FailureReporter, ExecutorWork, Submission) under the Javadoc the house rules ask of every public
// method (about half the file). Shortening it further means splitting the public API itself.

import dev.yieldloop.internal.LoopInternals;
import dev.yieldloop.trace.LoopPhase;
import dev.yieldloop.trace.TraceJournal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A single-threaded event loop on a {@link java.nio.channels.Selector}, running cooperative {@link Task}s, timers and I/O callbacks.
 *
 * <h2>The iteration</h2>
 *
 * <pre>
 *    ┌──────────────────────────────────────────────────────────────┐
 *    │ 1. timeout = 0 if ready queue or inbox non-empty,            │
 *    │              else until the earliest timer, else forever     │
 *    │ 2. select(timeout)              ← the only place it blocks   │
 *    │ 3. ready I/O keys   → wake their waiting tasks  (→ ready)    │
 *    │ 4. expired timers   → fire / wake sleepers      (→ ready)    │
 *    │ 5. drain the inbox  → callbacks and tasks       (→ ready)    │
 *    │ 6. run the tasks that were ready when this step began,       │
 *    │    each until its next marked point                          │
 *    └──────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Phase 6 runs a snapshot count: a task that readies itself (a yield, an already complete await past its budget)
 * runs in the next iteration, after I/O and timers have been looked at (asyncio's {@code _run_once} rule). Phase 4
 * collects every due timer before firing any, reading the clock once. All work per iteration is proportional to the
 * work done, not to the number of tasks alive.
 *
 * <h2>Threads</h2>
 *
 * <p>The loop thread is the thread inside {@link #run()}; otherwise the thread that created the loop or last called
 * {@link #runOnce()}, {@link #runNow()} or {@link #close()}. Loop state is touched only there: methods documented "Loop thread
 * only." fail fast elsewhere with {@link IllegalStateException}. The thread-safe entry points are {@link
 * #execute(Runnable)}, {@link #submit(Callable)}, {@link #snapshotAsync()}, {@link #wakeup()}, {@link #stop()}, {@link
 * #inLoopThread()}, {@link #startThread()}, {@link #asyncMode()} and {@link Promise#toCompletableFuture()}. A
 * straight-line body ({@link #spawnAsync}) is the loop thread while it runs, whichever thread carries it.
 *
 * <h2>Failures</h2>
 *
 * <p>User code never kills the loop thread: a task that throws fails its promise; a timer callback, listener, inbox
 * callback or I/O handler that throws is reported to the {@link ExceptionHandler}, as is a task failure nobody was
 * waiting for.
 *
 * <h2>Structure</h2>
 *
 * <p>This class is the facade and drives the iteration. The engine is package-private: {@code LoopCore} (the
 * confinement guard, the {@code ReadyQueue}, the {@code WaitingSet}, the timer heap and phases 4 and 6), {@code
 * IoPoller} (the selector, phases 2 and 3), {@code LoopIntrospection} (snapshots, the watchdog's findings) and {@code
 * FailureReporter} (the exception handler funnel). Tasks, promises and timers hold the engine, never this facade.
 */
public final class EventLoop implements AutoCloseable {

    static {
        LoopInternals.grant((loop, channel, description, handler) -> loop.io.register(channel, description, handler));
    }

    private final LoopOptions options;
    private final LoopCore core;
    private final IoPoller io;
    private final Inbox inbox;
    private final LoopIntrospection introspection;
    private final AsyncMode asyncMode;
    /** Held by the thread driving the loop: the ownership lock of run/runOnce/runNow/close. */
    private final AtomicBoolean driving = new AtomicBoolean();

    private volatile boolean stopRequested;
    private volatile int tasksCancelledByClose;

    /** A loop with {@link LoopOptions#defaults()}. */
    public EventLoop() {
        this(LoopOptions.defaults());
    }

    /**
     * A loop with the given options. The calling thread is the loop thread until another thread drives the loop.
     *
     * @param options clock, budget and name
     * @throws java.io.UncheckedIOException if the selector cannot be opened
     */
    public EventLoop(LoopOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        LoopLog.warmUp(); // the error paths must not need a file later, when descriptors may have run out
        NioWarmUp.ensure(); // nor may a socket write or a selector close
        this.core = new LoopCore(options);
        this.io = new IoPoller(core);
        this.inbox = io.inbox;
        this.introspection = new LoopIntrospection(core, io);
        this.asyncMode = options.asyncMode().resolve();
    }

    // ---- driving the loop ----------------------------------------------------------------------------------------

    /**
     * Runs iterations on the calling thread until {@link #stop()} is called; at least one iteration runs. While it
     * runs, the calling thread is the loop thread; when it returns, the previous loop thread is again (it should
     * {@link Thread#join()} this one before touching the loop).
     *
     * @throws IllegalStateException if the loop is closed or already being driven by a thread
     */
    public void run() {
        Thread previous = core.thread.owner();
        bind("run");
        try {
            do {
                iterate(true);
            } while (!stopRequested);
        } finally {
            stopRequested = false;
            core.thread.moveTo(previous); // the thread that owned the loop before run() owns it again (after a join)
            driving.set(false);
        }
    }

    /**
     * Runs one iteration on the calling thread, blocking in select as phase 1 computes (libuv's {@code
     * UV_RUN_ONCE}).
     *
     * @return the work done: I/O events, timers fired, inbox items and ready entries run
     * @throws IllegalStateException if the loop is closed, being driven by another thread, or called from a task
     */
    public int runOnce() {
        return driveOnce(true);
    }

    /**
     * Runs one iteration on the calling thread without ever blocking: select is {@code selectNow()} (libuv's {@code
     * UV_RUN_NOWAIT}). For tests on a fake clock and for embedding the loop in another loop.
     *
     * @return the work done, as for {@link #runOnce()}
     * @throws IllegalStateException as for {@link #runOnce()}
     */
    public int runNow() {
        return driveOnce(false);
    }

    /**
     * Thread-safe. Starts a new platform thread named after the loop that calls {@link #run()}.
     *
     * @return the started thread; join it after {@link #stop()} before {@link #close()}
     */
    public Thread startThread() {
        Thread t = new Thread(this::run, options.name());
        t.start();
        return t;
    }

    /** Thread-safe. Asks {@link #run()} to return after the current iteration, waking the loop if it is blocked. */
    public void stop() {
        stopRequested = true;
        inbox.wakeup();
    }

    /** Thread-safe. Wakes the loop if it is blocked in select, so it runs an iteration. */
    public void wakeup() {
        inbox.wakeup();
    }

    /**
     * Runs iterations on the calling thread until {@code promise} is done, then returns its value or throws its
     * failure as is (asyncio's {@code run_until_complete}); replaces a hand-written {@code while (!p.isDone())
     * loop.runOnce()}. The calling thread stays the loop thread afterwards, as with {@link #runOnce()}.
     *
     * <pre>{@code
     * String greeting = loop.runUntilComplete(loop.spawnAsync("hello", a -> "hello").promise());
     * }</pre>
     *
     * @param promise a promise of this loop
     * @param <T> the value type
     * @return the promise's value
     * @throws Exception the promise's failure, unwrapped ({@link java.util.concurrent.CancellationException} if it was
     *     cancelled)
     * @throws IllegalStateException if the loop is closed, already being driven (including a call from inside a task),
     *     or {@link #stop()} was called before the promise completed
     * @throws IllegalArgumentException if {@code promise} belongs to another loop
     */
    public <T> T runUntilComplete(Promise<T> promise) throws Exception {
        Objects.requireNonNull(promise, "promise");
        if (promise.core() != core) {
            throw new IllegalArgumentException("runUntilComplete: " + promise + " belongs to another loop");
        }
        bind("runUntilComplete");
        try {
            while (!promise.isDone()) {
                if (stopRequested) {
                    stopRequested = false;
                    throw new IllegalStateException(
                            "runUntilComplete: the loop was stopped before " + promise.description() + " completed");
                }
                iterate(true);
            }
        } finally {
            driving.set(false);
        }
        return promise.get();
    }

    private int driveOnce(boolean mayBlock) {
        bind("runOnce");
        try {
            return iterate(mayBlock);
        } finally {
            driving.set(false);
        }
    }

    private void bind(String op) {
        core.checkOpen(op);
        if (!driving.compareAndSet(false, true)) {
            throw new IllegalStateException(op + ": event loop \"" + options.name() + "\" is already running"
                    + (inLoopThread() ? " (called from inside a task or callback)" : " on " + core.thread.owner()));
        }
        core.thread.moveTo(Thread.currentThread());
        if (core.trace != null) core.trace.onDrive();
    }

    /**
     * One iteration: one named call per phase of the diagram above. A Throwable from the loop's own machinery (not
     * user code, which each phase already guards) is reported like a user failure and the loop goes on.
     */
    private int iterate(boolean mayBlock) {
        TraceJournal trace = core.trace;
        if (trace != null) trace.onIterationStart();
        int work = 0;
        try {
            long timeoutNanos = mayBlock ? selectTimeoutNanos() : 0; // 1
            io.select(timeoutNanos); // 2
            if (trace != null) trace.onPhaseEnd(LoopPhase.SELECT, 0);
            work = io.processIoEvents(); // 3
            if (trace != null) trace.onPhaseEnd(LoopPhase.IO, work);
            work += core.fireDueTimers(); // 4
            if (trace != null) trace.onPhaseEnd(LoopPhase.TIMERS, work);
            work += inbox.drainTo(callback -> core.ready.add(ReadyQueue.callback(callback))); // 5
            if (trace != null) trace.onPhaseEnd(LoopPhase.INBOX, work);
            work += core.runReady(); // 6
            if (trace != null) trace.onPhaseEnd(LoopPhase.RUN, work);
        } catch (Throwable t) {
            core.failures.report("event loop iteration", null, t);
        }
        core.iterations++;
        return work;
    }

    /** Phase 1: 0 if something can run now, -1 for "forever", else nanoseconds until the earliest timer. */
    private long selectTimeoutNanos() {
        if (!core.ready.isEmpty() || !inbox.isEmpty() || stopRequested) {
            return 0;
        }
        Timer first = core.timers.peek();
        return first == null ? -1 : Math.max(0, first.deadlineNanos - core.clock.nanoTime());
    }

    // ---- tasks, promises, callbacks and timers -------------------------------------------------------------------

    /**
     * Loop thread only. Creates a task running {@code coroutine} and puts it in the ready queue; it first runs in a
     * later pass of phase 6 (asyncio's {@code create_task}).
     *
     * @param name a name for snapshots, traces and errors
     * @param coroutine the task's body
     * @param <T> the type of the task's value
     * @return the task, READY
     * @throws IllegalStateException off the loop thread or once the loop is closed
     */
    public <T> Task<T> spawn(String name, Coroutine<T> coroutine) {
        checkInLoop("spawn");
        core.checkOpen("spawn");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(coroutine, "coroutine");
        long id = core.nextTaskId();
        Task<T> task = new Task<>(core, id, name, coroutine, newPromise("task t" + id + " \"" + name + "\""));
        task.start();
        return task;
    }

    /**
     * Loop thread only. Creates a task whose body is straight-line code and puts it in the ready queue, like {@link
     * #spawn(String, Coroutine)}: the body suspends only inside the calls of its {@link Await} parameter, each a marked
     * point (asyncio's {@code create_task(coro())} of an {@code async def}). Cancellation arrives as a {@link
     * java.util.concurrent.CancellationException} thrown from the pending {@code await}, so {@code finally} blocks run.
     * While the body runs it is the loop thread: no other task or callback runs until it reaches an {@code await}. How
     * bodies run is {@link #asyncMode()}.
     *
     * @param name a name for snapshots, traces and errors
     * @param body the task's body
     * @param <T> the type of the task's value
     * @return the task, READY
     * @throws IllegalStateException off the loop thread or once the loop is closed
     */
    public <T> Task<T> spawnAsync(String name, AsyncBody<T> body) {
        checkInLoop("spawnAsync");
        return spawn(name, coroutineOf(name, body));
    }

    /**
     * Loop thread only. The coroutine that runs a straight-line {@code body}, for APIs that take a {@link Coroutine}
     * (a {@code TaskScope}'s {@code spawn}, a {@code Semaphore}'s {@code withPermit}). It must be spawned once, on this
     * loop.
     *
     * @param name the name used in the body's error messages (the task's name)
     * @param body the body
     * @param <T> the type of the body's value
     * @return a new coroutine
     * @throws IllegalStateException off the loop thread
     */
    public <T> Coroutine<T> coroutineOf(String name, AsyncBody<T> body) {
        checkInLoop("coroutineOf");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        return new AsyncCoroutine<>(this, core, name, body, asyncMode);
    }

    /**
     * Thread-safe. How this loop runs straight-line bodies: {@link AsyncMode#CONTINUATION} or {@link AsyncMode#BATON},
     * resolved from {@link LoopOptions#asyncMode()} when the loop was created.
     *
     * @return the mode in use, never {@link AsyncMode#AUTO}
     */
    public AsyncMode asyncMode() {
        return asyncMode;
    }

    /**
     * Loop thread only. A new pending promise of this loop.
     *
     * @param <T> the value type
     * @return a pending promise
     */
    public <T> Promise<T> newPromise() {
        return newPromise(null);
    }

    /**
     * Loop thread only. A new pending promise of this loop, described for snapshots.
     *
     * @param description what the promise stands for, e.g. {@code "readable 127.0.0.1:41234"}
     * @param <T> the value type
     * @return a pending promise
     */
    public <T> Promise<T> newPromise(String description) {
        checkInLoop("newPromise");
        return new Promise<>(this, core, description);
    }

    /**
     * Loop thread only. A promise already completed with {@code value} (Netty's {@code newSucceededFuture}).
     *
     * @param value the value, may be null
     * @param <T> the value type
     * @return a completed promise
     */
    public <T> Promise<T> newSucceededPromise(T value) {
        Promise<T> p = newPromise();
        p.complete(value);
        return p;
    }

    /**
     * Loop thread only. A promise already failed with {@code failure} (Netty's {@code newFailedFuture}).
     *
     * @param failure the failure
     * @param <T> the value type
     * @return a failed promise
     */
    public <T> Promise<T> newFailedPromise(Throwable failure) {
        Promise<T> p = newPromise();
        p.fail(failure);
        return p;
    }

    /**
     * Loop thread only. A promise completed with null after {@code delay} on the loop's clock (asyncio's {@code
     * sleep} as a future).
     *
     * @param delay how long; zero or negative completes at the next timer phase
     * @return a promise that a cancelled waiter can cancel, which also cancels its timer
     */
    public Promise<Void> sleep(Duration delay) {
        Promise<Void> p = newPromise("timer at +" + delay.toMillis() + " ms");
        Timer timer = core.addTimer(delay.toNanos(), () -> p.complete(null));
        p.onCancel(timer::cancel);
        return p;
    }

    /**
     * Loop thread only. Runs blocking {@code work} on {@code executor} and completes the returned promise with its
     * result on the loop thread (asyncio's {@code run_in_executor}).
     *
     * <p>Cancelling the promise interrupts the work when {@code executor} is an {@link
     * java.util.concurrent.ExecutorService} (through its {@link java.util.concurrent.Future}); otherwise the work runs
     * on and its result is dropped. A result that arrives after the loop closed is dropped.
     *
     * @param executor where the work runs; must not be the loop thread
     * @param work the blocking work
     * @param <T> the result type
     * @return a promise completed on the loop thread; failed with whatever {@code work} threw, or with {@link
     *     java.util.concurrent.RejectedExecutionException} if the executor refused it
     * @throws IllegalStateException off the loop thread or once the loop is closed
     */
    public <T> Promise<T> runInExecutor(Executor executor, Callable<T> work) {
        checkInLoop("runInExecutor");
        core.checkOpen("runInExecutor");
        Objects.requireNonNull(work, "work");
        Promise<T> promise = newPromise("executor work " + work);
        ExecutorWork.start(executor, work, promise, deliver -> {
            if (!core.isClosed()) {
                execute(deliver);
            }
        });
        return promise;
    }

    /**
     * Thread-safe. Runs {@code callback} on the loop thread in a coming iteration (asyncio's {@code
     * call_soon_threadsafe}). Callbacks from one thread run in the order submitted.
     *
     * @param callback the work; exceptions it throws go to the exception handler
     * @throws IllegalStateException if the loop is closed (the callback then never runs)
     */
    public void execute(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        core.checkOpen("execute");
        inbox.offer(callback);
        // close() may have drained the inbox before or after our offer; either way the callback never runs.
        core.checkOpen("execute");
    }

    /**
     * Thread-safe. Runs {@code callable} on the loop thread and completes the returned future with its result.
     *
     * @param callable the work
     * @param <T> the result type
     * @return a future completed on the loop thread; failed with {@link IllegalStateException} if the loop is or
     *     becomes closed before the work runs
     */
    public <T> CompletableFuture<T> submit(Callable<T> callable) {
        return Submission.offer(inbox, core, Objects.requireNonNull(callable, "callable"));
    }

    /**
     * Loop thread only. Runs {@code callback} on the loop thread after {@code delay} (asyncio's {@code call_later}).
     *
     * @param delay the delay on the loop's clock; clamped to [0, about 36 years]
     * @param unit the unit of {@code delay}
     * @param callback the work, run in phase 4; exceptions go to the exception handler
     * @return the timer, which can be cancelled
     * @throws IllegalStateException off the loop thread or once the loop is closed
     */
    public Timer scheduleAfter(long delay, TimeUnit unit, Runnable callback) {
        checkInLoop("scheduleAfter");
        Objects.requireNonNull(callback, "callback");
        return core.addTimer(unit.toNanos(delay), callback);
    }

    /**
     * Loop thread only. Runs {@code callback} on the loop thread at {@code deadlineNanos} on the loop's clock (asyncio's
     * {@code call_at}).
     *
     * @param deadlineNanos the absolute deadline, as from {@link #nanoTime()}
     * @param callback the work, run in phase 4; exceptions go to the exception handler
     * @return the timer, which can be cancelled
     * @throws IllegalStateException off the loop thread or once the loop is closed
     */
    public Timer scheduleAt(long deadlineNanos, Runnable callback) {
        checkInLoop("scheduleAt");
        Objects.requireNonNull(callback, "callback");
        return core.addTimer(deadlineNanos - core.clock.nanoTime(), callback);
    }

    /**
     * Thread-safe. The loop's clock.
     *
     * @return the current time in nanoseconds of the loop's {@link NanoClock}
     */
    public long nanoTime() {
        return core.clock.nanoTime();
    }

    /**
     * Thread-safe. The options the loop was created with.
     *
     * @return the options
     */
    public LoopOptions options() {
        return options;
    }

    /**
     * Loop thread only. Replaces the exception handler (asyncio's {@code set_exception_handler}).
     *
     * @param handler the new handler; null restores the default, which logs through {@link System.Logger}
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        checkInLoop("setExceptionHandler");
        core.failures.setHandler(handler);
    }

    // ---- introspection -------------------------------------------------------------------------------------------

    /** How long {@link #snapshot()} waits for the loop thread when called from another thread, in milliseconds. */
    public static final long SNAPSHOT_WAIT_MILLIS = LoopIntrospection.SNAPSHOT_WAIT_MILLIS;

    /**
     * Thread-safe. An immutable picture of the loop's queues: the running task, the ready queue, the waiting set with
     * each task's wait reason, and the timer, inbox and channel counts. On the loop thread it is taken at once; from
     * another thread it is taken on the loop thread through the inbox (so the loop must be running), and this call
     * waits up to {@value #SNAPSHOT_WAIT_MILLIS} ms for it.
     *
     * @return the snapshot
     * @throws IllegalStateException if another thread drives the loop and it did not take the snapshot in time (a step
     *     is holding the loop thread: the watchdog names it), or if the wait was interrupted
     */
    public LoopSnapshot snapshot() {
        return introspection.snapshot();
    }

    /**
     * Thread-safe. Takes a {@link #snapshot()} on the loop thread through the inbox.
     *
     * @return a future of the snapshot; completes only while the loop is being driven
     */
    public CompletableFuture<LoopSnapshot> snapshotAsync() {
        return introspection.snapshotAsync();
    }

    /**
     * Thread-safe. The trace journal, when {@link LoopOptions#withTrace(int)} turned it on; its {@link
     * TraceJournal#snapshot()} may be read from any thread while the loop runs.
     *
     * @return the journal, or empty when tracing is off
     */
    public Optional<TraceJournal> journal() {
        return Optional.ofNullable(core.trace);
    }

    /**
     * Loop thread only. Iterations completed so far.
     *
     * @return the count
     */
    public long iterations() {
        checkInLoop("iterations");
        return core.iterations;
    }

    /**
     * Thread-safe. How many slow steps the watchdog has warned about (see {@link LoopOptions#slowStepThreshold()}).
     *
     * @return the number of warnings, 0 when the watchdog is off
     */
    public long slowStepWarnings() {
        return introspection.slowStepWarnings();
    }

    /**
     * Thread-safe. The watchdog's last warning: the task, how long it held the loop, and the loop thread's stack.
     *
     * @return the last report, or an empty string when there was none
     */
    public String lastSlowStepReport() {
        return introspection.lastSlowStepReport();
    }

    /**
     * Thread-safe. Whether the calling thread is the loop thread (Netty's {@code inEventLoop()}).
     *
     * @return true on the loop thread
     */
    public boolean inLoopThread() {
        return core.thread.isCurrent();
    }

    /**
     * Thread-safe. Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return core.isClosed();
    }

    /**
     * Thread-safe. How many tasks {@link #close()} found alive and cancelled (the ones its warning names): 0 for a
     * clean shutdown, and 0 before the loop is closed. For tests and embedders that check nothing was left running.
     *
     * @return the count of tasks cancelled by close
     */
    public int tasksCancelledByClose() {
        return tasksCancelledByClose;
    }

    /**
     * Thread-safe. Fails fast unless called on the loop thread: the confinement check every loop-only method of this
     * library makes, for libraries built on the loop (asyncio's {@code _check_thread}).
     *
     * @param op the operation, named in the message
     * @throws IllegalStateException off the loop thread, with a message stating the rule
     */
    public void checkInLoop(String op) {
        core.thread.check(op);
    }

    // ---- closing -------------------------------------------------------------------------------------------------

    /**
     * Closes the loop: cancels every task still alive (listing them in a warning), drops every timer, rejects work left
     * in the inbox, closes every registered channel and the selector. Closing twice does nothing.
     *
     * <p>Call it when the loop is not running: after {@link #run()} returned (with a happens-before edge, such as
     * {@link Thread#join()}) or between {@link #runOnce()} calls.
     *
     * @throws IllegalStateException if the loop is running (including a call from inside a task: asyncio's "cannot
     *     close a running event loop")
     */
    @Override
    public void close() {
        if (core.isClosed()) {
            return;
        }
        if (!driving.compareAndSet(false, true)) {
            throw new IllegalStateException("close: cannot close a running event loop; stop() it and let run() return");
        }
        core.thread.moveTo(Thread.currentThread());
        try {
            List<Task<?>> alive = core.close();
            tasksCancelledByClose = alive.size();
            if (!alive.isEmpty()) {
                FailureReporter.LOG.log(
                        System.Logger.Level.WARNING,
                        "event loop \"" + options.name() + "\" closed with " + alive.size()
                                + " task(s) alive, now cancelled: " + alive);
            }
            inbox.drainTo(r -> Submission.rejectIfSubmission(r, options.name()));
            io.close();
        } finally {
            driving.set(false);
        }
    }
}
