package io.logexaminer.registry;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The JDK's default TLS context, made on first use. An {@link java.net.http.HttpClient} asks for its TLS context
 * when it is built, and the default one reads the trusted certificates then (a tenth of a second at start-up): a
 * run that only speaks plain HTTP, to a loopback registry or a {@code --registry http://} mirror, never pays for it.
 */
final class DeferredTls {
    private DeferredTls() {
    }

    /** A context that behaves as {@link SSLContext#getDefault()}, which it becomes when a TLS connection is first made. */
    static SSLContext context() {
        return new SSLContext(new Spi(), null, "Default") {
        };
    }

    /**
     * Parameters that leave every choice to the context: given to the client builder so that it does not ask the
     * context for its defaults at once; the engines the context makes start from those defaults.
     */
    static SSLParameters parameters() {
        return new SSLParameters();
    }

    private static final class Spi extends SSLContextSpi {
        private volatile SSLContext target;

        private SSLContext target() {
            SSLContext t = target;
            if (t == null) {
                try {
                    t = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("this Java runtime has no default TLS context", e);
                }
                target = t;
            }
            return t;
        }

        @Override
        protected void engineInit(javax.net.ssl.KeyManager[] km, javax.net.ssl.TrustManager[] tm, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("the default TLS context cannot be initialised again");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return target().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return target().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return target().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return target().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return target().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return target().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return target().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return target().getSupportedSSLParameters();
        }
    }
}
