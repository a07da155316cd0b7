package dev.yieldloop.trace;

/**
 * The JDK Flight Recorder events the loop emits, by name, so that {@code java -XX:StartFlightRecording} and JDK Mission
 * Control show the loop next to the JVM's own events (Netty and Helidon publish theirs the same way).
 *
 * <ul>
 *   <li>{@value #TASK_STEP}: one step of a task (fields {@code taskId}, {@code taskName}; the event's duration is the
 *       step's). Emitted while the trace journal is on.
 *   <li>{@value #ITERATION}: one loop iteration (fields {@code iteration}, {@code selectNanos}, {@code ioEvents}, {@code
 *       ioNanos}, {@code timersFired}, {@code timersNanos}, {@code inboxItems}, {@code inboxNanos}, {@code stepsRun},
 *       {@code runNanos}). Emitted while the trace journal is on.
 *   <li>{@value #SLOW_STEP}: a slow-step watchdog warning (fields {@code loop}, {@code entry}, {@code heldNanos}, {@code
 *       thresholdNanos}). Emitted whenever the watchdog warns.
 * </ul>
 *
 * <p>Each is emitted only while a recording enables it; otherwise the cost is one JFR enabled-check.
 */
public final class FlightEvents {

    /** Name of the task step event. */
    public static final String TASK_STEP = "dev.yieldloop.TaskStep";

    /** Name of the iteration event. */
    public static final String ITERATION = "dev.yieldloop.Iteration";

    /** Name of the slow step event. */
    public static final String SLOW_STEP = "dev.yieldloop.SlowStep";

    private FlightEvents() {}

    /**
     * Thread-safe. Emits a {@value #SLOW_STEP} event, if a recording enables it; called by the watchdog's thread.
     *
     * @param loop the loop's name
     * @param entry the task or callback holding the loop thread
     * @param heldNanos how long it had held the thread, in nanoseconds
     * @param thresholdNanos the watchdog's threshold, in nanoseconds
     */
    public static void slowStep(String loop, String entry, long heldNanos, long thresholdNanos) {
        if (!jdk.jfr.FlightRecorder.isInitialized()) {
            return; // no recording was ever started: do not load the event class
        }
        SlowStepEvent e = new SlowStepEvent();
        if (e.isEnabled()) {
            e.loop = loop;
            e.entry = entry;
            e.heldNanos = heldNanos;
            e.thresholdNanos = thresholdNanos;
            e.commit();
        }
    }
}
