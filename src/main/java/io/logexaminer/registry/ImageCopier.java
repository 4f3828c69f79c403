package io.logexaminer.registry;

import io.logexaminer.config.ImageReference;
import io.logexaminer.plan.BlockingThreads;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Copies images from their registries into one target registry, digest for digest: every manifest's raw bytes,
 * children before the index that names them, each blob streamed once. One copier serves a whole run: images copied
 * at once share the blobs they have in common (one upload, then cross-repository mounts), and at most
 * {@code jobs} blobs are in flight across all of them.
 */
public final class ImageCopier {

    /**
     * Where an image goes in the target registry. {@code prepare} readies the repository (creates it, say) and tells
     * whether its tags are immutable (an immutable tag may only ever hold one digest); it runs only for an image that
     * is not up to date, while the source's manifests are read and blobs go up (a registry that wants the repository
     * first, as ECR does, answers 404 and the blob waits for it), and always before any manifest is pushed.
     */
    public record Target(String repository, String tag, Preparation prepare) {
        @Override
        public String toString() {
            return repository + ":" + tag;
        }
    }

    /** Readies a target repository before anything is written to it. */
    @FunctionalInterface
    public interface Preparation {
        /** Whether the repository's tags are immutable. */
        boolean immutableTags() throws InterruptedException;
    }

    public enum Status { COPIED, UP_TO_DATE, WOULD_COPY }

    /**
     * What a copy did (or, in a dry run, would do): {@code digest} is what the target tag points at afterwards,
     * {@code bytes} what was uploaded (or would be).
     */
    public record Result(Status status, String digest, List<String> platforms, int blobsCopied, int blobsSkipped,
                         int blobsMounted, long bytes) {
    }

    /** Whether the target tag already holds what the source offers, found with HEAD requests only. */
    public record Observation(String sourceDigest, Optional<String> targetDigest) {
        public boolean upToDate() {
            return targetDigest.filter(sourceDigest::equals).isPresent();
        }
    }

    /** News of one image's copy, for progress views. */
    public interface Progress {
        default void planned(int blobs, long bytes) {
        }

        /** A blob is in the target; {@code untransferred} of its bytes did not have to move (it was there, or mounted). */
        default void blobDone(long untransferred) {
        }

        /** Bytes uploaded; negative when a failed attempt's bytes are taken back before a retry. */
        default void transferred(long bytes) {
        }

        Progress NONE = new Progress() {
        };
    }

    private enum BlobOutcome { COPIED, SKIPPED, MOUNTED }

    private record Resolved(String digest, Manifest manifest) {
    }

    private final Supplier<RegistryClient> target;
    private final Function<String, RegistryClient> sources;
    private final Optional<String> platform;
    private final Retry retry;
    private final TransferSlots transfers;
    /** Which repository of the target holds a blob, or will once the upload under way ends. */
    private final ConcurrentMap<String, CompletableFuture<String>> holders = new ConcurrentHashMap<>();

    /**
     * @param target   the target registry's client, asked for only once a source image is resolved (so a slow login,
     *                 such as ECR's, overlaps the reading of the sources)
     * @param sources  the client for a source registry host
     * @param platform {@code os/arch[/variant]} to copy only that platform of a multi-arch image
     */
    public ImageCopier(Supplier<RegistryClient> target, Function<String, RegistryClient> sources, int jobs, Optional<String> platform,
                       Retry retry) {
        this.target = target;
        this.sources = sources;
        this.platform = platform;
        this.retry = retry;
        this.transfers = new TransferSlots(jobs);
    }

    /** HEAD requests only (with {@code --platform}, the source index is read to find the platform's digest). */
    public Observation observe(ImageReference source, Target to) throws InterruptedException {
        CompletableFuture<Optional<String>> current = inBackground(() -> target.get().headManifest(to.repository(), to.tag()));
        Resolved resolved = resolve(source);
        return new Observation(resolved.digest(), await(current));
    }

