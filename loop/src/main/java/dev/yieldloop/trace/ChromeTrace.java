package dev.yieldloop.trace;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link TraceSnapshot} as Chrome Trace Event JSON (the "JSON Object Format" of the Trace Event Format), which
 * Perfetto UI ({@code ui.perfetto.dev}, "Open trace file") and {@code chrome://tracing} open.
 *
 * <h2>Tracks</h2>
 *
 * <ul>
 *   <li>Process 1, "event loop": thread 1, "loop thread", holds one {@code iteration} span per iteration, inside it one
 *       span per phase ({@code select}, and {@code io}, {@code timers}, {@code inbox}, {@code run} when they did work),
 *       and inside {@code run} one span per task step, named after the task. These spans nest and never overlap.
 *   <li>Process 1, one thread per task ({@code tid} = 1000 + task id): its {@code ready}, {@code running} and {@code
 *       waiting: <what>} spans, and an instant event when it ends.
 *   <li>Process 2, "process pool": one thread per worker process ({@code tid} = its pid), with one span per job.
 * </ul>
 *
 * <p>Times are microseconds (the format's unit) since the snapshot's first entry, printed with three decimals so the
 * loop clock's nanoseconds are kept exactly. Spans still open when the snapshot ends are closed at its last entry.
 *
 * <p>Thread-safe: stateless.
 */
public final class ChromeTrace {

    /** The process id used for the loop and its tasks. */
    public static final int LOOP_PID = 1;

    /** The process id used for the process pool's workers. */
    public static final int POOL_PID = 2;

    /** The thread id of the loop thread's track. */
    public static final int LOOP_TID = 1;

    /** Task tracks use thread id {@code TASK_TID_BASE + task id}. */
    public static final long TASK_TID_BASE = 1000;

    private ChromeTrace() {}

    /**
     * Thread-safe. The snapshot as a Chrome Trace Event JSON document.
     *
     * @param snapshot the journal's entries
     * @param loopName the loop's name, shown as the process name
     * @return the JSON text, an object with a {@code traceEvents} array
     */
    public static String toJson(TraceSnapshot snapshot, String loopName) {
        List<TraceEvent> events = snapshot.events();
        Out out = new Out(events.isEmpty() ? 0 : events.get(0).nanos());
        out.meta(LOOP_PID, 0, "process_name", "event loop \"" + loopName + "\"");
        out.meta(LOOP_PID, LOOP_TID, "thread_name", "loop thread (phases and steps)");
        out.sortIndex(LOOP_PID, LOOP_TID, 0);
        out.meta(POOL_PID, 0, "process_name", "process pool");
        long last = events.isEmpty() ? 0 : events.get(events.size() - 1).nanos();

        long iterationStart = -1;
        long iterationNumber = 0;
        long phaseStart = -1;
        Map<Long, TaskTrack> tasks = new LinkedHashMap<>();
        Map<Long, long[]> jobs = new HashMap<>(); // job id -> {dispatch time, pid}
        Map<Long, Boolean> workers = new LinkedHashMap<>();
        for (TraceEvent e : events) {
            switch (e.kind()) {
                case ITERATION_START -> {
                    iterationStart = e.nanos();
                    iterationNumber = e.subject();
                    phaseStart = e.nanos();
                }
                case PHASE_END -> {
                    if (phaseStart < 0) {
                        continue; // the iteration began before the snapshot's first entry
                    }
                    LoopPhase phase = LoopPhase.of((int) e.subject());
                    if (phase == LoopPhase.SELECT || e.value() > 0) {
                        out.span(
                                LOOP_PID,
                                LOOP_TID,
                                phaseName(phase),
                                "phase",
                                phaseStart,
                                e.nanos(),
                                "\"work\":" + e.value());
                    }
                    phaseStart = e.nanos();
                    if (phase == LoopPhase.RUN) {
                        out.span(
                                LOOP_PID,
                                LOOP_TID,
                                "iteration",
                                "loop",
                                iterationStart,
                                e.nanos(),
                                "\"iteration\":" + iterationNumber);
                        iterationStart = -1;
                        phaseStart = -1;
                    }
                }
                case JOB_DISPATCHED -> {
                    jobs.put(e.subject(), new long[] {e.nanos(), e.value()});
                    if (workers.putIfAbsent(e.value(), Boolean.TRUE) == null) {
                        out.meta(POOL_PID, e.value(), "thread_name", "worker pid " + e.value());
                    }
                }
                case JOB_DONE, JOB_FAILED -> {
                    long[] started = jobs.remove(e.subject());
                    if (started != null) {
                        out.span(
                                POOL_PID,
                                started[1],
                                "job " + e.subject() + " " + simpleName(e.label()),
                                "job",
                                started[0],
                                e.nanos(),
                                "\"outcome\":\"" + (e.kind() == TraceEvent.Kind.JOB_DONE ? "result" : "failure")
                                        + "\"");
                    }
                }
                default -> {
                    TaskTrack track = tasks.computeIfAbsent(e.subject(), id -> new TaskTrack());
                    track.event(out, e);
                }
            }
        }
        // Close what is still open at the last entry, innermost first so the spans still nest.
        for (TaskTrack track : tasks.values()) {
            track.close(out, last);
        }
        if (phaseStart >= 0) {
            out.span(LOOP_PID, LOOP_TID, "(phase in progress)", "phase", phaseStart, last, "");
        }
        if (iterationStart >= 0) {
            out.span(LOOP_PID, LOOP_TID, "iteration", "loop", iterationStart, last, "\"iteration\":" + iterationNumber);
        }
        for (Map.Entry<Long, long[]> job : jobs.entrySet()) {
            out.span(
                    POOL_PID,
                    job.getValue()[1],
                    "job " + job.getKey() + " (running)",
                    "job",
                    job.getValue()[0],
                    last,
                    "");
        }
        return out.finish(snapshot);
    }

    private static String phaseName(LoopPhase phase) {
        return switch (phase) {
            case SELECT -> "select";
            case IO -> "io";
            case TIMERS -> "timers";
            case INBOX -> "inbox";
            case RUN -> "run";
        };
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** One task's track: the span it is in, opened at its last transition. */
    private static final class TaskTrack {
        long id = -1;
        String name;
        String openSpan;
        long openSince;

        void event(Out out, TraceEvent e) {
            if (id < 0) {
                id = e.subject();
                out.sortIndex(LOOP_PID, TASK_TID_BASE + id, (int) Math.min(Integer.MAX_VALUE, 1 + id));
            }
            if (e.kind() != TraceEvent.Kind.TASK_WAITING && name == null) {
                name = e.label();
                out.meta(LOOP_PID, TASK_TID_BASE + id, "thread_name", "task t" + id + " \"" + name + "\"");
            }
            long tid = TASK_TID_BASE + id;
            if (openSpan != null) {
                out.span(LOOP_PID, tid, openSpan, "task", openSince, e.nanos(), "");
                if (openSpan.equals("running")) {
                    out.span(LOOP_PID, LOOP_TID, "t" + id + " " + name, "step", openSince, e.nanos(), "\"task\":" + id);
                }
                openSpan = null;
            }
            switch (e.kind()) {
                case TASK_SPAWNED, TASK_READY -> openSpan = "ready";
                case TASK_RUNNING -> openSpan = "running";
                case TASK_WAITING -> openSpan = "waiting: " + e.label();
                default ->
                    out.instant(
                            LOOP_PID,
                            tid,
                            switch (e.kind()) {
                                case TASK_DONE_VALUE -> "done: value";
                                case TASK_DONE_FAILED -> "done: failed";
                                default -> "done: cancelled";
                            },
                            e.nanos());
            }
            openSince = e.nanos();
        }

        void close(Out out, long last) {
            if (openSpan != null) {
                out.span(LOOP_PID, TASK_TID_BASE + id, openSpan, "task", openSince, last, "");
                if (openSpan.equals("running")) {
                    out.span(LOOP_PID, LOOP_TID, "t" + id + " " + name, "step", openSince, last, "\"task\":" + id);
                }
            }
        }
    }

    /** The JSON being written. */
    private static final class Out {
        final StringBuilder json = new StringBuilder(4096).append("{\"traceEvents\":[\n");
        final long origin;
        boolean first = true;

        Out(long origin) {
            this.origin = origin;
        }

        void span(int pid, long tid, String name, String cat, long from, long to, String args) {
            begin();
            json.append("{\"ph\":\"X\",\"pid\":")
                    .append(pid)
                    .append(",\"tid\":")
                    .append(tid);
            json.append(",\"name\":");
            string(name);
            json.append(",\"cat\":\"").append(cat).append("\",\"ts\":");
            micros(from - origin);
            json.append(",\"dur\":");
            micros(to - from);
            if (!args.isEmpty()) {
                json.append(",\"args\":{").append(args).append('}');
            }
            json.append('}');
        }

        void instant(int pid, long tid, String name, long at) {
            begin();
            json.append("{\"ph\":\"i\",\"s\":\"t\",\"pid\":")
                    .append(pid)
                    .append(",\"tid\":")
                    .append(tid);
            json.append(",\"name\":");
            string(name);
            json.append(",\"ts\":");
            micros(at - origin);
            json.append('}');
        }

        void meta(int pid, long tid, String what, String name) {
            begin();
            json.append("{\"ph\":\"M\",\"pid\":")
                    .append(pid)
                    .append(",\"tid\":")
                    .append(tid);
            json.append(",\"name\":\"").append(what).append("\",\"args\":{\"name\":");
            string(name);
            json.append("}}");
        }

        void sortIndex(int pid, long tid, int index) {
            begin();
            json.append("{\"ph\":\"M\",\"pid\":")
                    .append(pid)
                    .append(",\"tid\":")
                    .append(tid);
            json.append(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":")
                    .append(index)
                    .append("}}");
        }

        private void begin() {
            if (!first) {
                json.append(",\n");
            }
            first = false;
        }

        /** Nanoseconds as microseconds with exactly three decimals. */
        private void micros(long nanos) {
            long n = Math.max(0, nanos);
            json.append(n / 1000).append('.');
            long frac = n % 1000;
            if (frac < 100) {
                json.append('0');
            }
            if (frac < 10) {
                json.append('0');
            }
            json.append(frac);
        }

        private void string(String s) {
            json.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    case '\n' -> json.append("\\n");
                    case '\r' -> json.append("\\r");
                    case '\t' -> json.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            json.append(String.format("\\u%04x", (int) c));
                        } else {
                            json.append(c);
                        }
                    }
                }
            }
            json.append('"');
        }

        String finish(TraceSnapshot snapshot) {
            json.append("\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"recorded\":")
                    .append(snapshot.recorded());
            json.append(",\"dropped\":").append(snapshot.dropped()).append("}}\n");
            return json.toString();
        }
    }
}
