package io.logexaminer.k8s;

/**
 * What a forward reaches: a port of a service (by number or name; each new connection goes to a ready pod behind it)
 * or a port of one pod (by number or container port name).
 */
public record ForwardTarget(Kind kind, String namespace, String name, String port) {

    public enum Kind { SERVICE, POD }

    public static ForwardTarget service(String namespace, String name, String port) {
        return new ForwardTarget(Kind.SERVICE, namespace, name, port);
    }

    public static ForwardTarget pod(String namespace, String name, String port) {
        return new ForwardTarget(Kind.POD, namespace, name, port);
    }

    /** {@code NAMESPACE/svc/NAME:PORT} or {@code NAMESPACE/pod/NAME:PORT}, for messages. */
    public String describe() {
        return namespace + "/" + (kind == Kind.SERVICE ? "svc/" : "pod/") + name + ":" + port;
    }
}
