package io.logexaminer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a real server that cuts a connection after it carried nothing either way for a while, as
 * load balancers and NAT gateways do.
 */
public final class IdleTimeoutProxy implements AutoCloseable {
    private final ServerSocketChannel server;
    private final InetSocketAddress upstream;
    private final Duration idleTimeout;
    private final AtomicInteger cut = new AtomicInteger();

    public IdleTimeoutProxy(InetSocketAddress upstream, Duration idleTimeout) {
        this.upstream = upstream;
        this.idleTimeout = idleTimeout;
        try {
            server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    /** Connections cut for being idle. */
    public int cut() {
        return cut.get();
    }

    private void accept() {
        while (true) {
            try {
                SocketChannel client = server.accept();
                SocketChannel target = SocketChannel.open(upstream);
                AtomicLong last = new AtomicLong(System.nanoTime());
                Thread.ofVirtual().start(() -> pump(client, target, last));
                Thread.ofVirtual().start(() -> pump(target, client, last));
                Thread.ofVirtual().start(() -> watch(client, target, last));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(SocketChannel from, SocketChannel to, AtomicLong last) {
        ByteBuffer buffer = ByteBuffer.allocate(32 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                last.set(System.nanoTime());
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException e) {
            // cut, or closed by the other side
        }
        closeBoth(from, to);
    }

    private void watch(SocketChannel a, SocketChannel b, AtomicLong last) {
        while (a.isOpen() && b.isOpen()) {
            long idle = System.nanoTime() - last.get();
            if (idle >= idleTimeout.toNanos()) {
                cut.incrementAndGet();
                closeBoth(a, b);
                return;
            }
            try {
                Thread.sleep(Duration.ofNanos(idleTimeout.toNanos() - idle));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void closeBoth(SocketChannel a, SocketChannel b) {
        try {
            a.close();
            b.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
