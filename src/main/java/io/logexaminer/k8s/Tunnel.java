package io.logexaminer.k8s;

import io.fabric8.kubernetes.client.http.WebSocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One forwarded connection: a local socket joined to a pod port over a {@code portforward} WebSocket speaking
 * {@code v4.channel.k8s.io}. Frames are one channel byte and data: channel 0 carries the stream both ways, channel 1
 * the kubelet's error text; on each the first two bytes from the server are the port number.
 * <p>
 * The protocol cannot carry a half close. When the local client ends its side, the tunnel stays open while the pod
 * keeps answering and closes once it has been quiet for a second (what socat and containerd do); when the pod's
 * side ends, the client gets the rest of the data and then the end of the stream.
 */
final class Tunnel implements WebSocket.Listener {
    static final String PROTOCOL = "v4.channel.k8s.io";
    /** Channel byte and data in one frame of at most 64 KiB, a limit every WebSocket server on the way accepts. */
    static final int FRAME_SIZE = 64 * 1024;
    static final Duration LINGER = Duration.ofSeconds(1);
    /** Messages the WebSocket may read ahead of the local writes: enough to keep both sockets busy, bounded. */
    static final int RECEIVE_AHEAD = 16;
    private static final int DATA = 0;
    private static final int ERROR = 1;

    private final SocketChannel local;
    private final String where;
    private final Consumer<String> notices;
    private final ReentrantLock sending = new ReentrantLock();
    private final CompletableFuture<Void> remoteDone = new CompletableFuture<>();
    private final CompletableFuture<Void> localDone = new CompletableFuture<>();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final StringBuilder error = new StringBuilder();
    private volatile WebSocket webSocket;
    private volatile long lastSent = System.nanoTime();
    private volatile long lastReceived = System.nanoTime();
    private int dataHeader;
    private int errorHeader;

    /** {@code where} names the pod port in messages ({@code NAMESPACE/POD:PORT}). */
    Tunnel(SocketChannel local, String where, Consumer<String> notices) {
        this.local = local;
        this.where = where;
        this.notices = notices;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.webSocket = webSocket;
        for (int i = 1; i < RECEIVE_AHEAD; i++) {
            webSocket.request();
        }
    }

    /**
     * Moves data both ways until either side ends; runs on the caller's thread, the other direction on its own. Once
     * the pod's side has ended, whatever the client still sends is dropped until it ends too, at most a second.
     */
    void run() {
        try {
            ByteBuffer frame = ByteBuffer.allocateDirect(FRAME_SIZE);
            while (true) {
                frame.clear();
                frame.put((byte) DATA);
                if (local.read(frame) < 0) {
                    break;
                }
                if (remoteDone.isDone()) {
                    continue;
                }
                frame.flip();
                if (!send(frame)) {
                    break;
                }
            }
            localDone.complete(null);
            lingerWhileThePodAnswers();
        } catch (IOException e) {
            // the client reset the connection, or the tunnel closed it
        }
        localDone.complete(null);
        closeRemote();
        awaitQuietly(remoteDone, LINGER);
        closeLocal();
    }

    /** After the client's end of stream: wait while data still comes from the pod, at most a quiet second. */
    private void lingerWhileThePodAnswers() {
        while (!remoteDone.isDone()) {
            long quiet = System.nanoTime() - lastReceived;
            if (quiet >= LINGER.toNanos()) {
                return;
            }
            try {
                remoteDone.get(LINGER.toNanos() - quiet, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // check again how long it has been quiet
            } catch (Exception e) {
                return;
            }
        }
    }

    /** Sends one frame once the previous one has left: the JDK WebSocket takes one outstanding message at a time. */
    private boolean send(ByteBuffer frame) {
        sending.lock();
        try {
            while (webSocket.queueSize() > 0) {
                if (remoteDone.isDone()) {
                    return false;
                }
                LockSupport.parkNanos(20_000);
            }
            lastSent = System.nanoTime();
            return webSocket.send(frame);
        } finally {
            sending.unlock();
        }
    }

    /** An empty frame when nothing was sent for {@code interval}: the kubelet skips it, and it resets every idle timer. */
    void keepAlive(Duration interval) {
        if (remoteDone.isDone() || System.nanoTime() - lastSent < interval.toNanos() || !sending.tryLock()) {
            return;
        }
        try {
            if (webSocket.queueSize() == 0) {
                lastSent = System.nanoTime();
                webSocket.send(ByteBuffer.allocate(0));
            }
        } finally {
            sending.unlock();
        }
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteBuffer frame) {
        lastReceived = System.nanoTime();
        if (!frame.hasRemaining()) {
            webSocket.request();
            return;
        }
        int channel = frame.get() & 0xff;
        if (channel == DATA) {
            while (dataHeader < 2 && frame.hasRemaining()) {
                frame.get();
                dataHeader++;
            }
            if (frame.hasRemaining() && !writeToLocal(frame)) {
                return;
            }
        } else if (channel == ERROR) {
            while (errorHeader < 2 && frame.hasRemaining()) {
                frame.get();
                errorHeader++;
            }
            if (frame.hasRemaining()) {
                synchronized (error) {
                    error.append(StandardCharsets.UTF_8.decode(frame));
                }
            }
        }
        webSocket.request();
    }

    /**
     * Writes on the WebSocket's delivery thread, which the JDK client runs for this WebSocket alone: the next message
     * waits for this write, and a client that stops reading holds back only its own tunnel.
     */
    private boolean writeToLocal(ByteBuffer data) {
        try {
            while (data.hasRemaining()) {
                local.write(data);
            }
            return true;
        } catch (IOException e) {
            close();
            return false;
        }
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        webSocket.request();
    }

    @Override
    public void onClose(WebSocket webSocket, int code, String reason) {
        remoteFinished();
    }

    @Override
    public void onError(WebSocket webSocket, Throwable t) {
        if (!closeSent.get()) {
            notices.accept(where + ": the tunnel broke (" + ClusterClient.firstLine(t) + "); closed the connection");
        }
        remoteFinished();
    }

    private void remoteFinished() {
        if (remoteDone.complete(null)) {
            String text;
            synchronized (error) {
                text = error.toString().strip();
            }
            if (!text.isEmpty()) {
                notices.accept(where + ": " + text.lines().findFirst().orElse(text));
            }
            try {
                local.shutdownOutput();
            } catch (IOException e) {
                // the client is gone already
            }
            Thread.ofVirtual().name("tunnel-linger").start(() -> {
                awaitQuietly(localDone, LINGER);
                closeLocal();
            });
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> done, Duration atMost) {
        try {
            done.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // waited long enough
        }
    }

    /** Ends the tunnel from this side: the pod's connection closes, and so does the local one. */
    void close() {
        closeRemote();
        remoteFinished();
        closeLocal();
    }

    private void closeRemote() {
        WebSocket ws = webSocket;
        if (ws != null && closeSent.compareAndSet(false, true)) {
            ws.sendClose(1000, "closed");
        }
    }

    private void closeLocal() {
        try {
            local.close();
        } catch (IOException ignored) {
            // closing a socket that is already gone
        }
    }
}
