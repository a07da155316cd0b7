package dev.yieldloop.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker state machine: the legal changes, and every other one refused with both states named. */
class WorkerStateTest {

    /** Every change the diagram draws, and nothing else. */
    private static final Map<WorkerState, Set<WorkerState>> LEGAL = Map.of(
            WorkerState.STARTING, EnumSet.of(WorkerState.IDLE, WorkerState.EXITED, WorkerState.DEAD),
            WorkerState.IDLE, EnumSet.of(WorkerState.BUSY, WorkerState.EXITED, WorkerState.DEAD),
            WorkerState.BUSY, EnumSet.of(WorkerState.IDLE, WorkerState.EXITED, WorkerState.DEAD),
            WorkerState.EXITED, EnumSet.of(WorkerState.DEAD),
            WorkerState.DEAD, EnumSet.noneOf(WorkerState.class));

    /** A process that is never started: the state machine only needs its pid, for the worker's name. */
    private static final class NoProcess extends Process {
        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() {
            return 0;
        }

        @Override
        public int exitValue() {
            return 0;
        }

        @Override
        public void destroy() {}

        @Override
        public long pid() {
            return 4242;
        }
    }

    /** A worker brought to {@code state} through legal transitions only. */
    private static Worker workerIn(WorkerState state) {
        Worker w = new Worker(3, new NoProcess(), 0);
        switch (state) {
            case STARTING -> {}
            case IDLE -> w.transitionTo(WorkerState.IDLE);
            case BUSY -> {
                w.transitionTo(WorkerState.IDLE);
                w.transitionTo(WorkerState.BUSY);
            }
            case EXITED -> w.transitionTo(WorkerState.EXITED);
            case DEAD -> w.transitionTo(WorkerState.DEAD);
        }
        assertThat(w.state()).isEqualTo(state);
        return w;
    }

    @Test
    void aNewWorkerIsStarting() {
        assertThat(new Worker(0, new NoProcess(), 0).state()).isEqualTo(WorkerState.STARTING);
    }

    @Test
    void canMoveToAllowsExactlyTheDrawnTransitions() {
        for (WorkerState from : WorkerState.values()) {
            for (WorkerState to : WorkerState.values()) {
                assertThat(from.canMoveTo(to))
                        .as("%s → %s", from, to)
                        .isEqualTo(LEGAL.get(from).contains(to));
            }
        }
    }

    @Test
    void everyLegalTransitionChangesTheState() {
        for (WorkerState from : WorkerState.values()) {
            for (WorkerState to : LEGAL.get(from)) {
                Worker w = workerIn(from);
                w.transitionTo(to);
                assertThat(w.state()).as("%s → %s", from, to).isEqualTo(to);
            }
        }
    }

    @Test
    void theLifeOfAWorkerThatRunsTwoJobsThenDies() {
        Worker w = workerIn(WorkerState.STARTING);
        for (WorkerState next : new WorkerState[] {
            WorkerState.IDLE, WorkerState.BUSY, WorkerState.IDLE, WorkerState.BUSY, WorkerState.DEAD
        }) {
            w.transitionTo(next);
            assertThat(w.state()).isEqualTo(next);
        }
    }

    @Test
    void everyIllegalTransitionThrowsNamingBothStatesAndLeavesTheStateAlone() {
        int illegal = 0;
        for (WorkerState from : WorkerState.values()) {
            for (WorkerState to : EnumSet.complementOf(EnumSet.copyOf(LEGAL.get(from)))) {
                Worker w = workerIn(from);
                assertThatThrownBy(() -> w.transitionTo(to))
                        .as("%s → %s", from, to)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(from + " → " + to)
                        .hasMessageContaining("worker 3 (pid 4242)");
                assertThat(w.state()).isEqualTo(from);
                illegal++;
            }
        }
        // 25 pairs, 10 of them legal; DEAD → DEAD and the self-loops are among the illegal ones
        assertThat(illegal).isEqualTo(15);
    }

    @Test
    void anExitedWorkerCanNeitherTakeAJobNorComeBack() {
        Worker w = workerIn(WorkerState.BUSY);
        w.transitionTo(WorkerState.EXITED);
        for (WorkerState back : new WorkerState[] {WorkerState.STARTING, WorkerState.IDLE, WorkerState.BUSY}) {
            assertThatThrownBy(() -> w.transitionTo(back))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("EXITED → " + back);
        }
        w.transitionTo(WorkerState.DEAD);
        assertThat(w.state()).isEqualTo(WorkerState.DEAD);
    }

    @Test
    void theFirstTroubleRecordedIsTheExitReason() {
        Worker w = workerIn(WorkerState.IDLE);
        assertThat(w.exitReason()).isNull();
        w.recordTrouble("connection closed");
        w.recordTrouble("protocol error: late");
        assertThat(w.exitReason()).isEqualTo(new Worker.ExitReason(false, "connection closed"));
        assertThat(w.killedByPool()).isFalse();
    }

    @Test
    void aStopByThePoolOverridesTroubleAndIsNeverOverwritten() {
        Worker w = workerIn(WorkerState.BUSY);
        w.recordTrouble("connection closed");
        w.stopByPool("its job was cancelled");
        w.recordTrouble("protocol error: late");
        w.stopByPool("the pool is closing");
        assertThat(w.killedByPool()).isTrue();
        assertThat(w.exitReason()).isEqualTo(new Worker.ExitReason(true, "its job was cancelled"));
    }
}
