package io.logexaminer.registry;

import io.logexaminer.plan.BlockingThreads;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether a server speaks TLS, asked with a fixed TLS ClientHello on a connection of its own: a TLS server answers
 * with a TLS record (its hello or an alert), a plain HTTP server with an HTTP error. Unlike a real handshake it
 * makes no keys, which in a JVM that just started costs more CPU than a whole run of HEAD requests.
 */
final class TlsSniff {
    enum Answer { TLS, PLAIN, UNKNOWN }

    private static final int HANDSHAKE = 0x16;
    private static final int ALERT = 0x15;
    private static final int TLS_MAJOR_VERSION = 0x03;

    /**
     * A TLS 1.2 ClientHello: version 3.3, a fixed random, no session, two cipher suites
     * (TLS_AES_128_GCM_SHA256 and TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), null compression, no extensions.
     */
    private static final byte[] CLIENT_HELLO = clientHello();

    private TlsSniff() {
    }

    /**
     * What the server at {@code host:port} answered; {@link Answer#UNKNOWN} when it refused, closed or kept silent.
     * The connection is made on a thread of {@link BlockingThreads}.
     */
    static Answer ask(String host, int port, Duration timeout) throws InterruptedException {
        AtomicReference<Answer> answer = new AtomicReference<>(Answer.UNKNOWN);
        Thread asking = BlockingThreads.start("tls-sniff", () -> answer.set(askHere(host, port, timeout)));
        asking.join();
        return answer.get();
    }

    private static Answer askHere(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(CLIENT_HELLO);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            int first = in.read();
            if (first < 0) {
                return Answer.UNKNOWN;
            }
            if (first != HANDSHAKE && first != ALERT) {
                return Answer.PLAIN;
            }
            int second = in.read();
            return second == TLS_MAJOR_VERSION ? Answer.TLS : second < 0 ? Answer.UNKNOWN : Answer.PLAIN;
        } catch (IOException e) {
            return Answer.UNKNOWN;
        }
    }

    private static byte[] clientHello() {
        byte[] suites = {0x13, 0x01, (byte) 0xc0, 0x2f};
        int body = 2 + 32 + 1 + 2 + suites.length + 2;
        byte[] hello = new byte[5 + 4 + body];
        int i = 0;
        hello[i++] = HANDSHAKE;
        hello[i++] = 0x03;
        hello[i++] = 0x01;
        hello[i++] = (byte) ((4 + body) >> 8);
        hello[i++] = (byte) (4 + body);
        hello[i++] = 0x01;
        hello[i++] = 0;
        hello[i++] = (byte) (body >> 8);
        hello[i++] = (byte) body;
        hello[i++] = 0x03;
        hello[i++] = 0x03;
        // The random ends a line: an HTTP server answers once it has read one, and a TLS server does not care.
        for (int r = 0; r < 30; r++) {
            hello[i++] = (byte) (r * 37 + 11);
        }
        hello[i++] = '\r';
        hello[i++] = '\n';
        hello[i++] = 0;
        hello[i++] = 0;
        hello[i++] = (byte) suites.length;
        System.arraycopy(suites, 0, hello, i, suites.length);
        i += suites.length;
        hello[i++] = 1;
        hello[i] = 0;
        return hello;
    }
}
