package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.yieldloop.testing.LoopLeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loop never dies of its own machinery: a Throwable from one of its own phases (here: the clock) is reported like
 * a user failure and the loop goes on; logging on the error paths never throws, even when the logging backend does.
 */
class LoopMachineryFailureTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    /** A system clock that throws once when told to, as a broken clock or a class that fails to load would. */
    static final class TrippingClock implements NanoClock {
        final AtomicBoolean tripNext = new AtomicBoolean();

        @Override
        public long nanoTime() {
            if (tripNext.getAndSet(false)) {
                throw new NoClassDefFoundError("simulated: a class the clock needs could not be loaded");
            }
            return System.nanoTime();
        }
    }

    @Test
    void aThrowableFromTheLoopsOwnPhasesIsReportedAndTheLoopGoesOn() {
        TrippingClock clock = new TrippingClock();
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withClock(clock).withName("machinery"));
        List<ExceptionHandler.ErrorReport> reports = new ArrayList<>();
        loop.setExceptionHandler(reports::add);
        AtomicBoolean fired = new AtomicBoolean();
        loop.scheduleAfter(10, TimeUnit.MILLISECONDS, () -> fired.set(true));
        clock.tripNext.set(true);

        assertThatCode(loop::runOnce).as("the failure stays inside the loop").doesNotThrowAnyException();
        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.where()).isEqualTo("event loop iteration");
            assertThat(r.error()).isInstanceOf(NoClassDefFoundError.class);
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!fired.get() && System.nanoTime() < deadline) {
            loop.runOnce();
        }
        assertThat(fired).as("the timer still fires after the failure").isTrue();
    }

    /** A logger whose backend is broken, as the JDK's is when it cannot open tzdb.dat at descriptor exhaustion. */
    static final class BrokenLogger implements System.Logger {
        @Override
        public String getName() {
            return "broken";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            throw new NoClassDefFoundError(
                    "simulated: Could not initialize class java.time.zone.TzdbZoneRulesProvider");
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            throw new NoClassDefFoundError("simulated");
        }
    }

    /** A logger that records what it was asked to log. */
    static final class RecordingLogger implements System.Logger {
        final Level threshold;
        final List<String> messages = new ArrayList<>();
        final List<Throwable> thrown = new ArrayList<>();

        RecordingLogger(Level threshold) {
            this.threshold = threshold;
        }

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable t) {
            messages.add(msg);
            thrown.add(t);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            messages.add(format);
            thrown.add(null);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            log(level, (ResourceBundle) null, msgSupplier.get(), (Throwable) null);
        }
    }

    @Test
    void whenTheLoggingBackendThrowsTheLineGoesToStandardErrorInstead() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatCode(() -> LoopLog.log(
                            new BrokenLogger(),
                            System.Logger.Level.WARNING,
                            "accept failed on 127.0.0.1:8080",
                            new java.io.IOException("Too many open files")))
                    .doesNotThrowAnyException();
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "yieldloop WARNING: accept failed on 127.0.0.1:8080: java.io.IOException: Too many open files"
                                + System.lineSeparator());
    }

    @Test
    void anExpectedNetworkEventIsOneLineWithItsStackTraceOnlyAtDebug() {
        java.io.IOException reset = new java.net.SocketException("Connection reset");
        RecordingLogger info = new RecordingLogger(System.Logger.Level.INFO);
        LoopLog.expected(info, System.Logger.Level.INFO, "127.0.0.1:5000 went away", reset);
        assertThat(info.messages)
                .containsExactly("127.0.0.1:5000 went away: java.net.SocketException: Connection reset");
        assertThat(info.thrown).containsExactly((Throwable) null);

        LoopLog.expected(info, System.Logger.Level.DEBUG, "127.0.0.1:5000 went away", reset);
        assertThat(info.messages).as("below the logger's level: nothing").hasSize(1);

        RecordingLogger debug = new RecordingLogger(System.Logger.Level.DEBUG);
        LoopLog.expected(debug, System.Logger.Level.INFO, "127.0.0.1:5000 went away", reset);
        assertThat(debug.thrown).containsExactly(reset);
    }
}
