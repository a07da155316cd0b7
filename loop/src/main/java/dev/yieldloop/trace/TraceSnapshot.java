package dev.yieldloop.trace;

import java.util.List;

/**
 * An immutable copy of a {@link TraceJournal}'s intact entries, oldest first.
 *
 * @param events the entries, in the order the loop thread wrote them (so in non-decreasing {@code nanos} on a monotonic
 *     clock)
 * @param recorded how many entries the journal had written in total when the copy was taken
 * @param dropped how many of those are not in {@code events}: overwritten by the ring (oldest first), or being
 *     overwritten while the copy was taken
 */
public record TraceSnapshot(List<TraceEvent> events, long recorded, long dropped) {

    /**
     * Copies the list.
     *
     * @param events the entries
     * @param recorded total entries written
     * @param dropped entries not kept
     */
    public TraceSnapshot {
        events = List.copyOf(events);
    }
}
