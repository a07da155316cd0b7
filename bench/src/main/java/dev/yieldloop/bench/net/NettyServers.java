package dev.yieldloop.bench.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Netty servers under test: Netty 4.2's NIO transport with one event loop thread for accept and I/O (what {@code
 * new NioEventLoopGroup(1)} builds in 4.2, without the deprecated class): a TCP echo and the raw-bytes HTTP/1.1 hello
 * server (no HTTP codec, the same {@link HelloResponse.Scanner} as Yieldloop's).
 *
 * <p>Thread-safe: handlers run on Netty's event loop thread.
 */
final class NettyServers {

    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(HelloResponse.BYTES));

    private NettyServers() {}

    static RunningServer echo() throws InterruptedException {
        return start(Echo::new);
    }

    static RunningServer hello() throws InterruptedException {
        return start(Hello::new);
    }

    private static RunningServer start(Supplier<ChannelHandler> handler) throws InterruptedException {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap()
                .group(group, group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(handler.get());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return new RunningServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                server.close().awaitUninterruptibly(5_000);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
            }
        };
    }

    /** Writes back what it reads, flushing once per read burst. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Answers each request head with the fixed hello response. */
    private static final class Hello extends ChannelInboundHandlerAdapter {
        private final HelloResponse.Scanner scanner = new HelloResponse.Scanner();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int requests = 0;
                for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
                    requests += scanner.step(in.getByte(i));
                }
                for (int i = 0; i < requests; i++) {
                    ctx.write(HELLO.duplicate());
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
