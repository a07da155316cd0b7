package dev.yieldloop;

// Over the house's 400-line aim: the facade (spawn, execute, submit, snapshot), the engine (ready queue, waiting set,
// the phases) and the lifecycle still live together here. Moving the engine into package-private classes, with the
// iteration untouched, is the next structural step; until then each part is a marked section below.

import dev.yieldloop.internal.IoHandler;
import dev.yieldloop.internal.IoRegistration;
import dev.yieldloop.internal.LoopInternals;
import dev.yieldloop.internal.LoopThread;
import dev.yieldloop.trace.LoopPhase;
import dev.yieldloop.trace.TraceJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A single-threaded event loop on a {@link Selector}, running cooperative {@link Task}s, timers and I/O callbacks.
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
 */
public final class EventLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    /** Delays are clamped to about 36 years so that deadline arithmetic never overflows. */
    static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 3;

    private final LoopOptions options;
    private final NanoClock clock;
    private final Selector selector;
    private final Inbox inbox;
    private volatile int tasksCancelledByClose;
    final ArrayDeque<Object> ready = new ArrayDeque<>();
    final Set<Task<?>> waiting = new LinkedHashSet<>();
    final TimerHeap timers = new TimerHeap();
    private final List<Timer> dueTimers = new ArrayList<>();
    private final Watchdog watchdog;
    private final AsyncMode asyncMode;

    private java.nio.ByteBuffer sharedReadBuffer;

    /** How many promise listeners are running nested on the current stack; see {@link Promise}'s trampoline. */
    int listenerDepth;

    /** The trace journal, or null when tracing is off: every hook is one null check. */
    final TraceJournal trace;

    /** Held by the thread driving the loop: the ownership lock of run/runOnce/runNow/close. */
    private final AtomicBoolean driving = new AtomicBoolean();

    private final LoopThread loopThread;
    private volatile boolean stopRequested;
    private volatile boolean closed;
    private ExceptionHandler exceptionHandler = EventLoop::logError;
    private Task<?> current;
    private long nextTaskId = 1;
    private long nextTimerSequence;
    private long iterations;
    private long interruptsCleared;

    /** A loop with {@link LoopOptions#defaults()}. */
    public EventLoop() {
        this(LoopOptions.defaults());
    }

    /**
     * A loop with the given options. The calling thread is the loop thread until another thread drives the loop.
     *
     * @param options clock, budget and name
     * @throws UncheckedIOException if the selector cannot be opened
     */
    public EventLoop(LoopOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = options.clock();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open selector", e);
        }
        this.inbox = new Inbox(selector);
        this.loopThread = new LoopThread(options.name(), Thread.currentThread());
        LoopLog.warmUp(); // the error paths must not need a file later, when descriptors may have run out
        NioWarmUp.ensure(); // nor may a socket write or a selector close
        long thresholdNanos = options.slowStepThreshold().toNanos();
        this.watchdog = thresholdNanos > 0 ? new Watchdog(this, thresholdNanos) : null;
        this.asyncMode = options.asyncMode().resolve();
        this.trace = options.traceCapacity() > 0 ? new TraceJournal(options.traceCapacity(), clock) : null;
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
        Thread previous = loopThread.owner();
        bind("run");
        try {
            do {
                iterate(true);
            } while (!stopRequested);
        } finally {
            stopRequested = false;
            loopThread.moveTo(
                    previous); // the thread that owned the loop before run() owns it again (after joining this one)
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

    /**
     * Thread-safe. Asks {@link #run()} to return after the current iteration, waking the loop if it is blocked.
     */
    public void stop() {
        stopRequested = true;
        inbox.wakeup();
    }

    /**
     * Thread-safe. Wakes the loop if it is blocked in select, so it runs an iteration.
     */
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
        if (promise.loop() != this) {
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
        if (closed) {
            throw new IllegalStateException(op + ": event loop \"" + options.name() + "\" is closed");
        }
        if (!driving.compareAndSet(false, true)) {
            throw new IllegalStateException(op + ": event loop \"" + options.name() + "\" is already running"
                    + (inLoopThread() ? " (called from inside a task or callback)" : " on " + loopThread.owner()));
        }
        loopThread.moveTo(Thread.currentThread());
        if (trace != null) trace.onDrive();
    }

    /**
     * One iteration: one named call per phase of the diagram above. A Throwable from the loop's own machinery (not
     * user code, which each phase already guards) is reported like a user failure and the loop goes on.
     */
    private int iterate(boolean mayBlock) {
        if (trace != null) trace.onIterationStart();
        int work = 0;
        try {
            long timeoutNanos = mayBlock ? selectTimeoutNanos() : 0; // 1
            select(timeoutNanos); // 2
            if (trace != null) trace.onPhaseEnd(LoopPhase.SELECT, 0);
            work = processIoEvents(); // 3
            if (trace != null) trace.onPhaseEnd(LoopPhase.IO, work);
            work += fireDueTimers(); // 4
            if (trace != null) trace.onPhaseEnd(LoopPhase.TIMERS, work);
            work += drainInbox(); // 5
            if (trace != null) trace.onPhaseEnd(LoopPhase.INBOX, work);
            work += runReady(); // 6
            if (trace != null) trace.onPhaseEnd(LoopPhase.RUN, work);
        } catch (Throwable t) {
            dueTimers.clear();
            reportError("event loop iteration", null, t);
        }
        iterations++;
        return work;
    }

    /** Phase 1: 0 if something can run now, -1 for "forever", else nanoseconds until the earliest timer. */
    private long selectTimeoutNanos() {
        if (!ready.isEmpty() || !inbox.isEmpty() || stopRequested) {
            return 0;
        }
        Timer first = timers.peek();
        if (first == null) {
            return -1;
        }
        return Math.max(0, first.deadlineNanos - clock.nanoTime());
    }

    /** Phase 2: the only place the loop blocks. */
    private void select(long timeoutNanos) {
        try {
            if (timeoutNanos == 0 || !inbox.prepareToSleep()) {
                selector.selectNow();
            } else {
                try {
                    if (timeoutNanos < 0) {
                        selector.select();
                    } else {
                        // Round up: select(0) means "forever", so a sub-millisecond wait must become 1 ms, not 0.
                        selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
                    }
                } finally {
                    inbox.awake();
                }
            }
        } catch (IOException e) {
            reportError("select", null, e);
        }
        if (Thread.interrupted()) {
            // An interrupt makes every later select return at once: clear it so the loop cannot spin (Netty #2426).
            if (interruptsCleared++ == 0) {
                LoopLog.log(
                        LOG, System.Logger.Level.WARNING, "event loop thread was interrupted; interrupt cleared", null);
            }
        }
    }

    /** Phase 3: dispatch ready keys to their handlers, which complete promises and so ready the waiting tasks. */
    private int processIoEvents() {
        Set<SelectionKey> selected = selector.selectedKeys();
        if (selected.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (Iterator<SelectionKey> it = selected.iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            IoRegistration registration = (IoRegistration) key.attachment();
            n++;
            try {
                registration.dispatch(key.readyOps());
            } catch (Throwable t) {
                reportError("I/O handler of " + registration.description(), null, t);
            }
        }
        return n;
    }

    /** Phase 4: collect every due timer first (one clock read), then fire them in deadline-then-scheduling order. */
    private int fireDueTimers() {
        if (timers.isEmpty()) {
            return 0;
        }
        long now = clock.nanoTime();
        for (Timer first = timers.peek(); first != null && first.deadlineNanos - now <= 0; first = timers.peek()) {
            dueTimers.add(timers.poll());
        }
        int n = dueTimers.size();
        for (int i = 0; i < n; i++) {
            Timer timer = dueTimers.get(i);
            try {
                timer.action.run();
            } catch (Throwable t) {
                reportError("timer callback", null, t);
            }
        }
        dueTimers.clear();
        return n;
    }

    /** Loop thread only: the read buffer every channel of this loop shares, allocated on first use. */
    java.nio.ByteBuffer sharedReadBuffer() {
        if (sharedReadBuffer == null) {
            sharedReadBuffer = java.nio.ByteBuffer.allocateDirect(IoRegistration.SHARED_READ_BUFFER_BYTES);
        }
        return sharedReadBuffer;
    }

    /** Loop thread only: a callback for the ready queue, run in a coming phase 6 (Promise's trampoline). */
    void defer(Runnable callback) {
        ready.add(callback);
    }

    /**
     * Makes {@code thread} the loop thread for the confinement checks: a baton-run body while it holds the baton, and
     * the real loop thread again when it hands the baton back ({@link BatonStrand}'s protocol orders the two).
     */
    void passOwnership(Thread thread) {
        loopThread.moveTo(thread);
        if (watchdog != null) {
            watchdog.threadChanged(thread);
        }
    }

    /** Phase 5: move everything other threads submitted into the ready queue, in one batch. */
    private int drainInbox() {
        return inbox.drainTo(ready::add);
    }

    /** Phase 6: run the entries that were ready when this phase began: the only place task code runs. */
    private int runReady() {
        int n = ready.size();
        for (int i = 0; i < n; i++) {
            Object entry = ready.poll();
            if (watchdog != null) {
                watchdog.stepStarted(entry);
            }
            runEntry(entry);
            if (watchdog != null) {
                watchdog.stepEnded();
            }
        }
        return n;
    }

    private void runEntry(Object entry) {
        if (entry instanceof Task<?> task) {
            current = task;
            try {
                task.run();
            } catch (Throwable t) {
                reportError("task step", task.toString(), t);
            } finally {
                current = null;
            }
        } else {
            try {
                ((Runnable) entry).run();
            } catch (Throwable t) {
                reportError("callback", null, t);
            }
        }
    }

    // ---- tasks, callbacks and timers -----------------------------------------------------------------------------

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
        checkOpen("spawn");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(coroutine, "coroutine");
        Task<T> task = new Task<>(this, nextTaskId++, name, coroutine);
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
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
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
        return new AsyncCoroutine<>(this, name, body, asyncMode);
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
        return new Promise<>(this, description);
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
        Timer timer = addTimer(delay.toNanos(), () -> p.complete(null));
        p.onCancel(timer::cancel);
        return p;
    }

    /**
     * Loop thread only. Runs blocking {@code work} on {@code executor} and completes the returned promise with its
     * result on the loop thread (asyncio's {@code run_in_executor}).
     *
     * <p>Cancelling the promise interrupts the work when {@code executor} is an {@link ExecutorService} (through its
     * {@link Future}); otherwise the work runs on and its result is dropped. A result that arrives after the loop closed
     * is dropped.
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
        checkOpen("runInExecutor");
        Objects.requireNonNull(work, "work");
        Promise<T> promise = newPromise("executor work " + work);
        Runnable job = () -> {
            Runnable deliver;
            try {
                T value = work.call();
                deliver = () -> promise.complete(value);
            } catch (Throwable t) {
                deliver = () -> promise.fail(t);
            }
            if (!closed) {
                try {
                    execute(deliver);
                } catch (IllegalStateException closedMeanwhile) {
                    // the loop closed while the work ran: nobody is left to receive the result
                }
            }
        };
        try {
            if (executor instanceof ExecutorService service) {
                Future<?> future = service.submit(job);
                promise.onCancel(() -> future.cancel(true));
            } else {
                executor.execute(job);
            }
        } catch (RuntimeException rejected) {
            promise.fail(rejected);
        }
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
        checkOpen("execute");
        inbox.offer(callback);
        if (closed) {
            // close() may have drained the inbox before or after our offer; either way the callback never runs.
            throw new IllegalStateException("execute: event loop \"" + options.name() + "\" is closed");
        }
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
        Objects.requireNonNull(callable, "callable");
        Submission<T> submission = new Submission<>(callable);
        if (closed) {
            submission.reject(options.name());
            return submission.future;
        }
        inbox.offer(submission);
        if (closed) {
            submission.reject(options.name());
        }
        return submission.future;
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
        return addTimer(unit.toNanos(delay), callback);
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
        return addTimer(deadlineNanos - clock.nanoTime(), callback);
    }

    Timer addTimer(long delayNanos, Runnable action) {
        checkOpen("schedule");
        long clamped = Math.min(Math.max(delayNanos, 0), MAX_DELAY_NANOS);
        Timer timer = new Timer(this, clock.nanoTime() + clamped, nextTimerSequence++, action);
        timers.add(timer);
        return timer;
    }

    /**
     * Thread-safe. The loop's clock.
     *
     * @return the current time in nanoseconds of the loop's {@link NanoClock}
     */
    public long nanoTime() {
        return clock.nanoTime();
    }

    /**
     * Thread-safe. The options the loop was created with.
     *
     * @return the options
     */
    public LoopOptions options() {
        return options;
    }

    // ---- I/O -----------------------------------------------------------------------------------------------------

    static {
        LoopInternals.grant(EventLoop::register); // the one door from net/ and process/ to the selector
    }

    /** Loop thread only: {@link LoopInternals#register}, which net/ and process/ call; not part of the public API. */
    private IoRegistration register(SelectableChannel channel, String description, IoHandler handler)
            throws ClosedChannelException {
        checkInLoop("register");
        checkOpen("register");
        if (channel.isBlocking()) {
            throw new IllegalStateException("register: channel must be in non-blocking mode");
        }
        SelectionKey key = channel.register(selector, 0);
        IoRegistration registration = new IoRegistration(loopThread, key, handler, description, this::sharedReadBuffer);
        key.attach(registration);
        return registration;
    }

    // ---- failures ------------------------------------------------------------------------------------------------

    /**
     * Loop thread only. Replaces the exception handler (asyncio's {@code set_exception_handler}).
     *
     * @param handler the new handler; null restores the default, which logs through {@link System.Logger}
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        checkInLoop("setExceptionHandler");
        this.exceptionHandler = handler == null ? EventLoop::logError : handler;
    }

    void reportError(String where, String task, Throwable error) {
        ExceptionHandler.ErrorReport report = new ExceptionHandler.ErrorReport(where, task, error);
        try {
            exceptionHandler.handle(report);
        } catch (Throwable broken) {
            String text = "exception handler failed while handling an error in " + where;
            try {
                text = "exception handler failed while handling: " + report; // an error's toString() may throw too
                broken.addSuppressed(error);
            } catch (Throwable ignored) {
                // self-suppression or a broken toString(): still reported below
            }
            LoopLog.log(LOG, System.Logger.Level.ERROR, text, broken);
        }
    }

    void onUnobservedTaskFailure(Task<?> task, Throwable failure) {
        reportError("task (nobody awaited it)", task.toString(), failure);
    }

    private static void logError(ExceptionHandler.ErrorReport report) {
        LoopLog.log(LOG, System.Logger.Level.WARNING, report.toString(), report.error());
    }

    // ---- introspection -------------------------------------------------------------------------------------------

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
        if (loopThread.isCurrent()) {
            return takeSnapshot();
        }
        try {
            return snapshotAsync().get(SNAPSHOT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a snapshot of loop " + options.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "loop \"" + options.name() + "\" did not take a snapshot within " + SNAPSHOT_WAIT_MILLIS + " ms",
                    e);
        }
    }

    /** How long {@link #snapshot()} waits for the loop thread when called from another thread, in milliseconds. */
    public static final long SNAPSHOT_WAIT_MILLIS = 5_000;

    private LoopSnapshot takeSnapshot() {
        List<LoopSnapshot.TaskInfo> readyTasks = new ArrayList<>();
        int callbacks = 0;
        for (Object entry : ready) {
            if (entry instanceof Task<?> t) {
                readyTasks.add(info(t));
            } else {
                callbacks++;
            }
        }
        List<LoopSnapshot.TaskInfo> waitingTasks = new ArrayList<>(waiting.size());
        for (Task<?> t : waiting) {
            waitingTasks.add(info(t));
        }
        return new LoopSnapshot(
                options.name(),
                iterations,
                current == null ? null : info(current),
                readyTasks,
                waitingTasks,
                callbacks,
                timers.size(),
                inbox.size(),
                closed ? 0 : selector.keys().size());
    }

    /**
     * Thread-safe. Takes a {@link #snapshot()} on the loop thread through the inbox.
     *
     * @return a future of the snapshot; completes only while the loop is being driven
     */
    public CompletableFuture<LoopSnapshot> snapshotAsync() {
        return submit(this::takeSnapshot);
    }

    private static LoopSnapshot.TaskInfo info(Task<?> t) {
        return new LoopSnapshot.TaskInfo(t.id(), t.name(), t.stateUnchecked(), t.waitReason());
    }

    /**
     * Thread-safe. The trace journal, when {@link LoopOptions#withTrace(int)} turned it on; its {@link
     * TraceJournal#snapshot()} may be read from any thread while the loop runs.
     *
     * @return the journal, or empty when tracing is off
     */
    public Optional<TraceJournal> journal() {
        return Optional.ofNullable(trace);
    }

    /**
     * Loop thread only. Iterations completed so far.
     *
     * @return the count
     */
    public long iterations() {
        checkInLoop("iterations");
        return iterations;
    }

    /**
     * Thread-safe. How many slow steps the watchdog has warned about (see {@link LoopOptions#slowStepThreshold()}).
     *
     * @return the number of warnings, 0 when the watchdog is off
     */
    public long slowStepWarnings() {
        return watchdog == null ? 0 : watchdog.warnings();
    }

    /**
     * Thread-safe. The watchdog's last warning: the task, how long it held the loop, and the loop thread's stack.
     *
     * @return the last report, or an empty string when there was none
     */
    public String lastSlowStepReport() {
        return watchdog == null ? "" : watchdog.lastReport();
    }

    /**
     * Thread-safe. Whether the calling thread is the loop thread (Netty's {@code inEventLoop()}).
     *
     * @return true on the loop thread
     */
    public boolean inLoopThread() {
        return loopThread.isCurrent();
    }

    /**
     * Thread-safe. Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
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
        loopThread.check(op);
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": event loop \"" + options.name() + "\" is closed");
        }
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
        if (closed) {
            return;
        }
        if (!driving.compareAndSet(false, true)) {
            throw new IllegalStateException("close: cannot close a running event loop; stop() it and let run() return");
        }
        loopThread.moveTo(Thread.currentThread());
        try {
            closed = true;
            List<Task<?>> alive = new ArrayList<>(waiting);
            for (Object entry : ready) {
                if (entry instanceof Task<?> t) {
                    alive.add(t);
                }
            }
            ready.clear();
            tasksCancelledByClose = alive.size();
            for (Task<?> t : alive) {
                t.abandon(new CancellationException("event loop closed while " + t + " was alive"));
            }
            if (!alive.isEmpty()) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "event loop \"" + options.name() + "\" closed with " + alive.size()
                                + " task(s) alive, now cancelled: " + alive);
            }
            timers.clear();
            if (watchdog != null) {
                watchdog.stop();
            }
            inbox.drainTo(r -> {
                if (r instanceof Submission<?> s) {
                    s.reject(options.name());
                }
            });
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
        } finally {
            driving.set(false);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Throwable e) { // an Error too: close() must release what it can and return
            LoopLog.log(LOG, System.Logger.Level.DEBUG, "error while closing " + c, e);
        }
    }

    /** An inbox entry that completes a future with the result of a callable. */
    private static final class Submission<T> implements Runnable {
        final Callable<T> callable;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Submission(Callable<T> callable) {
            this.callable = callable;
        }

        @Override
        public void run() {
            try {
                future.complete(callable.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }

        void reject(String loopName) {
            future.completeExceptionally(new IllegalStateException("event loop \"" + loopName + "\" is closed"));
        }
    }
}
