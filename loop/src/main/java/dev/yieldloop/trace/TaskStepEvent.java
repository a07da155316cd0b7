package dev.yieldloop.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event: one step of a task on the loop thread; its duration is the step's. */
@Name(FlightEvents.TASK_STEP)
@Label("Task Step")
@Category({"Yieldloop"})
@Description("One step of a task on the event loop thread, from resume to its next marked point")
final class TaskStepEvent extends Event {
    @Label("Task Id")
    long taskId;

    @Label("Task Name")
    String taskName;
}
