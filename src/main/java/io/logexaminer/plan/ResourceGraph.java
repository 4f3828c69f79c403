package io.logexaminer.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * An immutable, acyclic set of resources. {@link #order()} is a dependency order that is the same on every run
 * for the same graph: among resources that are ready together, the one added first comes first.
 */
public final class ResourceGraph {
    private final Map<String, Resource> byId;
    private final Map<String, List<String>> dependents;
    private final List<Resource> order;

    private ResourceGraph(Map<String, Resource> byId) {
        this.byId = byId;
        this.dependents = new HashMap<>();
        byId.keySet().forEach(id -> dependents.put(id, new ArrayList<>()));
        for (Resource r : byId.values()) {
            for (String dep : r.dependsOn()) {
                dependents.get(dep).add(r.id());
            }
        }
        this.order = topologicalOrder();
    }

    /** Builds a graph; fails on a duplicate id, a dependency on an unknown id, or a cycle. */
    public static ResourceGraph of(Collection<Resource> resources) {
        Map<String, Resource> byId = new LinkedHashMap<>();
        for (Resource r : resources) {
            if (byId.putIfAbsent(r.id(), r) != null) {
                throw new IllegalArgumentException("duplicate resource id " + r.id());
            }
        }
        for (Resource r : byId.values()) {
            for (String dep : r.dependsOn()) {
                if (!byId.containsKey(dep)) {
                    throw new IllegalArgumentException(r.id() + " depends on unknown resource " + dep);
                }
            }
        }
        return new ResourceGraph(byId);
    }

    public List<Resource> order() {
        return order;
    }

    public int size() {
        return byId.size();
    }

    public Optional<Resource> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Resource require(String id) {
        Resource r = byId.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no resource " + id);
        }
        return r;
    }

    /** The ids that depend directly on {@code id}. */
    public List<String> dependents(String id) {
        return List.copyOf(dependents.get(id));
    }

    /** The same resources with every edge turned round: the order to delete them in. */
    public ResourceGraph reversed() {
        List<Resource> flipped = new ArrayList<>();
        for (Resource r : order.reversed()) {
            flipped.add(new Resource(r.id(), dependents.get(r.id()), r.spec()));
        }
        return of(flipped);
    }

    /** The resources that satisfy {@code keep} and depend only on kept resources, transitively: a graph that can run alone. */
    public ResourceGraph subgraph(java.util.function.Predicate<Resource> keep) {
        java.util.Set<String> kept = new java.util.HashSet<>();
        List<Resource> out = new ArrayList<>();
        for (Resource r : order) {
            if (keep.test(r) && kept.containsAll(r.dependsOn())) {
                kept.add(r.id());
                out.add(r);
            }
        }
        return of(out);
    }

    private List<Resource> topologicalOrder() {
        Map<String, Integer> position = new HashMap<>();
        List<String> ids = new ArrayList<>(byId.keySet());
        for (int i = 0; i < ids.size(); i++) {
            position.put(ids.get(i), i);
        }
        Map<String, Integer> waiting = new HashMap<>();
        PriorityQueue<String> ready = new PriorityQueue<>((a, b) -> Integer.compare(position.get(a), position.get(b)));
        for (Resource r : byId.values()) {
            waiting.put(r.id(), r.dependsOn().size());
            if (r.dependsOn().isEmpty()) {
                ready.add(r.id());
            }
        }
        List<Resource> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            out.add(byId.get(id));
            for (String next : dependents.get(id)) {
                if (waiting.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        if (out.size() != byId.size()) {
            List<String> stuck = byId.keySet().stream().filter(id -> waiting.get(id) > 0).sorted().toList();
            throw new IllegalArgumentException("dependency cycle among " + String.join(", ", stuck));
        }
        return List.copyOf(out);
    }
}
