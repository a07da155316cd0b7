/**
 * Yieldloop: a single-threaded event loop on a {@link java.nio.channels.Selector}, with cooperative tasks.
 *
 * <p>{@code dev.yieldloop} holds the loop, tasks, coroutines, steps and promises; {@code dev.yieldloop.net} holds
 * non-blocking TCP connections and servers driven by the loop; {@code dev.yieldloop.sync} holds loop-confined
 * semaphores, locks, queues, events and task scopes; {@code dev.yieldloop.process} holds the process pool; {@code
 * dev.yieldloop.trace} holds the trace journal, its Chrome trace export and the JFR events.
 */
module dev.yieldloop {
    requires org.jctools.core;
    requires jdk.jfr;

    exports dev.yieldloop;
    exports dev.yieldloop.net;
    exports dev.yieldloop.process;
    exports dev.yieldloop.sync;
    exports dev.yieldloop.trace;
}
