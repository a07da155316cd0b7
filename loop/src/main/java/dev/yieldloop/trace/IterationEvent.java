package dev.yieldloop.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** JFR event: one loop iteration, with the work and time of each phase. */
@Name(FlightEvents.ITERATION)
@Label("Loop Iteration")
@Category({"Yieldloop"})
@Description("One event loop iteration: select, I/O, timers, inbox, run")
final class IterationEvent extends Event {
    @Label("Iteration")
    long iteration;

    @Label("Select Time")
    @Timespan(Timespan.NANOSECONDS)
    long selectNanos;

    @Label("I/O Events")
    int ioEvents;

    @Label("I/O Time")
    @Timespan(Timespan.NANOSECONDS)
    long ioNanos;

    @Label("Timers Fired")
    int timersFired;

    @Label("Timers Time")
    @Timespan(Timespan.NANOSECONDS)
    long timersNanos;

    @Label("Inbox Items")
    int inboxItems;

    @Label("Inbox Time")
    @Timespan(Timespan.NANOSECONDS)
    long inboxNanos;

    @Label("Steps Run")
    int stepsRun;

    @Label("Run Time")
    @Timespan(Timespan.NANOSECONDS)
    long runNanos;
}
