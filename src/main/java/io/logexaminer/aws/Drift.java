package io.logexaminer.aws;

/**
 * One way a resource differs from its spec: what {@code up} would change, and the call that changes it. A drift
 * without a fix is one AWS cannot change in place; its description says the way out.
 */
record Drift(String description, Runnable fix) {

    static Drift of(String description, Runnable fix) {
        return new Drift(description, fix);
    }

    static Drift blocked(String description) {
        return new Drift(description, null);
    }

    boolean blocked() {
        return fix == null;
    }
}
