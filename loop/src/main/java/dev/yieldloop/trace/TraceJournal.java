package dev.yieldloop.trace;

import dev.yieldloop.NanoClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;

/**
 * A bounded ring of what one event loop did: task transitions, the end of each loop phase, process-pool jobs. Turned on
 * with {@link dev.yieldloop.LoopOptions#withTrace(int)}, read with {@link dev.yieldloop.EventLoop#journal()}.
 *
 * <h2>Layout and cost</h2>
 *
 * <p>Entries live in five preallocated parallel arrays ({@code long} time, {@code byte} kind, {@code long} subject,
 * {@code long} value, {@code int} label), 29 bytes per entry; when the ring is full the oldest entry is overwritten. A
 * write allocates nothing: descriptions (task names, what a task waits on, job classes) are interned once into a table of
 * at most {@value #MAX_LABELS} strings and referred to by index; past that many distinct descriptions, new ones share
 * the label {@value #TOO_MANY_LABELS}. With the journal off the loop holds no journal and each hook costs one null
 * check.
 *
 * <p>The clock is the costly part (tens of nanoseconds per read on a virtual machine), so entries share readings where
 * nothing can happen between them. An I/O, timer or inbox phase that did no work writes no entry (its few nanoseconds
 * count in the next phase). An iteration that follows the previous one inside {@code run()} starts at that one's end.
 * A run phase whose entries were all task steps ends when its last step ended. Every other entry reads the clock once.
 * An iteration of one task yielding so reads it three times: select end, step start, step end.
 *
 * <h2>Threads and memory ordering</h2>
 *
 * <p>The {@code on*} hooks are loop thread only (called by {@link dev.yieldloop.EventLoop}, {@link dev.yieldloop.Task}
 * and {@link dev.yieldloop.process.ProcessPool}). {@link #snapshot()} is thread-safe and never blocks the loop: it is a
 * seqlock read (the protocol of {@link java.util.concurrent.locks.StampedLock#tryOptimisticRead()}). The writer fills
 * an entry with plain stores, then publishes the new entry count with a release store. The reader reads the count
 * {@code c1} with an acquire load, copies the entries below it, issues an acquire fence, and reads the count again as
 * {@code c2}. An entry numbered {@code s} may have been overwritten during the copy only if {@code s <= c2 -
 * capacity}; those are dropped, and every entry kept was read after its release and before any rewrite. Labels are
 * published the same way, before the entry that refers to them.
 *
 * <p>Flight events are created only once the JDK Flight Recorder is initialized (a recording was started, e.g. by
 * {@code -XX:StartFlightRecording}); until then the journal never loads them, which would cost the first iteration
 * hundreds of milliseconds.
 *
 * <p>Idea: the Linux kernel's ftrace ring buffer and Tokio's {@code tokio-console} task instrumentation; the arrays in
 * place of event objects follow Agrona's and the LMAX Disruptor's preallocated rings.
 */
public final class TraceJournal {

    /** The most distinct descriptions one journal interns. */
    public static final int MAX_LABELS = 4096;

    /** The label shared by descriptions past {@link #MAX_LABELS}. */
    public static final String TOO_MANY_LABELS = "(description not kept: too many distinct ones)";

