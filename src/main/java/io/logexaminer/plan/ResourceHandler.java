package io.logexaminer.plan;

import java.util.Optional;

/**
 * Reads, creates, updates and deletes the resources of one type on the system that holds them. {@code up} and
 * {@code down} observe every resource first, plan from the observations, and only then call {@link #apply} or
 * {@link #delete}. Handlers publish what dependents need (physical ids, ARNs) in {@link Outputs}.
 */
public interface ResourceHandler {

    /** What the observation is for: {@code up} wants the differences, {@code down} what deleting would do. */
    enum Purpose { UP, DOWN }

    /** What exists for {@code resource}; changes nothing. Records the outputs of what it finds. */
    Observation observe(Resource resource, Outputs outputs, Purpose purpose);

    /** Creates {@code resource} or brings it in line with its spec, then waits until it is ready and records its outputs. */
    void apply(Resource resource, Outputs outputs, ProgressListener listener);

    /**
     * Deletes {@code resource} if this platform owns it and waits until it is gone. Returns why it was kept instead
     * (a bucket that still holds data), or empty once it is gone.
     */
    Optional<String> delete(Resource resource, Outputs outputs, ProgressListener listener);
}
