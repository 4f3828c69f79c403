package io.logexaminer.aws;

import io.logexaminer.error.CancelledException;
import io.logexaminer.error.RemoteStateException;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import software.amazon.awssdk.core.exception.SdkException;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a resource until it reaches a state, fails, or the time is up. Unlike the SDK's waiters it reports each state
 * it sees as progress, says on timeout which state the resource is still in, and stops when the thread is interrupted.
 */
final class Waiter {
    private final Resource resource;
    private final ProgressListener listener;
    private final Duration poll;
    private final Duration timeout;

    Waiter(Resource resource, ProgressListener listener, Duration poll, Duration timeout) {
        this.resource = resource;
        this.listener = listener;
        this.poll = poll;
        this.timeout = timeout;
    }

    /**
     * Reads the resource until {@code state} of it satisfies {@code done} and returns it. A state that satisfies
     * {@code failed} ends the wait with {@code why} of it; an absent resource is a failure too.
     */
    <T> T until(String goal, Supplier<Optional<T>> read, Function<T, String> state, Predicate<String> done,
                Predicate<String> failed, Function<T, String> why) {
        long start = System.nanoTime();
        String last = "absent";
        while (true) {
            Optional<T> current = read.get();
            if (current.isEmpty()) {
                throw new RemoteStateException(resource.id() + ": disappeared while waiting for " + goal);
            }
            last = state.apply(current.get());
            if (done.test(last)) {
                return current.get();
            }
            if (failed.test(last)) {
                throw new RemoteStateException(resource.id() + ": " + last + " instead of " + goal + ": " + why.apply(current.get()));
            }
            pause(goal, last, start);
        }
    }

    /** Reads the resource until it is gone. */
    <T> void untilGone(Supplier<Optional<T>> read, Function<T, String> state) {
        long start = System.nanoTime();
        while (true) {
            Optional<T> current = read.get();
            if (current.isEmpty()) {
                return;
            }
            pause("deleted", state.apply(current.get()), start);
        }
    }

    /**
     * Makes {@code call} until AWS stops refusing it with one of {@code codes}, such as a security group that is still
     * in use by a network interface on its way out.
     */
    void retrying(String goal, Set<String> codes, Runnable call) {
        retrying(goal, e -> codes.contains(AwsErrors.code(e)), call);
    }

    /** Makes {@code call} until it stops failing in a way {@code passing} says will pass. */
    void retrying(String goal, Predicate<SdkException> passing, Runnable call) {
        long start = System.nanoTime();
        while (true) {
            try {
                call.run();
                return;
            } catch (SdkException e) {
                if (!passing.test(e)) {
                    throw e;
                }
                pause(goal, AwsErrors.code(e), start);
            }
        }
    }

    /** The first looks come quickly, as most states pass in seconds; later ones every {@code poll}. */
    private Duration interval(Duration waited) {
        Duration quick = Duration.ofSeconds(1).plus(waited);
        return quick.compareTo(poll) < 0 ? quick : poll;
    }

    private void pause(String goal, String state, long start) {
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        if (waited.compareTo(timeout) >= 0) {
            throw new RemoteStateException(resource.id() + ": still " + state + " after " + minutes(waited) + " waiting for "
                    + goal + "; look at it in the AWS console, then run the command again to keep waiting");
        }
        listener.message(resource, state + ", waiting for " + goal + " (" + minutes(waited) + ")");
        try {
            Thread.sleep(interval(waited));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException(resource.id() + ": stopped waiting for " + goal + " (still " + state + ")");
        }
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + "s" : (s / 60) + "m" + String.format("%02d", s % 60) + "s";
    }
}
