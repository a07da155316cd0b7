package dev.yieldloop.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** JFR event: the slow-step watchdog's warning. */
@Name(FlightEvents.SLOW_STEP)
@Label("Slow Step")
@Category({"Yieldloop"})
@Description("A step held the event loop thread longer than the watchdog threshold")
final class SlowStepEvent extends Event {
    @Label("Loop")
    String loop;

    @Label("Entry")
    String entry;

    @Label("Held")
    @Timespan(Timespan.NANOSECONDS)
    long heldNanos;

    @Label("Threshold")
    @Timespan(Timespan.NANOSECONDS)
    long thresholdNanos;
}
