package dev.yieldloop.demo.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.demo.DemoChild;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code io} command in a child JVM under {@code ulimit -n 80}: the event loop opens 160 connections at once and
 * its connects fail with EMFILE. The failed downloads are counted and summed up in one line, the process does not
 * die, and NIO still works afterwards: the thread-pool strategy that runs next in the same process downloads all 160.
 * Without the loop's NIO warm-up, the JDK class that socket writes and selector closes need would fail to initialize
 * at EMFILE, and every later write in the process would throw {@link NoClassDefFoundError}.
 */
class ClientDescriptorExhaustionTest {

    @Test
    void connectsThatRunOutOfDescriptorsFailTheirDownloadsAndTheProcessStillWritesAfterwards() throws Exception {
        try (DemoChild demo = DemoChild.start(
                80, "io", "--strategies", "event-loop,threads", "--requests", "160", "--delay-ms", "20")) {
            assertThat(demo.process().waitFor(90, TimeUnit.SECONDS))
                    .as("the demo finished; %s", demo)
                    .isTrue();
            assertThat(demo.process().exitValue())
                    .as("exit code 3 (downloads failed), not a crash; %s", demo)
                    .isEqualTo(3);
            assertThat(demo.out())
                    .as("the event loop's row counts failed downloads; %s", demo)
                    .anySatisfy(l -> assertThat(l).startsWith("event-loop").doesNotEndWith(" 0  "));
            assertThat(demo.out())
                    .as("the threads strategy, run after the EMFILE episode, downloads all 160 with 0 errors")
                    .anySatisfy(l -> assertThat(l).startsWith("threads ").containsPattern(" 160 +0 +\\p{XDigit}+$"));
            assertThat(demo.err())
                    .as("one summary line naming the cause")
                    .anySatisfy(l -> assertThat(l).contains("downloads failed").contains("Too many open files"));
            assertThat(demo.err())
                    .as("no stack trace and no broken NIO class")
                    .noneMatch(l -> l.strip().startsWith("at ") || l.contains("NoClassDefFoundError"));
        }
    }
}
