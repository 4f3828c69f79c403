package io.logexaminer.k8s;

import java.net.InetSocketAddress;

/** An address and port as messages and endpoints show them: {@code HOST:PORT}, with an IPv6 literal in brackets. */
public final class HostPort {
    private HostPort() {
    }

    public static String format(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The numeric address when it is resolved, else the host name as given. */
    public static String format(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return format(host, address.getPort());
    }
}
