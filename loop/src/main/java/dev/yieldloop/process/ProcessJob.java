package dev.yieldloop.process;

/**
 * CPU-bound work a {@link ProcessPool} runs in a worker process: a class the worker can load by name, with codecs for
 * its argument and result, so that nothing crosses the process boundary as Java serialization.
 *
 * <p>Rules for an implementation:
 *
 * <ul>
 *   <li>a public, top-level (or static nested) class with a public no-argument constructor: the worker creates a new
 *       instance for every job;
 *   <li>on the worker's class path: the pool starts workers with its own class path unless {@link
 *       ProcessPoolOptions#classPath()} says otherwise;
 *   <li>its codecs are deterministic and total over the values the job accepts and returns.
 * </ul>
 *
 * <p>The worker refuses any class name that does not name a {@code ProcessJob}, before initializing the class (the
 * allow-list that replaces {@code ObjectInputFilter}: see {@code docs/process-pool.md}).
 *
 * <p>Threading: {@link #compute} runs on the worker process's main thread, one job at a time; the codecs run on the
 * loop thread (encoding the argument, decoding the result) and in the worker.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public interface ProcessJob<A, R> {

    /**
     * How the argument travels to the worker.
     *
     * @return the codec, the same on every call
     */
    Codec<A> argumentCodec();

    /**
     * How the result travels back.
     *
     * @return the codec, the same on every call
     */
    Codec<R> resultCodec();

    /**
     * Does the work, in the worker process.
     *
     * @param argument the decoded argument
     * @return the result
     * @throws Exception to fail the job: the loop's promise fails with a {@link JobFailedException} carrying the
     *     exception's class name, message and stack trace as text
     */
    R compute(A argument) throws Exception;
}
