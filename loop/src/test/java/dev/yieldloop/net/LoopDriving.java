package dev.yieldloop.net;

import dev.yieldloop.EventLoop;
import java.util.function.BooleanSupplier;

/** Drives a loop from the test thread, for the net tests that run their loop by hand. */
final class LoopDriving {

    private LoopDriving() {}

    /** Drives the loop until {@code done} holds, at most 10 s of real time; fails with the loop's snapshot after. */
    static void runUntil(EventLoop loop, BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; " + loop.snapshot());
            }
            loop.runOnce();
        }
    }
}
