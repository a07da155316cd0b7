package dev.yieldloop.demo.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * What one strategy did during a traced run, as lanes of spans and milestones, ready to draw. Times are nanoseconds
 * since the strategy's start, measured (never modelled).
 *
 * @param strategy the strategy's name
 * @param wallNanos the strategy's wall time, in nanoseconds
 * @param caption one sentence saying what the lanes are
 * @param lanes top to bottom
 */
public record Timeline(String strategy, long wallNanos, String caption, List<Lane> lanes) {

    /**
     * Copies the lanes.
     *
     * @param strategy the strategy's name
     * @param wallNanos wall time, ns
     * @param caption what the lanes are
     * @param lanes top to bottom
     */
    public Timeline {
        lanes = List.copyOf(lanes);
    }

    /** What a span shows. */
    public enum SpanKind {
        /** Code running on the lane's thread (a blocking client's connect/write/parse, or a task's step). */
        RUNNING,
        /** Waiting for the network: blocked in a read (threads), or parked on a promise (tasks). */
        WAITING,
        /** A process-pool job, from dispatch to answer, in its worker process. */
        JOB
    }

    /** A download's milestones. */
    public enum MarkKind {
        /** The download started. */
        START,
        /** The request was written. */
        SENT,
        /** The first byte of the response arrived. */
        FIRST_BYTE,
        /** The response was complete. */
        DONE
    }

    /**
     * A span of a lane.
     *
     * @param fromNanos start, ns since the strategy's start
     * @param toNanos end, ns since the strategy's start
     * @param kind what it shows
     * @param label e.g. the download or what a task waits on
     */
    public record Span(long fromNanos, long toNanos, SpanKind kind, String label) {}

    /**
     * A milestone of a download.
     *
     * @param atNanos when, ns since the strategy's start
     * @param kind which
     * @param download the download's index
     */
    public record Mark(long atNanos, MarkKind kind, int download) {}

    /**
     * One lane: a thread, the loop thread, a task, or a worker process.
     *
     * @param name shown left of the lane
     * @param spans its spans
     * @param marks its milestones
     */
    public record Lane(String name, List<Span> spans, List<Mark> marks) {

        /**
         * Copies the lists.
         *
         * @param name the lane's name
         * @param spans its spans
         * @param marks its milestones
         */
        public Lane {
            spans = List.copyOf(spans);
            marks = List.copyOf(marks);
        }
    }

    /** A lane being filled: not thread-safe, fill it from one thread or under a lock. */
    static final class LaneBuilder {
        final String name;
        final List<Span> spans = new ArrayList<>();
        final List<Mark> marks = new ArrayList<>();

        LaneBuilder(String name) {
            this.name = name;
        }

        Lane build() {
            return new Lane(name, spans, marks);
        }
    }
}
