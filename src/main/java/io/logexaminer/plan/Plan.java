package io.logexaminer.plan;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a run will do, resource by resource, in the order it will do it. The same shape serves {@code up} and
 * {@code down}, dry run or not.
 */
public record Plan(String platform, ResourceGraph graph, List<Change> changes) {

    /** One resource's action; {@code details} says what differs, for {@code update}. */
    public record Change(Resource resource, Action action, List<String> details) {
        public Change {
            details = List.copyOf(details);
        }
    }

    public Map<Action, Integer> summary() {
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        for (Action a : Action.values()) {
            counts.put(a, 0);
        }
        changes.forEach(c -> counts.merge(c.action(), 1, Integer::sum));
        return counts;
    }

    public boolean hasChanges() {
        return changes.stream().anyMatch(c -> c.action() != Action.NOOP);
    }

    /** Every resource of {@code graph}, in its order, with the same action. */
    public static Plan uniform(String platform, ResourceGraph graph, Action action) {
        return new Plan(platform, graph, graph.order().stream().map(r -> new Change(r, action, List.of())).toList());
    }
}
