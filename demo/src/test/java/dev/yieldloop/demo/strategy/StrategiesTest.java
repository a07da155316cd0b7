package dev.yieldloop.demo.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.demo.DemoException;
import dev.yieldloop.demo.report.StrategyResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry: names in table order, new instances per choice, unknown names refused with the known ones. */
class StrategiesTest {

    @Test
    void everyStrategyIsKnownByItsNameInTableOrder() throws Exception {
        assertThat(Strategies.ALL)
                .containsExactly("sequential", "threads", "virtual-threads", "event-loop", "process-pool");
        List<Strategy> chosen = Strategies.choose(List.of(" event-loop", "threads", "event-loop"));
        assertThat(chosen).extracting(Strategy::name).containsExactly("event-loop", "threads", "event-loop");
        assertThat(chosen.get(0)).as("a new instance per choice").isNotSameAs(chosen.get(2));
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> Strategies.choose(List.of("threads", "asyncio")))
                .isInstanceOf(DemoException.class)
                .hasMessage("unknown strategy 'asyncio'; choose from"
                        + " sequential,threads,virtual-threads,event-loop,process-pool");
    }

    @Test
    void announcingASkippedStrategyGivesItsSkippedRow() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        assertThat(Strategies.announce(out, "threads", null)).isNull();
        StrategyResult skipped = Strategies.announce(out, "virtual-threads", "needs JDK 21+");
        assertThat(skipped.skipped()).isTrue();
        assertThat(skipped.reason()).isEqualTo("needs JDK 21+");
        assertThat(text.toString().lines())
                .containsExactly("  threads …", "  virtual-threads: skipped (needs JDK 21+)");
    }
}
