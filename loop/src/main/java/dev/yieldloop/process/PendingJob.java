package dev.yieldloop.process;

import dev.yieldloop.Promise;

/**
 * A submitted job, from the {@link JobQueue} to its answer: its id, its class's binary name, the job's prototype (for
 * the result codec), the encoded argument, its promise, and the worker running it once dispatched.
 *
 * <p>Threading: loop thread only.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
final class PendingJob<A, R> {
    final long id;
    final String className;
    final ProcessJob<A, R> prototype;
    final byte[] argument;
    final Promise<R> promise;
    /** The worker running it; null while queued. */
    Worker worker;

    PendingJob(long id, String className, ProcessJob<A, R> prototype, byte[] argument, Promise<R> promise) {
        this.id = id;
        this.className = className;
        this.prototype = prototype;
        this.argument = argument;
        this.promise = promise;
    }

    /**
     * Completes the promise from the worker's answer: the decoded result, or {@link JobFailedException} for a job
     * that threw, or {@link IllegalArgumentException} for a result its codec cannot decode.
     *
     * @param answer a {@link Wire.Result} or {@link Wire.Failure} for this job
     */
    void answer(Wire.Message answer) {
        if (answer instanceof Wire.Failure f) {
            promise.fail(new JobFailedException(f.exceptionClass(), f.text()));
            return;
        }
        R value;
        try {
            value = prototype.resultCodec().decode(((Wire.Result) answer).result());
        } catch (RuntimeException e) {
            promise.fail(new IllegalArgumentException("result of " + this + " could not be decoded", e));
            return;
        }
        promise.complete(value);
    }

    @Override
    public String toString() {
        return "job " + id + " (" + className + ")";
    }
}
