package io.logexaminer.k8s;

import java.time.Duration;

/**
 * @param podTimeout how long a new connection waits for a ready pod (or for a pod that accepts the tunnel) before it
 *                   is closed with a message; the forward itself keeps listening
 * @param keepAlive  how often an idle tunnel sends an empty frame, so that load balancers and proxies on the way
 *                   and the kubelet's idle timeout do not cut it
 */
public record ForwardSettings(Duration podTimeout, Duration keepAlive) {
    public static final ForwardSettings DEFAULT = new ForwardSettings(Duration.ofSeconds(30), Duration.ofSeconds(30));
}
