package dev.yieldloop;

import java.util.List;

/**
 * An immutable picture of a loop's queues at one moment, taken on the loop thread by {@link EventLoop#snapshot()} (or
 * from any thread with {@link EventLoop#snapshotAsync()}). Its {@link #toString()} reads like a thread dump:
 *
 * <pre>
 * loop "yieldloop" iteration 42: 1 running, 2 ready, 3 waiting, 1 timer, 0 in inbox, 4 channels
 *   READY    t7 "download /7"
 *   WAITING  t3 "download /3" on readable 127.0.0.1:41234
 * </pre>
 *
 * @param loopName the loop's name
 * @param iteration how many iterations the loop had completed
 * @param running the task running when the snapshot was taken (the one that asked for it), or null
 * @param ready the tasks in the ready queue, in run order
 * @param waiting the tasks in the waiting set, each with what it waits for
 * @param readyCallbacks plain callbacks (not tasks) in the ready queue
 * @param timers pending timers, sleeping tasks' timers included
 * @param inbox approximate number of items in the inbox
 * @param channels channels registered with the selector
 */
public record LoopSnapshot(
        String loopName,
        long iteration,
        TaskInfo running,
        List<TaskInfo> ready,
        List<TaskInfo> waiting,
        int readyCallbacks,
        int timers,
        int inbox,
        int channels) {

    /**
     * Copies the lists.
     *
     * @param loopName the loop's name
     * @param iteration completed iterations
     * @param running the running task or null
     * @param ready ready tasks
     * @param waiting waiting tasks
     * @param readyCallbacks ready callbacks
     * @param timers pending timers
     * @param inbox inbox size
     * @param channels registered channels
     */
    public LoopSnapshot {
        ready = List.copyOf(ready);
        waiting = List.copyOf(waiting);
    }

    /**
     * One task in a snapshot.
     *
     * @param id the task id
     * @param name the task name
     * @param state its state at the snapshot
     * @param waitReason what it waits for, empty unless WAITING
     */
    public record TaskInfo(long id, String name, TaskState state, String waitReason) {
        @Override
        public String toString() {
            String head = String.format("%-8s t%d \"%s\"", state, id, name);
            return waitReason.isEmpty() ? head : head + " on " + waitReason;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("loop \"")
                .append(loopName)
                .append("\" iteration ")
                .append(iteration)
                .append(": ")
                .append(running == null ? 0 : 1)
                .append(" running, ")
                .append(ready.size())
                .append(" ready, ")
                .append(waiting.size())
                .append(" waiting, ")
                .append(timers)
                .append(timers == 1 ? " timer, " : " timers, ")
                .append(inbox)
                .append(" in inbox, ")
                .append(channels)
                .append(channels == 1 ? " channel" : " channels");
        if (running != null) {
            sb.append("\n  ").append(running);
        }
        for (TaskInfo t : ready) {
            sb.append("\n  ").append(t);
        }
        for (TaskInfo t : waiting) {
            sb.append("\n  ").append(t);
        }
        return sb.toString();
    }
}
