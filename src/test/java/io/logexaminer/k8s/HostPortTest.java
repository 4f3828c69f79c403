package io.logexaminer.k8s;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HostPortTest {

    @Test
    void anIpv6LiteralGetsBracketsAnIpv4AddressOrAHostNameDoesNot() throws Exception {
        assertEquals("127.0.0.1:8123", HostPort.format("127.0.0.1", 8123));
        assertEquals("clickhouse.olap:9000", HostPort.format("clickhouse.olap", 9000));
        assertEquals("[::1]:9083", HostPort.format("::1", 9083));
        assertEquals("[fe80:0:0:0:0:0:0:1]:80", HostPort.format(new InetSocketAddress(InetAddress.getByName("fe80::1"), 80)));
        assertEquals("0.0.0.0:0", HostPort.format(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)));
        assertEquals("db.internal:5432", HostPort.format(InetSocketAddress.createUnresolved("db.internal", 5432)));
    }
}
