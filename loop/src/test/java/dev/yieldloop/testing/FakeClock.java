package dev.yieldloop.testing;

import dev.yieldloop.NanoClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test advances it (asyncio's TestLoop, Trio's MockClock). Thread-safe. */
public final class FakeClock implements NanoClock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves the clock forward by {@code d}. */
    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** Moves the clock forward by {@code n} nanoseconds. */
    public void advanceNanos(long n) {
        nanos.addAndGet(n);
    }
}
