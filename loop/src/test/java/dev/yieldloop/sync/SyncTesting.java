package dev.yieldloop.sync;

import dev.yieldloop.EventLoop;

/** Driving a loop on a fake clock in the sync tests. */
final class SyncTesting {

    private SyncTesting() {}

    /** Runs iterations until one does no work (never blocks: the fake clock only moves when a test advances it). */
    static void runUntilIdle(EventLoop loop) {
        for (int i = 0; i < 1_000; i++) {
            if (loop.runNow() == 0) {
                return;
            }
        }
        throw new AssertionError("the loop never went idle: " + loop.snapshot());
    }
}
