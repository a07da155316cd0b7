/**
 * The article's IO-bound workload: {@link dev.yieldloop.demo.io.Downloads} (N downloads from a slow site) and its
 * command, {@link dev.yieldloop.demo.io.IoCommand}, with the HTTP/1.1 client they need.
 *
 * <h2>Why the HTTP client is hand-written</h2>
 *
 * <p>The URL ({@link dev.yieldloop.demo.io.HttpUrl}), the request bytes and the response parser ({@link
 * dev.yieldloop.demo.io.HttpResponseParser}) are written here rather than taken from {@code java.net.http.HttpClient}
 * or a library, for two reasons:
 *
 * <ul>
 *   <li>The {@code event-loop} strategy's client ({@link dev.yieldloop.demo.io.LoopDownload}) must run on the loop
 *       thread as a task, with non-blocking reads through Yieldloop's own connection, so that one thread is seen to do
 *       the whole job. {@code HttpClient} runs its own selector thread and executor and hands back a {@code
 *       CompletableFuture}; a library client (Netty's, Apache's, OkHttp's) brings its own event loop or thread pool.
 *       Either would measure that client's machinery, not Yieldloop's.
 *   <li>The blocking strategies ({@link dev.yieldloop.demo.io.BlockingHttpClient} on sequential code, thread pools,
 *       virtual threads and worker processes) feed the same bytes to the same {@link
 *       dev.yieldloop.demo.io.HttpResponseParser}, so the strategies differ only in how they wait, and the comparison
 *       is fair: no strategy is faster or slower because its parser is.
 * </ul>
 *
 * <p>What the client does not support, on purpose (the demo measures waiting, against its own slow-site server or a
 * list of plain-HTTP URLs): HTTPS and TLS; HTTP/2 and upgrades; redirects, cookies, proxies and authentication;
 * request bodies (it sends {@code GET} only); {@code HEAD} responses (a body is always expected unless the status
 * says there is none); decoding of {@code Content-Encoding} (it sends no {@code Accept-Encoding}, and a body is
 * digested as sent); keeping header values other than those that frame the body. It does support the three ways a
 * body can end ({@code Content-Length}, {@code chunked} with trailers, the server closing the connection), interim
 * {@code 1xx} responses, and keep-alive reuse with one retry when a reused connection turns out closed.
 *
 * <p>The server side's parser, with the same reasoning, is in {@code dev.yieldloop.demo.server}.
 */
package dev.yieldloop.demo.io;
