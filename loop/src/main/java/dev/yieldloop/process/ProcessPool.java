package dev.yieldloop.process;

// Over the house's 400-line aim: the pool facade, worker launch and the private socket directory, accept and
// handshake, the job queue, and crash policy with reaping still share this file. Splitting out a WorkerLauncher and a
// JobQueue, with the pool as the facade, is the next structural step; Worker's state already has its own checked enum.

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Timer;
import dev.yieldloop.net.Connection;
import dev.yieldloop.net.Server;
import dev.yieldloop.trace.TraceJournal;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

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

    /** How long a worker that closed its socket may take to exit before it is killed, in milliseconds. */
    private static final long EXIT_GRACE_MILLIS = 500;

    /** How long {@link #close()} waits for workers to exit after asking, then after killing, in milliseconds. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final EventLoop loop;
    private final TraceJournal trace; // the loop's journal, or null when tracing is off
    private final ProcessPoolOptions options;
    private final Path directory;
    private final Path socketPath;
    private final Server server;
    private final byte[] token = new byte[Wire.TOKEN_BYTES];
    private final Worker[] slots;
    private final ArrayDeque<PendingJob<?, ?>> queue = new ArrayDeque<>();
    private final Map<Class<?>, ProcessJob<?, ?>> prototypes = new HashMap<>();
    private final List<WorkerConnection> unidentified = new ArrayList<>();
    private final WorkerConnection.Listener listener = new ConnectionListener();
    private final Promise<Void> ready;
    private final long startNanos;
    private long startupNanos = -1;
    private long nextJobId = 1;
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
        new SecureRandom().nextBytes(token);
        this.directory = privateDirectory();
        this.socketPath = directory.resolve("pool.sock");
        try {
            this.server = Server.listen(loop, UnixDomainSocketAddress.of(socketPath), 0, this::onAccepted);
        } catch (IOException | RuntimeException e) {
            deleteDirectory();
            throw e;
        }
        server.pauseAccepting(); // until start() has launched the workers
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
                pool.launch(slot);
            }
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
        pool.acceptWhileStarting();
        return pool;
    }

    // ---- submitting ----------------------------------------------------------------------------------------------

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
        @SuppressWarnings("unchecked")
        ProcessJob<A, R> prototype = (ProcessJob<A, R>) prototypes.computeIfAbsent(job, ProcessPool::instantiate);
        long id = nextJobId++;
        Promise<R> promise = loop.newPromise("process job " + id + " (" + job.getSimpleName() + ")");
        if (brokenReason != null) {
            promise.fail(new ProcessPoolBrokenException(brokenReason));
            return promise;
        }
        if (queue.size() >= options.maxQueuedJobs()) {
            promise.fail(new RejectedExecutionException("process pool queue is full (" + options.maxQueuedJobs()
                    + " jobs waiting); submit fewer at once or raise maxQueuedJobs"));
            return promise;
        }
        byte[] encoded;
        try {
            encoded = prototype.argumentCodec().encode(Objects.requireNonNull(argument, "argument"));
        } catch (RuntimeException e) {
            promise.fail(e);
            return promise;
        }
        PendingJob<A, R> pending = new PendingJob<>(id, job.getName(), prototype, encoded, promise);
        if (Wire.jobBodyBytes(pending.className, encoded) > options.frameCapBytes()) {
            promise.fail(new IllegalArgumentException("argument of " + encoded.length
                    + " bytes exceeds the frame cap of " + options.frameCapBytes() + " bytes"));
            return promise;
        }
        promise.onCancel(() -> onJobCancelled(pending));
        queue.add(pending);
        dispatch();
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

    private static ProcessJob<?, ?> instantiate(Class<?> job) {
        try {
            return (ProcessJob<?, ?>) job.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException(
                    job.getName() + " must be a public ProcessJob with a public no-argument constructor", e);
        }
    }

    /** Gives queued jobs to idle workers, oldest job first. */
    private void dispatch() {
        for (int slot = 0; slot < slots.length && !queue.isEmpty(); slot++) {
            Worker w = slots[slot];
            if (w != null && w.state() == WorkerState.IDLE) {
                PendingJob<?, ?> job = queue.poll();
                job.worker = w;
                w.job = job;
                w.transitionTo(WorkerState.BUSY);
                w.connection.send(Wire.job(job.id, job.className, job.argument));
                if (trace != null) trace.onJobDispatched(job.id, w.process.pid(), job.className);
            }
        }
    }

    private void onJobCancelled(PendingJob<?, ?> job) {
        if (job.worker == null) {
            queue.remove(job);
            return;
        }
        Worker w = job.worker;
        if (w.job == job) {
            // A running computation cannot be stopped in place: kill the worker and start another in its slot.
            w.job = null;
            w.killByPool("its job was cancelled");
        }
    }

    // ---- workers -------------------------------------------------------------------------------------------------

    /** Starts a worker process for {@code slot} and puts it there; it connects later. */
    private void launch(int slot) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(options.javaCommand().toString());
        command.addAll(options.jvmArgs());
        command.add("-cp");
        command.add(String.join(File.pathSeparator, options.classPath()));
        command.add(WorkerMain.class.getName());
        command.add(socketPath.toString());
        command.add(Integer.toString(slot));
        command.add(Integer.toString(options.frameCapBytes()));
        // Standard input stays a pipe that the pool never writes to: when this process dies, however it dies (even
        // SIGKILL), the worker reads end of stream and exits instead of running on as an orphan (WorkerMain).
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(WorkerMain.TOKEN_ENV, HexFormat.of().formatHex(token));
        Worker w = new Worker(slot, builder.start(), System.nanoTime());
        w.startTimer = loop.scheduleAfter(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS, () -> {
            if (w.state() == WorkerState.STARTING) {
                w.recordTrouble(
                        "did not connect within " + options.startTimeout().toMillis() + " ms");
                w.kill();
            }
        });
        w.process.onExit().thenRun(() -> {
            try {
                loop.execute(() -> onExited(w));
            } catch (IllegalStateException loopClosed) {
                // the loop is gone: close() already reaped this worker, or the pool was never closed (a bug we log)
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, w + " exited after its loop closed; close pools first");
                }
            }
        });
        slots[slot] = w;
        acceptWhileStarting();
    }

    /** Accepts connections only while some worker is starting: an idle listener costs the selector nothing. */
    private void acceptWhileStarting() {
        if (closed) {
            return;
        }
        boolean anyStarting = false;
        for (Worker w : slots) {
            anyStarting |= w != null && w.state() == WorkerState.STARTING;
        }
        if (anyStarting && brokenReason == null) {
            server.resumeAccepting();
        } else {
            server.pauseAccepting();
        }
    }

    private void onAccepted(Connection connection) {
        WorkerConnection c = new WorkerConnection(connection, options.frameCapBytes(), listener);
        unidentified.add(c);
        c.start();
    }

    private void onHello(WorkerConnection c, Wire.Hello hello) {
        unidentified.remove(c);
        Worker w = hello.slot() >= 0 && hello.slot() < slots.length ? slots[hello.slot()] : null;
        if (w == null
                || !MessageDigest.isEqual(hello.token(), token)
                || w.state() != WorkerState.STARTING
                || w.process.pid() != hello.pid()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "process pool refused a connection with a bad HELLO (slot " + hello.slot() + ", pid " + hello.pid()
                            + ")");
            c.close();
            return;
        }
        c.worker = w;
        w.connection = c;
        w.transitionTo(WorkerState.IDLE);
        w.startupNanos = System.nanoTime() - w.launchNanos;
        w.startTimer.cancel();
        acceptWhileStarting();
        if (startupNanos < 0 && allConnected()) {
            startupNanos = System.nanoTime() - startNanos;
            ready.complete(null);
        }
        dispatch();
    }

    private boolean allConnected() {
        for (Worker w : slots) {
            if (w == null || (w.state() != WorkerState.IDLE && w.state() != WorkerState.BUSY)) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void onAnswer(Worker w, Wire.Message message) {
        long jobId = message instanceof Wire.Result r ? r.jobId() : ((Wire.Failure) message).jobId();
        PendingJob job = w.job;
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
        if (message instanceof Wire.Result r) {
            Object value;
            try {
                value = job.prototype.resultCodec().decode(r.result());
            } catch (RuntimeException e) {
                job.promise.fail(new IllegalArgumentException("result of " + job + " could not be decoded", e));
                dispatch();
                return;
            }
            job.promise.complete(value);
        } else {
            Wire.Failure f = (Wire.Failure) message;
            job.promise.fail(new JobFailedException(f.exceptionClass(), f.text()));
        }
        dispatch();
    }

    private void protocolBreach(Worker w, String what) {
        w.recordTrouble("protocol error: " + what);
        w.connection.close();
        w.kill();
    }

    private void onConnectionBroken(WorkerConnection c, String reason) {
        unidentified.remove(c);
        Worker w = c.worker;
        if (w == null || w.state() == WorkerState.DEAD) {
            return;
        }
        w.recordTrouble(reason);
        // A worker that closed its socket is of no use: give it a moment to exit by itself (so its exit code says
        // what happened), then kill it.
        w.exitGraceTimer = loop.scheduleAfter(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS, () -> {
            if (w.state() != WorkerState.DEAD) {
                w.kill();
            }
        });
    }

    /** The worker's process has exited (a loop event from the process reaper thread through the inbox). */
    private void onExited(Worker w) {
        if (w.state() == WorkerState.DEAD || w.state() == WorkerState.EXITED) {
            return;
        }
        WorkerState was = w.state();
        w.transitionTo(WorkerState.EXITED);
        if (w.connection == null) {
            judgeExit(w, was);
            return;
        }
        // The socket of an exited process ends at once: read a last answer or a truncated frame before judging the
        // exit, whichever of the two events the loop noticed first. A socket that does not end (a child process
        // inherited it) is cut after the exit grace.
        Timer cut = loop.scheduleAfter(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS, w.connection::close);
        w.connection.ended().onComplete(p -> {
            cut.cancel();
            judgeExit(w, was);
        });
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
            launch(w.slot);
            replacements++;
        } catch (IOException e) {
            crashes++;
            breakPool("process pool broken: cannot launch a replacement for " + w + ": " + e);
        }
    }

    private void breakPool(String reason) {
        brokenReason = reason;
        LOG.log(System.Logger.Level.ERROR, reason);
        List<PendingJob<?, ?>> dropped = new ArrayList<>(queue);
        queue.clear();
        for (PendingJob<?, ?> job : dropped) {
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
        server.pauseAccepting();
    }

    // ---- introspection -------------------------------------------------------------------------------------------

    /**
     * Loop thread only. A promise completed once every worker has connected the first time, failed if the pool breaks
     * first.
     *
     * @return the start-up promise
     */
    public Promise<Void> ready() {
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

    // ---- closing -------------------------------------------------------------------------------------------------

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
        List<PendingJob<?, ?>> pending = new ArrayList<>(queue);
        queue.clear();
        for (Worker w : slots) {
            if (w != null && w.job != null) {
                pending.add(w.job);
                w.job = null;
            }
        }
        for (PendingJob<?, ?> job : pending) {
            job.promise.fail(new CancellationException("process pool closed before " + job + " finished"));
        }
        for (Worker w : slots) {
            if (w != null && w.state() != WorkerState.DEAD) {
                w.stopByPool("the pool is closing");
                if (w.connection != null) {
                    w.connection.send(Wire.quit());
                    w.connection.close();
                }
                w.cancelTimers();
                w.process.destroy();
            }
        }
        for (WorkerConnection c : unidentified) {
            c.close();
        }
        unidentified.clear();
        reap();
        server.close();
        deleteDirectory();
        if (!ready.isDone()) {
            ready.fail(new CancellationException("process pool closed before every worker connected"));
        }
    }

    /** Waits for every worker to exit, killing the ones that do not in time. */
    private void reap() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (int round = 0; round < 2; round++) {
            boolean allGone = true;
            for (Worker w : slots) {
                if (w == null) {
                    continue;
                }
                try {
                    long left = Math.max(0, deadline - System.nanoTime());
                    if (!w.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                        allGone = false;
                        w.kill();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    w.kill();
                    allGone = false;
                }
                if (w.state() != WorkerState.DEAD) {
                    w.transitionTo(WorkerState.DEAD);
                }
            }
            if (allGone) {
                return;
            }
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        }
        for (Worker w : slots) {
            if (w != null && w.process.isAlive()) {
                LOG.log(System.Logger.Level.ERROR, "process pool: " + w + " survived SIGKILL for 2 s");
            }
        }
    }

    private static Path privateDirectory() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory(
                    "yieldloop-pool-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory("yieldloop-pool-");
    }

    private void deleteDirectory() {
        try {
            Files.deleteIfExists(directory.resolve("pool.sock"));
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the pool's socket directory " + directory, e);
        }
    }

    /**
     * Loop thread only. The private directory holding the pool's socket (mode 0700), for tests and diagnostics.
     *
     * @return the directory, removed by {@link #close()}
     */
    public Path socketDirectory() {
        return directory;
    }

    /** A submitted job, from the queue to its answer. */
    static final class PendingJob<A, R> {
        final long id;
        final String className;
        final ProcessJob<A, R> prototype;
        final byte[] argument;
        final Promise<R> promise;
        Worker worker;

        PendingJob(long id, String className, ProcessJob<A, R> prototype, byte[] argument, Promise<R> promise) {
            this.id = id;
            this.className = className;
            this.prototype = prototype;
            this.argument = argument;
            this.promise = promise;
        }

        @Override
        public String toString() {
            return "job " + id + " (" + className + ")";
        }
    }

    private final class ConnectionListener implements WorkerConnection.Listener {
        @Override
        public void onMessage(WorkerConnection c, Wire.Message message) {
            if (c.worker == null) {
                if (message instanceof Wire.Hello hello) {
                    onHello(c, hello);
                } else {
                    unidentified.remove(c);
                    c.close();
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
            onConnectionBroken(c, reason);
        }
    }
}
