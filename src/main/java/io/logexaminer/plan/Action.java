package io.logexaminer.plan;

/** What a run does to one resource. */
public enum Action {
    CREATE("create"), UPDATE("update"), DELETE("delete"), NOOP("noop");

    private final String spelling;

    Action(String spelling) {
        this.spelling = spelling;
    }

    /** The word plans and JSON documents use. */
    public String spelling() {
        return spelling;
    }
}
