package dev.yieldloop;

/**
 * The one source of time for an event loop: a monotonic clock in nanoseconds.
 *
 * <p>Every deadline, timer and timeout of a loop is read from its clock, so tests substitute a fake clock and drive the
 * loop deterministically (asyncio's {@code TestLoop}, Trio's {@code MockClock}). Values are only meaningful relative to
 * each other, as with {@link System#nanoTime()}.
 *
 * <p>Threading: implementations must be safe to call from any thread.
 */
@FunctionalInterface
public interface NanoClock {

    /** The system's monotonic clock, {@link System#nanoTime()}. */
    NanoClock SYSTEM = System::nanoTime;

    /**
     * Returns the current time.
     *
     * @return the current monotonic time, in nanoseconds, from an arbitrary origin
     */
    long nanoTime();
}
