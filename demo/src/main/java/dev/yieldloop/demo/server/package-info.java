/**
 * The slow-site server: an HTTP/1.1 server on a Yieldloop event loop that answers every request after a delay, the
 * embedded stand-in for the article's slow web sites, run alone by the {@code server} command and as a child process by
 * the workload commands.
 *
 * <h2>Why the request parser is hand-written</h2>
 *
 * <p>{@link dev.yieldloop.demo.server.HttpRequestParser} is written here rather than taken from a library (Netty's
 * {@code HttpRequestDecoder}, the JDK's {@code com.sun.net.httpserver}), because the server is itself a Yieldloop
 * demonstration: each connection is a task on the loop thread that feeds the bytes of its non-blocking reads to an
 * incremental parser, under the loop's deadlines. {@code com.sun.net.httpserver} runs its own
 * dispatcher thread and handler executor, and a library decoder comes with its own pipeline; either would hide the
 * loop the demo is about. The parser follows the same shape as the clients' {@code
 * dev.yieldloop.demo.io.HttpResponseParser}: bytes in as they arrive, nothing buffered but one line.
 *
 * <p>What the server does not support, on purpose (it serves generated pages to benchmarks and to the demo's clients):
 * HTTPS and TLS; HTTP/2, {@code h2c} and upgrades; transfer codings other than a single {@code chunked}; {@code Expect:
 * 100-continue} (no interim response is sent, so such a client sends its body after its own wait); reading request
 * bodies (they are counted and dropped); anything ambiguous that request smuggling is made of, which it rejects with
 * 400, 414 or 431 rather than guessing ({@link dev.yieldloop.demo.server.HttpRequestParser} lists each case).
 */
package dev.yieldloop.demo.server;
