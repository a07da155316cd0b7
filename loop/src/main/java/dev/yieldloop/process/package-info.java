/**
 * A process pool for CPU-bound work whose results come back as promises on the event loop: {@link
 * dev.yieldloop.process.ProcessPool} starts worker JVMs, {@link dev.yieldloop.process.ProcessJob} is the unit of work,
 * {@link dev.yieldloop.process.Codec} turns arguments and results into bytes.
 *
 * <p>Each worker is a child JVM connected to the loop over a Unix domain socket in a private (0700) directory; the loop's
 * selector watches those sockets, so a result is an ordinary loop event. Frames are length-prefixed with a cap; job
 * classes are loaded by name only if they implement {@code ProcessJob}; nothing is Java-deserialized. Pool methods are
 * loop thread only unless their Javadoc says "Thread-safe". See {@code docs/process-pool.md}.
 *
 * <p>Origins: Python's {@code concurrent.futures.ProcessPoolExecutor} driven from asyncio's {@code run_in_executor},
 * and libuv's {@code uv_spawn} with a pipe per child.
 */
package dev.yieldloop.process;
