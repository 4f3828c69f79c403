package io.logexaminer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP server on a free loopback port that sends back every byte it receives, on each connection until its end. */
public final class EchoServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    public EchoServer() {
        try {
            server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("echo-accept").start(this::accept);
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    private void accept() {
        while (true) {
            try {
                SocketChannel c = server.accept();
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                accepted.incrementAndGet();
                open.add(c);
                Thread.ofVirtual().name("echo").start(() -> echo(c));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(SocketChannel c) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (c) {
            while (c.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    c.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException e) {
            // the client reset the connection
        } finally {
            open.remove(c);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            for (SocketChannel c : open) {
                c.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