    private static final VarHandle PUBLISHED;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(TraceJournal.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final byte[] TASK_KIND_BY_STATE = {
        -1, // NEW: never entered
        (byte) TraceEvent.Kind.TASK_READY.ordinal(),
        (byte) TraceEvent.Kind.TASK_RUNNING.ordinal(),
        (byte) TraceEvent.Kind.TASK_WAITING.ordinal(),
        -1, // DONE: by outcome
    };

    private final NanoClock clock;
    private final int capacity; // the ring's size, a power of two; a snapshot holds up to capacity - 1 entries
    private final int mask;
    private final long[] nanos;
    private final byte[] kinds;
    private final long[] subjects;
    private final long[] values;
    private final int[] labels;

    private final String[] labelTable = new String[MAX_LABELS];
    private final Map<String, Integer> labelIndex = new HashMap<>();
    private volatile int labelCount;
    private String lastLabel; // loop thread only: the last label looked up, and its index
    private int lastLabelIndex;

    /** Entries written; loop thread only. */
    private long next;

    /** Entries published: written by the loop thread with release stores, read with acquire loads. */
    @SuppressWarnings("unused") // accessed through PUBLISHED
    private long published;

    // The current iteration, for the Iteration flight event (loop thread only).
    private long iteration;
    private long phaseStart;
    private int workBefore;
    private final long[] phaseNanos = new long[LoopPhase.values().length];
    private final int[] phaseWork = new int[LoopPhase.values().length];
    private IterationEvent iterationEvent;
    private boolean resync = true; // read the clock at the next iteration start: the loop was (re)bound to a thread
    private int stepsThisPhase;
    private boolean stepEndedLast;
    private long lastStepEnd;
    private TaskStepEvent stepEvent;

    /**
     * A journal keeping at least the newest {@code capacity} entries: the ring holds the next power of two above
     * {@code capacity}, one slot of which a concurrent reader must treat as being rewritten.
     *
     * @param capacity at least 1, at most {@link dev.yieldloop.LoopOptions#MAX_TRACE_CAPACITY}
     * @param clock the loop's clock, read once per entry
     * @throws IllegalArgumentException if {@code capacity} is out of range
     */
    public TraceJournal(int capacity, NanoClock clock) {
        if (capacity < 1 || capacity > dev.yieldloop.LoopOptions.MAX_TRACE_CAPACITY) {
            throw new IllegalArgumentException("capacity out of range: " + capacity);
        }
        this.clock = clock;
        this.capacity = Integer.highestOneBit(capacity) << 1;
        this.mask = this.capacity - 1;
        this.nanos = new long[this.capacity];
        this.kinds = new byte[this.capacity];
        this.subjects = new long[this.capacity];
        this.values = new long[this.capacity];
        this.labels = new int[this.capacity];
        label(""); // index 0
    }

    /**
     * Thread-safe. How many of the newest entries a snapshot holds at most.
     *
     * @return one less than a power of two, at least the capacity asked for
     */
    public int capacity() {
        return capacity - 1;
    }

    // ---- hooks (loop thread only) ----------------------------------------------------------------------------------

    /**
     * Loop thread only. A task changed state; the one hook in {@code Task.transitionTo}.
     *
     * @param taskId the task's id
     * @param taskName the task's name
     * @param from the ordinal of the {@link dev.yieldloop.TaskState} it leaves
     * @param to the ordinal of the state it enters
     * @param waitingOn for WAITING, what it waits on; otherwise ignored
     * @param outcome for DONE: 0 value, 1 failure, 2 cancelled; otherwise ignored
     */
    public void onTask(long taskId, String taskName, int from, int to, String waitingOn, int outcome) {
        long now = clock.nanoTime();
        if (stepEvent != null && from == 2) {
            TaskStepEvent e = stepEvent;
            stepEvent = null;
            e.taskId = taskId;
            e.taskName = taskName;
            e.commit();
        }
        if (from == 2) {
            lastStepEnd = now; // a step ended: the run phase may end at this very time (see onPhaseEnd)
            stepEndedLast = true;
        } else if (to == 2) {
            stepsThisPhase++;
            stepEndedLast = false;
        } else {
            stepEndedLast = false;
        }
        byte kind;
        String label = taskName;
        if (from == 0) {
            kind = (byte) TraceEvent.Kind.TASK_SPAWNED.ordinal();
        } else if (to == 4) {
            kind = (byte) (TraceEvent.Kind.TASK_DONE_VALUE.ordinal() + Math.min(2, Math.max(0, outcome)));
        } else {
            kind = TASK_KIND_BY_STATE[to];
            if (to == 3) {
                label = waitingOn == null ? "" : waitingOn;
            } else if (to == 2 && FlightRecorder.isInitialized()) {
                TaskStepEvent e = new TaskStepEvent();
                if (e.isEnabled()) {
                    e.begin();
                    stepEvent = e;
                }
            }
        }
        append(now, kind, taskId, 0, label);
    }

    /**
     * Loop thread only. A thread starts driving the loop ({@code run}, {@code runOnce}, {@code runNow}): time may have
     * passed outside the loop since the last iteration, so the next iteration start reads the clock.
     */
    public void onDrive() {
        resync = true;
    }

    /** Loop thread only. An iteration begins: the first hook of {@code EventLoop.iterate}. */
    public void onIterationStart() {
        // Back to back with the previous iteration (inside run()), this one starts when that one's run phase ended.
        long now = resync ? clock.nanoTime() : phaseStart;
        resync = false;
        phaseStart = now;
        workBefore = 0;
        if (FlightRecorder.isInitialized()) {
            IterationEvent e = new IterationEvent();
            if (e.isEnabled()) {
                e.begin();
                iterationEvent = e;
            }
        }
        append(now, (byte) TraceEvent.Kind.ITERATION_START.ordinal(), iteration++, 0, "");
    }

    /**
     * Loop thread only. A phase of the current iteration ended; one hook per phase of {@code EventLoop.iterate}. The
     * select and run phases always write an entry; the others only when they did work.
     *
     * @param phase the phase that ended
     * @param workSoFar the iteration's work counted up to and including this phase (0 after select)
     */
    public void onPhaseEnd(LoopPhase phase, int workSoFar) {
        int p = phase.ordinal();
        int work = workSoFar - workBefore;
        // An idle middle phase (no I/O event, timer or inbox item) takes nanoseconds: it writes no entry and reads no
        // clock, and its sliver of time counts in the next phase.
        boolean idleMiddle = work == 0 && phase != LoopPhase.SELECT && phase != LoopPhase.RUN;
        long now;
        if (idleMiddle || (phase == LoopPhase.RUN && work == 0)) {
            now = phaseStart;
        } else if (phase == LoopPhase.RUN && work == stepsThisPhase && stepEndedLast) {
            now = lastStepEnd; // every entry run was a task step, and the last step's end was just stamped
        } else {
            now = clock.nanoTime();
        }
        stepsThisPhase = 0;
        stepEndedLast = false;
        workBefore = workSoFar;
        phaseNanos[p] = now - phaseStart;
        phaseWork[p] = work;
        phaseStart = now;
        if (!idleMiddle) {
            append(now, (byte) TraceEvent.Kind.PHASE_END.ordinal(), p, work, "");
        }
        if (phase == LoopPhase.RUN && iterationEvent != null) {
            IterationEvent e = iterationEvent;
            iterationEvent = null;
            e.iteration = iteration - 1;
            e.selectNanos = phaseNanos[0];
            e.ioEvents = phaseWork[1];
            e.ioNanos = phaseNanos[1];
            e.timersFired = phaseWork[2];
            e.timersNanos = phaseNanos[2];
            e.inboxItems = phaseWork[3];
            e.inboxNanos = phaseNanos[3];
            e.stepsRun = phaseWork[4];
            e.runNanos = phaseNanos[4];
            e.commit();
        }
    }

    /**
     * Loop thread only. The process pool sent a job to a worker.
     *
     * @param jobId the job's id
     * @param workerPid the worker's process id
     * @param jobClass the job's class name
     */
    public void onJobDispatched(long jobId, long workerPid, String jobClass) {
        append(clock.nanoTime(), (byte) TraceEvent.Kind.JOB_DISPATCHED.ordinal(), jobId, workerPid, jobClass);
    }

    /**
     * Loop thread only. A worker answered a job.
     *
     * @param jobId the job's id
     * @param workerPid the worker's process id
     * @param jobClass the job's class name
     * @param failed whether the answer is a failure
     */
    public void onJobAnswered(long jobId, long workerPid, String jobClass, boolean failed) {
        TraceEvent.Kind kind = failed ? TraceEvent.Kind.JOB_FAILED : TraceEvent.Kind.JOB_DONE;
        append(clock.nanoTime(), (byte) kind.ordinal(), jobId, workerPid, jobClass);
    }

    private void append(long time, byte kind, long subject, long value, String label) {
        int i = (int) (next & mask);
        nanos[i] = time;
        kinds[i] = kind;
        subjects[i] = subject;
        values[i] = value;
        labels[i] = label(label);
        next++;
        PUBLISHED.setRelease(this, next);
    }

    private int label(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        if (s == lastLabel) {
            return lastLabelIndex; // the same task again: skips the hash lookup
        }
        Integer known = labelIndex.get(s);
        if (known != null) {
            lastLabel = s;
            lastLabelIndex = known;
            return known;
        }
        int n = labelCount;
        if (n == MAX_LABELS) {
            return label(TOO_MANY_LABELS);
        }
        if (n == MAX_LABELS - 1 && !s.equals(TOO_MANY_LABELS)) {
            return label(TOO_MANY_LABELS); // keep the last slot for the overflow label itself
        }
        labelTable[n] = s;
        labelIndex.put(s, n);
        labelCount = n + 1; // volatile: publishes the slot before any entry that refers to it
        return n;
    }

    // ---- reading (thread-safe) -------------------------------------------------------------------------------------

    /**
     * Thread-safe. Copies the intact entries, oldest first, without stopping the loop (the seqlock read described
     * above). On the loop thread, or after the loop thread has been joined, nothing is dropped but what the ring
     * overwrote.
     *
     * @return the snapshot
     */
    public TraceSnapshot snapshot() {
        long c1 = (long) PUBLISHED.getAcquire(this);
        long first = Math.max(0, c1 - capacity);
        int n = (int) (c1 - first);
        long[] t = new long[n];
        byte[] k = new byte[n];
        long[] s = new long[n];
        long[] v = new long[n];
        int[] l = new int[n];
        for (int j = 0; j < n; j++) {
            int i = (int) ((first + j) & mask);
            t[j] = nanos[i];
            k[j] = kinds[i];
            s[j] = subjects[i];
            v[j] = values[i];
            l[j] = labels[i];
        }
        VarHandle.acquireFence();
        long c2 = (long) PUBLISHED.getAcquire(this);
        long intact = Math.max(first, c2 - capacity + 1);
        int known = labelCount;
        List<TraceEvent> events = new ArrayList<>((int) (c1 - Math.min(intact, c1)));
        for (long seq = intact; seq < c1; seq++) {
            int j = (int) (seq - first);
            int label = l[j];
            events.add(new TraceEvent(
                    t[j], TraceEvent.Kind.of(k[j]), s[j], v[j], label < known ? labelTable[label] : TOO_MANY_LABELS));
        }
        return new TraceSnapshot(events, c1, c1 - events.size());
    }
}
