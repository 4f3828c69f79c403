package io.logexaminer.plan;

import java.util.List;

/**
 * What a handler found for one resource.
 *
 * @param differences what {@code up} would change in place, one line each
 * @param blockers    differences that cannot be changed in place, each saying the way out; {@code up} refuses them
 * @param notes       what {@code down} would do beyond deleting (a final snapshot, data kept), or why it leaves the
 *                    resource alone
 */
public record Observation(Presence presence, List<String> differences, List<String> blockers, List<String> notes) {

    public enum Presence {
        ABSENT,
        PRESENT,
        /** Something with the resource's name exists but does not carry this platform's owner tag: never touched. */
        NOT_OWNED
    }

    public Observation {
        differences = List.copyOf(differences);
        blockers = List.copyOf(blockers);
        notes = List.copyOf(notes);
    }

    public static Observation absent() {
        return new Observation(Presence.ABSENT, List.of(), List.of(), List.of());
    }

    public static Observation notOwned(String why) {
        return new Observation(Presence.NOT_OWNED, List.of(), List.of(), List.of(why));
    }

    public static Observation present(List<String> differences, List<String> blockers) {
        return new Observation(Presence.PRESENT, differences, blockers, List.of());
    }

    public static Observation present(List<String> notes) {
        return new Observation(Presence.PRESENT, List.of(), List.of(), notes);
    }

    /** The action {@code up} takes; a resource that is not owned gets none and stops the run before any write. */
    public Action upAction() {
        return switch (presence) {
            case ABSENT -> Action.CREATE;
            case PRESENT -> differences.isEmpty() && blockers.isEmpty() ? Action.NOOP : Action.UPDATE;
            case NOT_OWNED -> Action.NOOP;
        };
    }

    /** The action {@code down} takes. */
    public Action downAction() {
        return presence == Presence.PRESENT ? Action.DELETE : Action.NOOP;
    }
}
