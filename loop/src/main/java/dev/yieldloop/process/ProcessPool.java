package dev.yieldloop.process;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.trace.TraceJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Worker JVMs for CPU-bound work, driven by an {@link EventLoop}: a job goes out over a Unix domain socket the loop's
 * selector watches, and its result comes back as an ordinary loop event that completes a {@link Promise} on the loop
 * thread (CPython's {@code ProcessPoolExecutor} with {@code loop.run_in_executor}, but with the pipes on the loop
 * itself).
 *
 * <h2>Shape</h2>
 *
 * <ul>
 *   <li>{@link ProcessPoolOptions#workers()} processes, each started with the same {@code java} and class path as
 *       this JVM, running {@link WorkerMain}; each connects to a socket in a private directory (mode 0700) and proves
 *       it is ours with a random token passed in its environment.
 *   <li>A job is a {@link ProcessJob} class plus an argument, encoded by the job's own {@link Codec}: the {@linkplain
 *       Wire wire format} is explicit and length-prefixed with a frame cap; nothing is Java-deserialized.
 *   <li>Each worker runs one job at a time. Jobs beyond the free workers wait in a FIFO queue bounded by {@link
 *       ProcessPoolOptions#maxQueuedJobs()}.
 * </ul>
 *
 * <h2>Failure semantics</h2>
 *
 * <ul>
 *   <li>A job that throws fails its promise with {@link JobFailedException}; the worker lives on.
 *   <li>A worker that dies (exit, kill, halt) or breaks the protocol (truncated or garbage frame) fails only its own
 *       job, with {@link WorkerCrashedException} naming the exit code, and its slot gets a new worker.
 *   <li>After more than {@link ProcessPoolOptions#maxCrashes()} crashes the pool is broken: queued and later jobs fail
 *       with {@link ProcessPoolBrokenException}.
 *   <li>Cancelling a job's promise dequeues it, or kills the worker running it (a JVM cannot stop a computation
 *       safely in place) and starts a replacement; a deadline ({@link #submit(Class, Object, Duration)}) is
 *       cancellation with a timer. Neither counts as a crash.
 *   <li>{@link #close()} fails what is pending, stops every worker and waits for it, so no child process outlives the
 *       pool.
 * </ul>
 *
 * <p>Threading: loop thread only, like the promises it returns. Close the pool before its loop.
 */
public final class ProcessPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProcessPool.class.getName());

    private final EventLoop loop;
    private final TraceJournal trace; // the loop's journal, or null when tracing is off
    private final ProcessPoolOptions options;
    private final WorkerLauncher launcher;
    private final Worker[] slots;
    private final JobQueue queue;
    private final Promise<Void> ready;
    private final long startNanos;
    private long startupNanos = -1;
    private int crashes;
    private int replacements;
    private String brokenReason;
    private boolean closed;

    private ProcessPool(EventLoop loop, ProcessPoolOptions options) throws IOException {
        this.loop = loop;
        this.trace = loop.journal().orElse(null);
        this.options = options;
        this.slots = new Worker[options.workers()];
        this.ready = loop.newPromise("process pool start-up");
        this.queue = new JobQueue(loop, options, trace);
        this.launcher = new WorkerLauncher(loop, options, new ConnectionListener(), this::judgeExit);
        this.startNanos = System.nanoTime();
    }

    /**
     * Loop thread only. Starts a pool: creates its socket and launches every worker. Workers connect in the
     * background; jobs submitted before that wait in the queue. {@link #ready()} tells when all have connected.
     *
     * @param loop the loop that will carry results; it must be driven for workers to connect
     * @param options sizes, launcher and class path
     * @return the pool
     * @throws IOException if the socket cannot be created or a worker cannot be launched
     * @throws IllegalStateException off the loop thread
     */
    public static ProcessPool start(EventLoop loop, ProcessPoolOptions options) throws IOException {
        loop.checkInLoop("ProcessPool.start");
        Objects.requireNonNull(options, "options");
        ProcessPool pool = new ProcessPool(loop, options);
        try {
            for (int slot = 0; slot < pool.slots.length; slot++) {
                pool.slots[slot] = pool.launcher.launch(slot);
            }
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
        pool.launcher.acceptWhile(pool.anyStarting());
        return pool;
    }

    /**
     * Loop thread only. Runs {@code job} on {@code argument} in a worker process.
     *
     * @param job the job class: public, with a public no-argument constructor, on the workers' class path
     * @param argument the argument, encoded here with the job's {@link ProcessJob#argumentCodec()}
     * @param <A> the argument type
     * @param <R> the result type
     * @return a promise completed on the loop thread with the result; failed with {@link JobFailedException} (the job
     *     threw), {@link WorkerCrashedException} (its worker died), {@link RejectedExecutionException} (queue full),
     *     {@link ProcessPoolBrokenException}, {@link IllegalArgumentException} (argument or result beyond the frame
     *     cap, or not decodable), or cancelled when the pool closes. Cancelling it cancels the job.
     * @throws IllegalStateException off the loop thread or once the pool is closed
     * @throws IllegalArgumentException if the job class cannot be instantiated here
     */
    public <A, R> Promise<R> submit(Class<? extends ProcessJob<A, R>> job, A argument) {
        loop.checkInLoop("ProcessPool.submit");
        if (closed) {
            throw new IllegalStateException("ProcessPool.submit: the pool is closed");
        }
        Promise<R> promise = queue.submit(job, argument, brokenReason);
        queue.dispatch(slots);
        return promise;
    }

    /**
     * Loop thread only. {@link #submit(Class, Object)} with a deadline: at {@code deadline} the returned promise fails
     * with {@link java.util.concurrent.TimeoutException} and the job is cancelled (dequeued, or its worker killed and
     * replaced).
     *
     * @param job the job class
     * @param argument the argument
     * @param deadline how long the job may take from now, queueing included
     * @param <A> the argument type
     * @param <R> the result type
     * @return a promise of the result, failed with {@code TimeoutException} at the deadline
     * @throws IllegalStateException off the loop thread or once the pool is closed
     */
    public <A, R> Promise<R> submit(Class<? extends ProcessJob<A, R>> job, A argument, Duration deadline) {
        return submit(job, argument).orTimeout(deadline);
    }

    /** Whether some worker still has to connect. */
    private boolean anyStarting() {
        return Arrays.stream(slots).anyMatch(w -> w != null && w.state() == WorkerState.STARTING);
    }

    private void onHello(WorkerConnection c, Wire.Hello hello) {
        Worker w = launcher.identify(c, hello, slots);
        if (w == null) {
            return;
        }
        launcher.acceptWhile(anyStarting());
        if (startupNanos < 0 && allConnected()) {
            startupNanos = System.nanoTime() - startNanos;
            ready.complete(null);
        }
        queue.dispatch(slots);
    }

    private boolean allConnected() {
        return Arrays.stream(slots)
                .allMatch(w -> w != null && (w.state() == WorkerState.IDLE || w.state() == WorkerState.BUSY));
    }

    private void onAnswer(Worker w, Wire.Message message) {
        long jobId = message instanceof Wire.Result r ? r.jobId() : ((Wire.Failure) message).jobId();
        PendingJob<?, ?> job = w.job;
        boolean running = w.state() == WorkerState.BUSY || w.state() == WorkerState.EXITED;
        if (!running || job == null || job.id != jobId) {
            if (running && job == null && w.killedByPool()) {
                return; // the answer of a job cancelled a moment ago: its worker is being killed
            }
            protocolBreach(w, "answer for job " + jobId + " which it was not running");
            return;
        }
        w.job = null;
        if (w.state() == WorkerState.BUSY) {
            w.transitionTo(WorkerState.IDLE);
        } // an exited worker's last answer completes its job; the worker stays EXITED
        if (trace != null) trace.onJobAnswered(job.id, w.process.pid(), job.className, message instanceof Wire.Failure);
        job.answer(message);
        queue.dispatch(slots);
    }

    private void protocolBreach(Worker w, String what) {
        w.recordTrouble("protocol error: " + what);
        w.connection.close();
        w.kill();
    }

    /** Judges an exited worker once its socket is read to the end: a crash or not, then a replacement. */
    private void judgeExit(Worker w, WorkerState was) {
        if (w.state() == WorkerState.DEAD) {
            return;
        }
        w.transitionTo(WorkerState.DEAD);
        w.cancelTimers();
        if (closed) {
            return;
        }
        int exitCode = w.process.exitValue();
        PendingJob<?, ?> job = w.job;
        w.job = null;
        if (!w.killedByPool()) {
            crashes++;
            String what = w + " exited with code " + exitCode
                    + (w.exitReason() == null ? "" : " (" + w.exitReason().detail() + ")")
                    + (was == WorkerState.STARTING ? " before it connected" : "");
            LOG.log(
                    System.Logger.Level.WARNING,
                    "process pool: " + what + (job == null ? "" : " while running " + job));
            if (job != null) {
                job.promise.fail(new WorkerCrashedException(what + " while running " + job, exitCode));
            }
            if (crashes > options.maxCrashes()) {
                breakPool("process pool broken: " + crashes + " worker crashes (more than maxCrashes = "
                        + options.maxCrashes() + "); last: " + what);
                return;
            }
        }
        if (brokenReason != null) {
            return;
        }
        try {
            slots[w.slot] = launcher.launch(w.slot);
            launcher.acceptWhile(true);
            replacements++;
        } catch (IOException e) {
            crashes++;
            breakPool("process pool broken: cannot launch a replacement for " + w + ": " + e);
        }
    }

    private void breakPool(String reason) {
        brokenReason = reason;
        LOG.log(System.Logger.Level.ERROR, reason);
        for (PendingJob<?, ?> job : queue.drain()) {
            job.promise.fail(new ProcessPoolBrokenException(reason));
        }
        for (Worker w : slots) {
            if (w != null && w.state() != WorkerState.DEAD) {
                if (w.job != null) {
                    w.job.promise.fail(new ProcessPoolBrokenException(reason));
                    w.job = null;
                }
                w.killByPool("the pool is broken");
            }
        }
        ready.fail(new ProcessPoolBrokenException(reason));
        launcher.acceptWhile(false);
    }

    /**
     * Loop thread only. A promise completed once every worker has connected the first time, failed if the pool breaks
     * first.
     *
     * @return the start-up promise
     */
    public Promise<Void> ready() {
        loop.checkInLoop("ProcessPool.ready");
        return ready;
    }

    /**
     * Loop thread only. How long the pool took from {@link #start} until every worker had connected: the start-up cost
     * a user pays once, measured and reported rather than hidden.
     *
     * @return nanoseconds, or -1 while not all have connected
     */
    public long startupNanos() {
        loop.checkInLoop("ProcessPool.startupNanos");
        return startupNanos;
    }

    /**
     * Loop thread only. The pool's counters.
     *
     * @return workers, queued and running jobs, crashes, replacements, and whether the pool is broken
     */
    public Stats stats() {
        loop.checkInLoop("ProcessPool.stats");
        int busy = 0;
        int connected = 0;
        for (Worker w : slots) {
            if (w != null && w.state() == WorkerState.BUSY) {
                busy++;
            }
            if (w != null && (w.state() == WorkerState.BUSY || w.state() == WorkerState.IDLE)) {
                connected++;
            }
        }
        return new Stats(slots.length, connected, busy, queue.size(), crashes, replacements, brokenReason != null);
    }

    /**
     * Loop thread only. The process ids of the current workers, in slot order, for monitoring and tests.
     *
     * @return one pid per slot with a live worker
     */
    public List<Long> workerPids() {
        loop.checkInLoop("ProcessPool.workerPids");
        List<Long> pids = new ArrayList<>();
        for (Worker w : slots) {
            if (w != null && w.state() != WorkerState.DEAD) {
                pids.add(w.process.pid());
            }
        }
        return pids;
    }

    /**
     * The pool's counters at one moment.
     *
     * @param workers slots in the pool
     * @param connected workers connected and able to take a job
     * @param busy workers running a job
     * @param queued jobs waiting for a worker
     * @param crashes workers that died unasked so far
     * @param replacements workers started to replace dead ones
     * @param broken whether the pool gave up ({@link ProcessPoolBrokenException})
     */
    public record Stats(
            int workers, int connected, int busy, int queued, int crashes, int replacements, boolean broken) {}

    /**
     * Loop thread only. Closes the pool: fails queued and running jobs as cancelled, asks every worker to quit, waits
     * for each to exit (killing those that do not within 2 s), and removes the socket and its directory. It blocks
     * the loop thread for as long as that takes (normally a few milliseconds). Closing twice does nothing.
     */
    @Override
    public void close() {
        loop.checkInLoop("ProcessPool.close");
        if (closed) {
            return;
        }
        closed = true;
        List<PendingJob<?, ?>> pending = queue.drain();
        for (Worker w : slots) {
            if (w != null && w.job != null) {
                pending.add(w.job);
                w.job = null;
            }
        }
        for (PendingJob<?, ?> job : pending) {
            job.promise.fail(new CancellationException("process pool closed before " + job + " finished"));
        }
        launcher.stopAll(slots);
        launcher.close();
        if (!ready.isDone()) {
            ready.fail(new CancellationException("process pool closed before every worker connected"));
        }
    }

    /**
     * Loop thread only. The private directory holding the pool's socket (mode 0700), for tests and diagnostics.
     *
     * @return the directory, removed by {@link #close()}
     */
    public Path socketDirectory() {
        loop.checkInLoop("ProcessPool.socketDirectory");
        return launcher.socketDirectory();
    }

    private final class ConnectionListener implements WorkerConnection.Listener {
        @Override
        public void onMessage(WorkerConnection c, Wire.Message message) {
            if (c.worker == null) {
                if (message instanceof Wire.Hello hello) {
                    onHello(c, hello);
                } else {
                    launcher.refuse(c);
                }
                return;
            }
            if (message instanceof Wire.Result || message instanceof Wire.Failure) {
                onAnswer(c.worker, message);
            } else {
                protocolBreach(c.worker, "unexpected " + message.getClass().getSimpleName() + " frame");
            }
        }

        @Override
        public void onBroken(WorkerConnection c, String reason) {
            launcher.onBroken(c, reason);
        }
    }
}
