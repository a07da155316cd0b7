/**
 * Non-blocking stream sockets on the event loop, TCP or Unix domain: {@link dev.yieldloop.net.Connection} (connect,
 * read, stream reads, write with watermarks, deadlines, half-close, close) and {@link dev.yieldloop.net.Server} (listen,
 * accept, graceful close), with their TCP subclasses {@link dev.yieldloop.net.TcpConnection} and {@link
 * dev.yieldloop.net.TcpServer}.
 *
 * <p>Every operation that may wait returns a {@link dev.yieldloop.Promise}; interest ops are set on the selector only
 * while someone waits for that readiness, so an idle channel never wakes the selector. End of stream, reset and
 * refusal are outcomes carried by promises (a read of -1, a failed promise), never exceptions escaping into the loop.
 * All methods are loop thread only unless their Javadoc says "Thread-safe".
 *
 * <p>Origins: asyncio's transports and {@code start_server}, libuv's {@code uv_tcp_t}, Netty's NIO channel.
 */
package dev.yieldloop.net;
