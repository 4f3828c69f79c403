package io.logexaminer.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.logexaminer.error.OperationFailedException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeSet;

/** Values kept in Kubernetes secrets. Messages name secrets and keys, never what they hold. */
public final class ClusterSecrets {
    private ClusterSecrets() {
    }

    /** The value under {@code key} of secret {@code namespace/name}, decoded. */
    public static String value(ClusterClient cluster, String namespace, String name, String key) {
        Secret secret;
        try {
            secret = cluster.client().secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw cluster.failure("read secret " + namespace + "/" + name, e);
        }
        if (secret == null) {
            throw new OperationFailedException("secret " + namespace + "/" + name + " does not exist on " + cluster.description());
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String encoded = data.get(key);
        if (encoded == null) {
            throw new OperationFailedException("secret " + namespace + "/" + name + " has no key " + key + " (it has: "
                    + String.join(", ", new TreeSet<>(data.keySet())) + ")");
        }
        try {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OperationFailedException("secret " + namespace + "/" + name + ": key " + key + " is not base64");
        }
    }
}
