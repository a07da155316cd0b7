/**
 * Yieldloop: a single-threaded event loop on a {@link java.nio.channels.Selector}, with cooperative tasks.
 *
 * <p>{@code dev.yieldloop} holds the loop, tasks, coroutines, steps and promises; {@code dev.yieldloop.net} holds
 * non-blocking TCP connections and servers driven by the loop; {@code dev.yieldloop.sync} holds loop-confined
 * semaphores, locks, queues, events and task scopes; {@code dev.yieldloop.process} holds the process pool.
 */
module dev.yieldloop {
    requires org.jctools.core;

    exports dev.yieldloop;
    exports dev.yieldloop.net;
    exports dev.yieldloop.process;
    exports dev.yieldloop.sync;
}
