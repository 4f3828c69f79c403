package io.logexaminer.action;

import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.error.UsageException;
import io.logexaminer.k8s.ForwardTarget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The target grammar of {@code port-forward}, and the platform's names behind {@code clickhouse} and {@code hms}. */
class PortForwardTargetsTest {
    private static final Supplier<Platform> PLATFORM = () -> PlatformLoader.parse("platform.yaml", """
            name: lake
            region: eu-west-1
            kubernetes:
              clickhouse:
                namespace: olap
                serviceName: ch
                httpPort: 18123
              hiveMetastore:
                namespace: meta
                port: 19083
            """, Optional.empty()).platform();

    private static List<PortForwardAction.Wanted> parse(String target) {
        return PortForwardAction.parse(target, "apps", PLATFORM);
    }

    @Test
    void clickhouseIsBothPortsOfThePlatformsServiceOnTheSameLocalPorts() {
        List<PortForwardAction.Wanted> ch = parse("clickhouse");
        assertEquals(2, ch.size());
        assertEquals(List.of("olap/ch/18123/http/CLICKHOUSE_URL", "olap/ch/9000/native/CLICKHOUSE_NATIVE_ADDRESS"),
                ch.stream().map(w -> w.namespace() + "/" + w.name() + "/" + w.remote().orElseThrow() + "/" + w.label().orElseThrow()
                        + "/" + w.envName().orElseThrow()).toList());
        assertEquals(OptionalInt.empty(), ch.getFirst().local(), "the local port is the remote one");
        PortForwardAction.Wanted hms = parse("hms").getFirst();
        assertEquals("meta/hive-metastore:19083 thrift HMS_URI", hms.namespace() + "/" + hms.name() + ":" + hms.remote().orElseThrow()
                + " " + hms.label().orElseThrow() + " " + hms.envName().orElseThrow());
    }

    @Test
    void portsAreRemoteOrLocalColonRemote() {
        PortForwardAction.Wanted one = parse("clickhouse:0:native").getFirst();
        assertEquals(Optional.of("9000"), one.remote());
        assertEquals(OptionalInt.of(0), one.local());
        PortForwardAction.Wanted svc = parse("service/web:8080:http").getFirst();
        assertEquals("svc/web", svc.target());
        assertEquals(ForwardTarget.Kind.SERVICE, svc.kind());
        assertEquals("apps", svc.namespace());
        assertEquals(Optional.of("http"), svc.remote());
        assertEquals(OptionalInt.of(8080), svc.local());
        assertEquals(Optional.empty(), parse("svc/web").getFirst().remote(), "every port of the service");
        PortForwardAction.Wanted pod = parse("pod/web-0.x:5432").getFirst();
        assertEquals(ForwardTarget.Kind.POD, pod.kind());
        assertEquals("web-0.x", pod.name());
    }

    @Test
    void malformedTargetsAreUsageErrors() {
        for (String bad : List.of("clickhousex", "svc/", "pods/x:80", "svc/Web:80", "svc/web:1:2:3", "")) {
            assertEquals("unknown target '" + bad + "': use clickhouse, hms, svc/NAME[:PORT] or pod/NAME:PORT (PORT is REMOTE or LOCAL:REMOTE)",
                    assertThrows(UsageException.class, () -> parse(bad)).getMessage());
        }
        assertEquals("'svc/web:70000': 70000 is not a port (0 to 65535)",
                assertThrows(UsageException.class, () -> parse("svc/web:70000")).getMessage());
        assertEquals("'hms:9000': 9000 is none of its ports (19083 thrift)",
                assertThrows(UsageException.class, () -> parse("hms:9000")).getMessage());
    }
}
