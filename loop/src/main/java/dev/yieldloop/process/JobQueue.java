package dev.yieldloop.process;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.trace.TraceJournal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * The pool's jobs waiting for a free worker: a FIFO queue bounded by {@link ProcessPoolOptions#maxQueuedJobs()}, which
 * also turns a submission into a {@link PendingJob} (argument encoded with the job's own codec, checked against the
 * frame cap) or into a promise failed at once (CPython's {@code ProcessPoolExecutor} call queue, bounded).
 *
 * <p>Threading: loop thread only.
 */
final class JobQueue {

    private final EventLoop loop;
    private final ProcessPoolOptions options;
    private final TraceJournal trace; // the loop's journal, or null when tracing is off
    private final ArrayDeque<PendingJob<?, ?>> queue = new ArrayDeque<>();
    private final Map<Class<?>, ProcessJob<?, ?>> prototypes = new HashMap<>();
    private long nextJobId = 1;

    JobQueue(EventLoop loop, ProcessPoolOptions options, TraceJournal trace) {
        this.loop = loop;
        this.options = options;
        this.trace = trace;
    }

    /**
     * Queues a job, or fails its promise at once.
     *
     * @param job the job class
     * @param argument the argument, encoded here
     * @param brokenReason why the pool is broken, or null while it is not
     * @return the job's promise: failed with {@link ProcessPoolBrokenException}, {@link RejectedExecutionException}
     *     (queue full), or the codec's exception or {@link IllegalArgumentException} (beyond the frame cap);
     *     cancelling it cancels the job
     * @throws IllegalArgumentException if the job class cannot be instantiated here
     */
    <A, R> Promise<R> submit(Class<? extends ProcessJob<A, R>> job, A argument, String brokenReason) {
        @SuppressWarnings("unchecked")
        ProcessJob<A, R> prototype = (ProcessJob<A, R>) prototypes.computeIfAbsent(job, JobQueue::instantiate);
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
        promise.onCancel(() -> cancel(pending));
        queue.add(pending);
        return promise;
    }

    /**
     * Gives waiting jobs to idle workers, oldest job first, and sends each its JOB frame.
     *
     * @param slots the pool's workers
     */
    void dispatch(Worker[] slots) {
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

    /** A job's promise was cancelled: dequeue the job, or kill the worker running it (its slot gets another). */
    private void cancel(PendingJob<?, ?> job) {
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

    private static ProcessJob<?, ?> instantiate(Class<?> job) {
        try {
            return (ProcessJob<?, ?>) job.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException(
                    job.getName() + " must be a public ProcessJob with a public no-argument constructor", e);
        }
    }

    /** Jobs waiting. */
    int size() {
        return queue.size();
    }

    /** Takes every waiting job, oldest first, to fail them. */
    List<PendingJob<?, ?>> drain() {
        List<PendingJob<?, ?>> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }
}