    public Result copy(ImageReference source, Target to, boolean dryRun, Progress progress) throws InterruptedException {
        RegistryClient from = sources.apply(source.registry());
        // The repository is readied (created in ECR, say) as soon as a copy is certain, while the source is read and,
        // where the registry allows it, while blobs go up; manifests wait for it.
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        AtomicBoolean preparing = new AtomicBoolean();
        Runnable prepare = () -> {
            if (preparing.compareAndSet(false, true)) {
                inBackground(() -> to.prepare().immutableTags()).whenComplete((immutable, failure) -> {
                    if (failure != null) {
                        ready.completeExceptionally(failure);
                    } else {
                        ready.complete(immutable);
                    }
                });
            }
        };
        CompletableFuture<Optional<String>> held = inBackground(() -> {
            Optional<String> digest = target.get().headManifest(to.repository(), to.tag());
            if (digest.isEmpty()) {
                prepare.run();
            }
            return digest;
        });
        Resolved resolved = resolve(source);
        Optional<String> current = await(held);
        if (current.filter(resolved.digest()::equals).isPresent()) {
            return new Result(Status.UP_TO_DATE, resolved.digest(), List.of(), 0, 0, 0, 0);
        }
        prepare.run();
        Manifest top = resolved.manifest() != null ? resolved.manifest() : from.getManifest(source.repository(), resolved.digest());
        List<Manifest> order = new ArrayList<>();
        collect(from, source.repository(), top, order);
        if (current.isPresent() && await(ready)) {
            throw RegistryException.permanent(to + " is an immutable tag holding " + current.get() + ", and the source is "
                    + resolved.digest());
        }
        Map<String, Descriptor> blobs = new LinkedHashMap<>();
        for (Manifest m : order) {
            if (!m.isIndex()) {
                m.blobs().forEach(b -> blobs.putIfAbsent(b.digest(), b));
            }
        }
        CompletableFuture<List<String>> platforms = inBackground(() -> platforms(from, source.repository(), top));
        long total = blobs.values().stream().mapToLong(Descriptor::size).sum();
        progress.planned(blobs.size(), total);

        if (dryRun) {
            List<Descriptor> all = new ArrayList<>(blobs.values());
            List<Boolean> present = parallel(all, b -> target.get().hasBlob(to.repository(), b.digest()));
            int missing = 0;
            long bytes = 0;
            for (int i = 0; i < all.size(); i++) {
                if (!present.get(i)) {
                    missing++;
                    bytes += all.get(i).size();
                }
            }
            await(ready);
            return new Result(Status.WOULD_COPY, top.digest(), await(platforms), missing, blobs.size() - missing, 0, bytes);
        }

        AtomicLong bytes = new AtomicLong();
        List<BlobOutcome> outcomes = parallel(new ArrayList<>(blobs.values()), b -> {
            BlobOutcome outcome = ensureBlob(from, source.repository(), to.repository(), b, ready, progress);
            if (outcome == BlobOutcome.COPIED) {
                bytes.addAndGet(b.size());
            }
            progress.blobDone(outcome == BlobOutcome.COPIED ? 0 : b.size());
            return outcome;
        });
        await(ready);
        for (Manifest m : order) {
            if (m != top) {
                target.get().putManifest(to.repository(), m.digest(), m);
            }
        }
        putTag(to, top);
        return new Result(Status.COPIED, top.digest(), await(platforms), count(outcomes, BlobOutcome.COPIED),
                count(outcomes, BlobOutcome.SKIPPED), count(outcomes, BlobOutcome.MOUNTED), bytes.get());
    }

