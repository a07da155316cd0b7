package dev.yieldloop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.LoopSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Creates loops for a test and, after it, proves each closed with nothing leaked: no ready or waiting task, no timer,
 * no registered channel (libuv's MAKE_VALGRIND_HAPPY). Use with {@code @RegisterExtension}.
 *
 * <p>A loop the test closed itself is checked too: {@link EventLoop#close()} cancels the tasks it finds alive, so the
 * check is that it found none ({@link EventLoop#tasksCancelledByClose()}); a test about closing with live tasks says
 * so with {@link #allowTasksAliveAtClose()}. Timers and channels cannot outlive a closed loop (close drops and closes
 * them), so for a closed loop there is nothing else to check.
 *
 * <p>A test that leaves a loop running on another thread must stop and join it itself before returning.
 */
public final class LoopLeakCheck implements AfterEachCallback {

    private final List<EventLoop> loops = new ArrayList<>();
    private boolean tasksAliveAtCloseAllowed;

    /** A loop on a fake clock, checked after the test. */
    public EventLoop newLoop(FakeClock clock) {
        return track(new EventLoop(LoopOptions.defaults().withClock(clock).withName("test")));
    }

    /** A loop on the system clock, checked after the test. */
    public EventLoop newLoop() {
        return track(new EventLoop(LoopOptions.defaults().withName("test")));
    }

    /** A loop with the given options, checked after the test. */
    public EventLoop newLoop(LoopOptions options) {
        return track(new EventLoop(options));
    }

    /**
     * Checks a loop the test created itself (for code that must read exactly like a documented example).
     *
     * @return the same loop
     */
    public EventLoop adopt(EventLoop loop) {
        return track(loop);
    }

    /** For a test about {@link EventLoop#close()} itself: a loop it closes may have had tasks alive. */
    public void allowTasksAliveAtClose() {
        tasksAliveAtCloseAllowed = true;
    }

    private EventLoop track(EventLoop loop) {
        loops.add(loop);
        return loop;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (EventLoop loop : loops) {
                if (loop.isClosed()) {
                    if (!tasksAliveAtCloseAllowed) {
                        assertThat(loop.tasksCancelledByClose())
                                .as(
                                        "tasks alive when the test closed loop \"%s\" (see its close() warning)",
                                        loop.options().name())
                                .isZero();
                    }
                    continue;
                }
                // Let callbacks that closing channels queued run, then check that nothing is left behind.
                for (int i = 0; i < 10; i++) {
                    loop.runNow();
                }
                LoopSnapshot snapshot = loop.snapshot();
                assertThat(snapshot.ready())
                        .as("ready tasks left: %s", snapshot)
                        .isEmpty();
                assertThat(snapshot.waiting())
                        .as("waiting tasks left: %s", snapshot)
                        .isEmpty();
                assertThat(snapshot.timers()).as("timers left: %s", snapshot).isZero();
                assertThat(snapshot.channels())
                        .as("channels left: %s", snapshot)
                        .isZero();
                loop.close();
            }
        } finally {
            for (EventLoop loop : loops) {
                if (!loop.isClosed()) {
                    try {
                        loop.close();
                    } catch (IllegalStateException ignored) {
                        // still running on a thread the test did not stop: the assertion above reports it
                    }
                }
            }
        }
    }
}
