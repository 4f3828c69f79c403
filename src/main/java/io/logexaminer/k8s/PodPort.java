package io.logexaminer.k8s;

/** A port of a pod, where one forwarded connection goes. */
public record PodPort(String pod, int port) {
    @Override
    public String toString() {
        return pod + ":" + port;
    }
}