    /** The digest the target tag should hold: the source's, or with {@code --platform} that platform's manifest. */
    private Resolved resolve(ImageReference source) throws InterruptedException {
        RegistryClient from = sources.apply(source.registry());
        Optional<String> head = from.headManifest(source.repository(), source.reference());
        Manifest fetched = null;
        if (head.isEmpty()) {
            // GET says why: an unknown tag, or a server that is no registry at all.
            fetched = from.getManifest(source.repository(), source.reference());
        }
        String digest = head.orElse(fetched == null ? null : fetched.digest());
        if (platform.isEmpty()) {
            return new Resolved(digest, fetched);
        }
        Manifest m = fetched != null ? fetched : from.getManifest(source.repository(), digest);
        if (m.isIndex()) {
            List<Descriptor> children = m.children();
            Descriptor chosen = children.stream().filter(c -> c.platform().filter(p -> platformMatches(p, platform.get())).isPresent())
                    .findFirst().orElseThrow(() -> RegistryException.permanent(source + " has no " + platform.get() + " image (it has "
                            + String.join(", ", children.stream().map(c -> c.platform().orElse("?")).toList()) + ")"));
            return new Resolved(chosen.digest(), null);
        }
        String own = configPlatform(from, source.repository(), m).orElse("an unknown platform");
        if (!platformMatches(own, platform.get())) {
            throw RegistryException.permanent(source + " is a single image for " + own + ", not " + platform.get());
        }
        return new Resolved(digest, m);
    }

    /** {@code os/arch} matches any variant; {@code os/arch/variant} only that one. */
    static boolean platformMatches(String actual, String wanted) {
        String[] a = actual.split("/");
        String[] w = wanted.split("/");
        if (a.length < 2 || !a[0].equals(w[0]) || !a[1].equals(w[1])) {
            return false;
        }
        return w.length < 3 || (a.length >= 3 && a[2].equals(w[2]));
    }

    /** Every manifest under {@code m}, children before the index that names them, {@code m} last. */
    private void collect(RegistryClient from, String repository, Manifest m, List<Manifest> order) throws InterruptedException {
        if (m.isIndex()) {
            List<Manifest> children = parallel(m.children(), c -> from.getManifest(repository, c.digest()));
            for (Manifest child : children) {
                collect(from, repository, child, order);
            }
        }
        order.add(m);
    }

    private List<String> platforms(RegistryClient from, String repository, Manifest top) throws InterruptedException {
        if (top.isIndex()) {
            return top.children().stream().map(c -> c.platform().orElse("")).filter(p -> !p.isEmpty() && !p.startsWith("unknown/"))
                    .distinct().toList();
        }
        return configPlatform(from, repository, top).map(List::of).orElse(List.of());
    }

    /** The platform an image's config names; empty for a config too large to be an image's, or none. */
    private static Optional<String> configPlatform(RegistryClient from, String repository, Manifest m) throws InterruptedException {
        Optional<Descriptor> config = m.config().filter(c -> c.size() <= RegistryClient.CONFIG_LIMIT);
        return config.isEmpty() ? Optional.empty() : Manifest.platformOfConfig(from.readSmallBlob(repository, config.get()));
    }

    /**
     * Makes the target repository hold the blob: already there, mounted from the repository that holds it (or is
     * uploading it right now for another image), or streamed from the source.
     */
    private BlobOutcome ensureBlob(RegistryClient from, String sourceRepository, String repository, Descriptor blob,
                                   Future<Boolean> ready, Progress progress) throws InterruptedException {
        if (target.get().hasBlob(repository, blob.digest())) {
            holders.putIfAbsent(blob.digest(), CompletableFuture.completedFuture(repository));
            return BlobOutcome.SKIPPED;
        }
        while (true) {
            CompletableFuture<String> mine = new CompletableFuture<>();
            CompletableFuture<String> other = holders.putIfAbsent(blob.digest(), mine);
            if (other == null) {
                try {
                    transfer(from, sourceRepository, repository, blob, null, ready, progress);
                } catch (RuntimeException | InterruptedException e) {
                    holders.remove(blob.digest(), mine);
                    mine.completeExceptionally(e);
                    throw e;
                }
                mine.complete(repository);
                return BlobOutcome.COPIED;
            }
            String holder;
            try {
                holder = other.get();
            } catch (ExecutionException failedElsewhere) {
                continue;
            }
            if (holder.equals(repository)) {
                return BlobOutcome.SKIPPED;
            }
            RegistryClient.Mount mount = inRepository(ready, () -> target.get().mount(repository, blob.digest(), holder));
            if (mount.mounted()) {
                return BlobOutcome.MOUNTED;
            }
            transfer(from, sourceRepository, repository, blob, mount.session(), ready, progress);
            return BlobOutcome.COPIED;
        }
    }

