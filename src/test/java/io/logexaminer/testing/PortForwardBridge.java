package io.logexaminer.testing;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The server side of one pod {@code portforward} WebSocket, as the kubelet speaks {@code v4.channel.k8s.io}: for
 * the i-th requested port a data channel {@code 2i} and an error channel {@code 2i+1}, each starting with the port
 * as two little-endian bytes; then every frame is one channel byte and data. Each port is bridged to a real TCP
 * server; a refused connection is reported on the error channel. When the server ends its side, the stream closes a
 * second later at most, as containerd does.
 */
final class PortForwardBridge extends WebSocketListener {
    private static final int READ_BUFFER = 64 * 1024 - 1;
    private static final long LINGER_MS = 1000;
    private static final byte[] END = new byte[0];

    private final String pod;
    private final List<Integer> ports;
    private final IntFunction<InetSocketAddress> backends;
    private final Stream[] streams;
    private volatile WebSocket webSocket;

    PortForwardBridge(String pod, List<Integer> ports, IntFunction<InetSocketAddress> backends) {
        this.pod = pod;
        this.ports = ports;
        this.backends = backends;
        this.streams = new Stream[ports.size()];
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
        webSocket = ws;
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            ws.send(new byte[]{(byte) (2 * i), (byte) (port & 0xff), (byte) (port >> 8)});
            ws.send(new byte[]{(byte) (2 * i + 1), (byte) (port & 0xff), (byte) (port >> 8)});
            streams[i] = new Stream(i, port);
            Thread.ofVirtual().name("bridge-" + pod + "-" + port).start(streams[i]::run);
        }
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        int channel = bytes[0] & 0xff;
        if (channel % 2 == 0 && channel / 2 < streams.length && bytes.length > 1) {
            streams[channel / 2].toServer.add(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
        }
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
        onMessage(ws, bytes.toByteArray());
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
        clientGone();
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
        clientGone();
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
        clientGone();
    }

    private void clientGone() {
        for (Stream s : streams) {
            if (s != null) {
                s.toServer.add(END);
            }
        }
    }

    private void streamEnded() {
        for (Stream s : streams) {
            if (s != null && !s.ended) {
                return;
            }
        }
        webSocket.close(1000, "");
    }

    private final class Stream {
        final int index;
        final int port;
        final BlockingQueue<byte[]> toServer = new LinkedBlockingQueue<>();
        volatile boolean ended;

        Stream(int index, int port) {
            this.index = index;
            this.port = port;
        }

        void run() {
            InetSocketAddress backend = backends.apply(port);
            SocketChannel server;
            try {
                if (backend == null) {
                    throw new IOException("no route to port " + port + " in the test cluster");
                }
                server = SocketChannel.open(backend);
            } catch (IOException e) {
                String message = "error forwarding port " + port + " to pod " + pod + ": dial " + backend + ": " + e.getMessage();
                byte[] text = message.getBytes(StandardCharsets.UTF_8);
                byte[] frame = new byte[text.length + 1];
                frame[0] = (byte) (2 * index + 1);
                System.arraycopy(text, 0, frame, 1, text.length);
                webSocket.send(frame);
                ended = true;
                streamEnded();
                return;
            }
            Thread writer = Thread.ofVirtual().start(() -> writeToServer(server));
            try {
                ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER + 1);
                while (true) {
                    buffer.clear();
                    buffer.put((byte) (2 * index));
                    if (server.read(buffer) < 0) {
                        break;
                    }
                    webSocket.send(java.util.Arrays.copyOf(buffer.array(), buffer.position()));
                }
            } catch (IOException closed) {
                // the client side ended first and closed the socket
            }
            try {
                writer.join(LINGER_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close(server);
            ended = true;
            streamEnded();
        }

        private void writeToServer(SocketChannel server) {
            try {
                while (true) {
                    byte[] data = toServer.poll(1, TimeUnit.HOURS);
                    if (data == null || data == END) {
                        break;
                    }
                    ByteBuffer b = ByteBuffer.wrap(data);
                    while (b.hasRemaining()) {
                        server.write(b);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the server went away; the reader sees it too
            }
            close(server);
        }

        private void close(SocketChannel server) {
            try {
                server.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
