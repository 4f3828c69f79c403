package io.logexaminer.aws;

/**
 * One way a resource differs from its spec: what {@code up} would change, and the call that changes it. A drift
 * without a fix is one AWS cannot change in place; its description says the way out. A staged drift is one after
 * whose fix the resource must be looked at again, because what it changes decides the other drifts (a secret restored
 * can then be read; a database available has an address).
 */
record Drift(String description, Runnable fix, boolean staged) {

    static Drift of(String description, Runnable fix) {
        return new Drift(description, fix, false);
    }

    static Drift staged(String description, Runnable fix) {
        return new Drift(description, fix, true);
    }

    static Drift blocked(String description) {
        return new Drift(description, null, false);
    }

    boolean blocked() {
        return fix == null;
    }
}