    /** Streams one blob from source to target; any failure restarts this blob alone, from a new upload session. */
    private void transfer(RegistryClient from, String sourceRepository, String repository, Descriptor blob, URI openSession,
                          Future<Boolean> ready, Progress progress) throws InterruptedException {
        AtomicInteger attempt = new AtomicInteger();
        retry.run(() -> {
            URI session = attempt.getAndIncrement() == 0 && openSession != null ? openSession
                    : inRepository(ready, () -> target.get().startUpload(repository));
            AtomicLong sent = new AtomicLong();
            BlobPipe pipe = new BlobPipe(blob, n -> {
                sent.addAndGet(n);
                progress.transferred(n);
            });
            transfers.acquire(blob.size());
            try {
                from.streamBlob(sourceRepository, blob.digest(), pipe);
                target.get().upload(repository, session, blob, pipe);
                return null;
            } catch (RuntimeException e) {
                pipe.abort();
                progress.transferred(-sent.get());
                throw e;
            } finally {
                pipe.abort();
                transfers.release();
            }
        });
    }

    /**
     * Runs a step that writes into the target repository; if the registry says the repository does not exist (ECR
     * before it is created), waits until it is ready and runs the step again.
     */
    private static <T> T inRepository(Future<Boolean> ready, Retry.Attempt<T> step) throws InterruptedException {
        try {
            return step.run();
        } catch (RegistryException e) {
            if (e.status() != 404 || ready.isDone()) {
                throw e;
            }
            await(ready);
            return step.run();
        }
    }

    private static <T> T await(Future<T> ready) throws InterruptedException {
        try {
            return ready.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InterruptedException i) {
                throw i;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void putTag(Target to, Manifest top) throws InterruptedException {
        try {
            target.get().putManifest(to.repository(), to.tag(), top);
        } catch (RegistryException e) {
            // An immutable tag that some other run already set to this very digest is what was asked for.
            Optional<String> now = target.get().headManifest(to.repository(), to.tag());
            if (now.filter(top.digest()::equals).isEmpty()) {
                throw e;
            }
        }
    }

    /** Runs {@code work} on a thread of its own: a {@link BlockingThreads} one, as readying a repository calls ECR's API. */
    private static <R> CompletableFuture<R> inBackground(Retry.Attempt<R> work) {
        CompletableFuture<R> result = new CompletableFuture<>();
        BlockingThreads.start("image-step", () -> {
            try {
                result.complete(work.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @FunctionalInterface
    private interface Work<T, R> {
        R apply(T item) throws InterruptedException;
    }

    /**
     * Applies {@code work} to every item at once on virtual threads and waits for all; if any failed, the first
     * failure is thrown once the others have ended.
     */
    private static <T, R> List<R> parallel(List<T> items, Work<T, R> work) throws InterruptedException {
        if (items.size() == 1) {
            return List.of(work.apply(items.getFirst()));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(executor.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r
                                : RegistryException.permanent(String.valueOf(e.getCause().getMessage()));
                    }
                    results.add(null);
                } catch (InterruptedException e) {
                    executor.shutdownNow();
                    throw e;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        }
    }

    private static int count(List<BlobOutcome> outcomes, BlobOutcome wanted) {
        return (int) outcomes.stream().filter(o -> o == wanted).count();
    }
}
