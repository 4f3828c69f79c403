package io.logexaminer.plan;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What resources tell their dependents during one run: physical ids, ARNs, endpoints, keyed by resource id and a
 * name. Observing an existing resource records them, creating one records them; steps run in parallel, so it is
 * thread-safe.
 */
public final class Outputs {
    private final Map<String, Map<String, String>> values = new ConcurrentHashMap<>();

    public void put(String resourceId, String key, String value) {
        if (value != null) {
            values.computeIfAbsent(resourceId, id -> new ConcurrentHashMap<>()).put(key, value);
        }
    }

    public Optional<String> get(String resourceId, String key) {
        Map<String, String> of = values.get(resourceId);
        return of == null ? Optional.empty() : Optional.ofNullable(of.get(key));
    }

    /** A value a dependency must have recorded by now; its absence is a bug in the graph or a handler. */
    public String require(String resourceId, String key) {
        return get(resourceId, key).orElseThrow(() -> new IllegalStateException(
                resourceId + " has no " + key + " yet: it should have been observed or created before its dependents"));
    }

    /** Forgets a resource's outputs, once it is deleted. */
    public void clear(String resourceId) {
        values.remove(resourceId);
    }
}
