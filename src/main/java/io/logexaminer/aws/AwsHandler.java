package io.logexaminer.aws;

import io.logexaminer.error.RemoteStateException;
import io.logexaminer.plan.Observation;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceHandler;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The life of one AWS resource type, from which observe, apply and delete follow the same way for every type:
 * find what exists (by tags, or by name and then its owner tag), compare it with the spec as a list of
 * {@link Drift}s, create what is missing, and fix each drift, looking again after a staged one. Creating makes only
 * the resource with its tags; everything else is a drift, so an {@code up} interrupted half-way finds a resource
 * with drifts and finishes it.
 *
 * @param <C> what {@link #find} reads about an existing resource
 */
abstract class AwsHandler<C> implements ResourceHandler {
    /** Rounds of fixes with staged drifts before {@code apply} stops; a drift left over then shows in the next plan. */
    private static final int ROUNDS = 3;

    protected final AwsPlatform aws;

    AwsHandler(AwsPlatform aws) {
        this.aws = aws;
    }

    /** What exists for the resource, found by its tags or its name, whether this platform owns it or not. */
    abstract Optional<C> find(Resource resource, Outputs outputs);

    /** The tags of what exists, to tell whether this platform owns it. */
    abstract Map<String, String> tagsOf(C current);

    /** What AWS calls it, for messages: {@code bucket logexaminer-raw-123}. */
    abstract String label(Resource resource, C current);

    /** Publishes what dependents need of an existing resource (its id, ARN, endpoint). */
    abstract void record(Resource resource, C current, Outputs outputs);

    /** How it differs from its spec; empty when it matches. */
    abstract List<Drift> drifts(Resource resource, C current, Outputs outputs, ProgressListener listener);

    /**
     * Creates the resource with its tags, waits until it exists, and returns it as it is then (what the create call
     * answered, with AWS's defaults for the rest, which saves looking it up); the drifts make up the rest.
     */
    abstract C create(Resource resource, Outputs outputs, ProgressListener listener);

    /** Deletes it and waits until it is gone. */
    abstract void remove(Resource resource, C current, Outputs outputs, ProgressListener listener);

    /** Whether what exists is already on its way out by itself (a secret scheduled for deletion): gone for {@code down}. */
    boolean gone(C current) {
        return false;
    }

    /** What {@code down} would do beyond deleting it, for the plan. */
    List<String> deletionNotes(Resource resource, C current, Outputs outputs) {
        return List.of();
    }

    /** Why {@code down} keeps it instead of deleting it, if it does. */
    Optional<String> keepReason(Resource resource, C current, Outputs outputs) {
        return Optional.empty();
    }

    @Override
    public Observation observe(Resource resource, Outputs outputs, Purpose purpose) {
        return calling(resource, () -> {
            Optional<C> found = find(resource, outputs);
            if (found.isEmpty()) {
                return Observation.absent();
            }
            C current = found.get();
            if (!aws.owns(tagsOf(current))) {
                return Observation.notOwned(aws.notOwned(label(resource, current)));
            }
            record(resource, current, outputs);
            if (purpose == Purpose.DOWN && gone(current)) {
                return Observation.absent();
            }
            if (purpose == Purpose.DOWN) {
                List<String> notes = new ArrayList<>(deletionNotes(resource, current, outputs));
                keepReason(resource, current, outputs).ifPresent(notes::add);
                return Observation.present(notes);
            }
            List<String> differences = new ArrayList<>();
            List<String> blockers = new ArrayList<>();
            for (Drift d : drifts(resource, current, outputs, ProgressListener.NONE)) {
                (d.blocked() ? blockers : differences).add(d.description());
            }
            return Observation.present(differences, blockers);
        });
    }

    @Override
    public void apply(Resource resource, Outputs outputs, ProgressListener listener) {
        calling(resource, () -> {
            C current = find(resource, outputs).orElse(null);
            if (current == null) {
                current = create(resource, outputs, listener);
            }
            requireOwned(resource, current);
            record(resource, current, outputs);
            for (int round = 0; round < ROUNDS; round++) {
                List<Drift> drifts = drifts(resource, current, outputs, listener);
                if (drifts.isEmpty()) {
                    break;
                }
                for (Drift d : drifts) {
                    if (d.blocked()) {
                        throw new RemoteStateException(resource.id() + ": " + d.description());
                    }
                }
                for (Drift d : drifts) {
                    listener.message(resource, d.description());
                    d.fix().run();
                }
                if (drifts.stream().noneMatch(Drift::staged)) {
                    break;
                }
                current = find(resource, outputs).orElseThrow(() -> new RemoteStateException(
                        resource.id() + ": disappeared while it was being updated; run up again"));
                record(resource, current, outputs);
            }
            return null;
        });
    }

    @Override
    public Optional<String> delete(Resource resource, Outputs outputs, ProgressListener listener) {
        return calling(resource, () -> {
            Optional<C> found = find(resource, outputs);
            if (found.isEmpty() || !aws.owns(tagsOf(found.get())) || gone(found.get())) {
                return Optional.<String>empty();
            }
            Optional<String> keep = keepReason(resource, found.get(), outputs);
            if (keep.isPresent()) {
                return keep;
            }
            remove(resource, found.get(), outputs, listener);
            outputs.clear(resource.id());
            return Optional.<String>empty();
        });
    }

    private void requireOwned(Resource resource, C current) {
        if (!aws.owns(tagsOf(current))) {
            throw new RemoteStateException(resource.id() + ": " + aws.notOwned(label(resource, current))
                    + "; rename it in platform.yaml, or tag it to adopt it");
        }
    }

    /** Waits on {@code resource} for at most {@code timeout}, looking as often as {@link Waits#poll} says. */
    Waiter waiter(Resource resource, ProgressListener listener, Duration timeout) {
        return new Waiter(resource, listener, aws.waits().poll(), timeout);
    }

    /** Runs AWS calls for {@code resource}, turning SDK failures into messages that say what to do. */
    <T> T calling(Resource resource, Supplier<T> work) {
        try {
            return work.get();
        } catch (SdkException e) {
            throw AwsErrors.failure(e, resource.id(), aws.principal());
        }
    }

    /** A drift for the desired tags that are missing or have another value; tags it does not know are left alone. */
    static Optional<Drift> tagDrift(Map<String, String> desired, Map<String, String> actual, Consumer<Map<String, String>> set) {
        Map<String, String> missing = new TreeMap<>();
        desired.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                missing.put(k, v);
            }
        });
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Drift.of("tags: set " + String.join(", ", missing.keySet()), () -> set.accept(missing)));
    }

    /** What {@code read} returns, or empty when AWS answers with {@code notFound}: it does not exist. */
    static <T> Optional<T> unlessNotFound(Class<? extends SdkException> notFound, Supplier<T> read) {
        return unless(notFound::isInstance, read);
    }

    /** What {@code read} returns, or empty when AWS answers in a way {@code absent} says means there is nothing. */
    static <T> Optional<T> unless(java.util.function.Predicate<SdkException> absent, Supplier<T> read) {
        try {
            return Optional.ofNullable(read.get());
        } catch (SdkException e) {
            if (absent.test(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The one resource found, or none; more than one with the same logical id is a state to fix by hand. */
    static <T> Optional<T> single(Resource resource, List<T> found, java.util.function.Function<T, String> id) {
        if (found.size() > 1) {
            throw new RemoteStateException(resource.id() + ": " + found.size() + " resources carry its logical-id tag ("
                    + String.join(", ", found.stream().map(id).toList()) + "); delete all but one, then run again");
        }
        return found.stream().findFirst();
    }
}
