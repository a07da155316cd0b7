/**
 * The event loop and its cooperative task model.
 *
 * <h2>Vocabulary</h2>
 *
 * <ul>
 *   <li><b>event loop</b> ({@link dev.yieldloop.EventLoop}): one thread repeating the iteration; owns one selector.
 *   <li><b>task</b> ({@link dev.yieldloop.Task}): a named unit of cooperative work with a {@link dev.yieldloop.TaskState}.
 *   <li><b>coroutine</b> ({@link dev.yieldloop.Coroutine}): a task's resumable body; each resume runs to the next
 *       marked point and returns a <b>step</b> ({@link dev.yieldloop.Step}).
 *   <li><b>promise</b> ({@link dev.yieldloop.Promise}): a loop-confined result that completes once.
 *   <li><b>timer</b> ({@link dev.yieldloop.Timer}): a callback due at a deadline on the loop's {@link
 *       dev.yieldloop.NanoClock}.
 *   <li><b>ready queue</b>, <b>waiting set</b>, <b>timer heap</b>, <b>inbox</b>: the loop's internal queues
 *       ({@code ReadyQueue}, {@code WaitingSet}, {@code TimerHeap}, {@code Inbox}), package-private here and visible
 *       through {@link dev.yieldloop.LoopSnapshot}. {@code LoopCore} holds the first three for the tasks, promises and
 *       timers that share them, so none of those reaches back up into the {@code EventLoop} facade.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * <p>All loop state (ready queue, waiting set, timer heap, tasks, promises, registrations) is touched only on the loop
 * thread; each such method checks it through the loop's one guard ({@code dev.yieldloop.internal.LoopThread}) and
 * throws {@link java.lang.IllegalStateException} otherwise. The inbox ({@code
 * Inbox}) is the one structure other threads write to, through {@link dev.yieldloop.EventLoop#execute} and {@link
 * dev.yieldloop.EventLoop#submit}; its class comment states the wake-up protocol and why no wake-up is lost. The
 * slow-step watchdog ({@code Watchdog}) reads two volatile fields from its own thread and states its protocol too.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>A task is in exactly one place: the ready queue (READY), the waiting set (WAITING), running (RUNNING), or
 *       nowhere (NEW, DONE). Every change goes through {@code Task.transitionTo}.
 *   <li>A WAITING task is registered on exactly one thing: a promise listener or a timer; cancelling it removes that
 *       registration at once, and cancels an awaited promise nobody else waits for, so nothing leaks.
 *   <li>Phase 6 runs only the entries that were ready when it began; a timer fires only if it was due when phase 4
 *       read the clock.
 *   <li>User code never kills the loop thread: every call into it is guarded, failures go to the task's promise or the
 *       {@link dev.yieldloop.ExceptionHandler}.
 * </ul>
 *
 * <h2>Where the ideas come from</h2>
 *
 * <p>The iteration and snapshot rule: asyncio's {@code _run_once}, libuv's {@code uv_run}. Timer heap with ties by
 * scheduling order: libuv. Cooperative budget: Tokio. Coalesced wake-up: Netty. Cancellation delivered at the marked
 * point: asyncio and Trio. The exception-handler funnel: asyncio's {@code call_exception_handler}.
 */
package dev.yieldloop;
