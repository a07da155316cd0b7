/**
 * The trace journal: what the loop did, event by event, at nanosecond resolution, and its exports.
 *
 * <p>{@link dev.yieldloop.trace.TraceJournal} is a preallocated ring of task transitions, loop phases and
 * process-pool jobs, written by the loop thread without allocating and read from any thread as a {@link
 * dev.yieldloop.trace.TraceSnapshot}. {@link dev.yieldloop.trace.ChromeTrace} turns a snapshot into Chrome Trace Event
 * JSON for Perfetto and {@code chrome://tracing}; {@link dev.yieldloop.trace.FlightEvents} names the JDK Flight Recorder
 * events the loop emits ({@code dev.yieldloop.TaskStep}, {@code dev.yieldloop.Iteration}, {@code
 * dev.yieldloop.SlowStep}). The design follows Tokio's {@code tokio-console} instrumentation and libuv's metrics: record
 * cheaply on the hot path, interpret later.
 */
package dev.yieldloop.trace;
