package io.logexaminer.action;

import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.EcrAuth;
import io.logexaminer.aws.EcrRepositories;
import io.logexaminer.config.ImageReference;
import io.logexaminer.config.Platform;
import io.logexaminer.error.CancelledException;
import io.logexaminer.error.LogexaminerException;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.output.Sizes;
import io.logexaminer.plan.Action;
import io.logexaminer.plan.BlockingThreads;
import io.logexaminer.plan.Cancellation;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.registry.CredentialSource;
import io.logexaminer.registry.Credentials;
import io.logexaminer.registry.DockerConfig;
import io.logexaminer.registry.ExpiringLogin;
import io.logexaminer.registry.ImageCopier;
import io.logexaminer.registry.RegistryClient;
import io.logexaminer.registry.Retry;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code mirror-images}: copies the images of platform.yaml into the platform's ECR registry (or {@code --registry}),
 * creating their repositories first. Images are copied at once; one that fails does not stop the others.
 * {@link #open} gives the per-image operations that {@code up} runs for its {@code ecr:image} resources.
 */
public final class MirrorImagesAction {
    /** Blobs in flight at once, across all images, unless told otherwise. */
    public static final int JOBS = 8;

    /**
     * @param registry         where to push instead of the account's ECR registry ({@code http://} for plain HTTP)
     * @param platform         {@code os/arch[/variant]}: copy only that platform of multi-arch images
     * @param jobs             blobs in flight at once, across all images
     * @param progressInterval how often an image's progress is reported while its blobs move
     */
    public record Options(Optional<URI> registry, Optional<String> platform, int jobs, boolean dryRun, Duration progressInterval) {
    }

    public enum Status {
        COPIED("copied"), UP_TO_DATE("up to date"), WOULD_COPY("would copy"), FAILED("failed");

        private final String spelling;

        Status(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    /** One image's outcome; {@code error} is set when it failed and says which registry and what happened. */
    public record ImageResult(String source, String target, Status status, String digest, List<String> platforms,
                              int blobsCopied, int blobsSkipped, int blobsMounted, long bytes, String error) {
    }

    /**
     * @param registry the target registry host
     * @param notices  what the user should know beyond the table: repositories created or left alone, rate limits
     */
    public record Report(String registry, List<ImageResult> images, List<String> notices) {
        public long failures() {
            return images.stream().filter(i -> i.status() == Status.FAILED).count();
        }
    }

    private final Platform platform;
    private final AwsAccess access;
    private final Options options;

    public MirrorImagesAction(Platform platform, AwsAccess access, Options options) {
        this.platform = platform;
        this.access = access;
        this.options = options;
    }

    /** Copies every image of platform.yaml, reporting each as a resource {@code image/TARGET} to {@code listener}. */
    public Report run(ProgressListener listener, Cancellation cancellation) {
        try (Session session = open()) {
            List<ImageResult> results = new ArrayList<>();
            try (ExecutorService executor = BlockingThreads.executor("image");
                 AutoCloseable ignored = cancellation.onCancel(executor::shutdownNow)) {
                List<Future<ImageResult>> futures = new ArrayList<>();
                for (Platform.ImageMirror image : platform.images()) {
                    futures.add(executor.submit(() -> session.mirror(image, listener)));
                }
                // Without an ECR login no image can go anywhere: one line says so, rather than one per image.
                try {
                    session.registryHost();
                } catch (RuntimeException noLogin) {
                    executor.shutdownNow();
                    throw noLogin;
                }
                for (Future<ImageResult> f : futures) {
                    results.add(f.get());
                }
            } catch (InterruptedException | CancellationException e) {
                throw stopped();
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (cause instanceof InterruptedException) {
                    throw stopped();
                }
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            }
            if (cancellation.isCancelled()) {
                throw stopped();
            }
            List<String> notices = new ArrayList<>(session.notices().stream().sorted().toList());
            notices.addAll(session.rateLimits());
            return new Report(session.registryHost(), results, notices);
        }
    }

    private static CancelledException stopped() {
        return new CancelledException("mirroring stopped; run it again to finish");
    }

    /**
     * The ECR login and registry clients for one run, its AWS clients made on first use (an image already mirrored to
     * a {@code --registry} needs no AWS call at all) and closed with it.
     */
    public Session open() {
        return new Session(Optional.empty());
    }

    /** As {@link #open()}, on AWS clients the caller made and closes: {@code up} opens one on its own clients and calls it per image. */
    public Session open(AwsClients clients) {
        return new Session(Optional.of(clients));
    }

    public final class Session implements AutoCloseable {
        /** The caller's, else made on first use. */
        private volatile AwsClients clients;
        private final boolean ownsClients;
        private final HttpClient http = RegistryClient.newHttpClient();
        private final Retry retry = Retry.standard();
        private final CredentialSource sourceLogins;
        private final Map<String, RegistryClient> sources = new ConcurrentHashMap<>();
        private final ImageCopier copier;
        /** The target registry: at once with {@code --registry}; else once ECR's login, asked for in the background, is in. */
        private final CompletableFuture<RegistryClient> target;
        private final List<String> notices = new CopyOnWriteArrayList<>();
        private final Map<String, CompletableFuture<Boolean>> repositories = new ConcurrentHashMap<>();

        private Session(Optional<AwsClients> callers) {
            clients = callers.orElse(null);
            ownsClients = callers.isEmpty();
            DockerConfig docker = DockerConfig.load(access.environment());
            sourceLogins = docker;
            if (options.registry().isPresent()) {
                URI url = options.registry().get();
                String host = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
                target = CompletableFuture.completedFuture(RegistryClient.connect(host, Optional.of(url), http,
                        docker.orElse(ecrLogin(host, () -> new EcrAuth(aws()).authorize())), retry));
            } else {
                target = CompletableFuture.supplyAsync(() -> {
                    EcrAuth.Token first = new EcrAuth(aws()).authorize();
                    AtomicReference<EcrAuth.Token> unused = new AtomicReference<>(first);
                    return RegistryClient.connect(first.host(), Optional.of(first.endpoint()), http, ecrLogin(first.host(), () -> {
                        EcrAuth.Token t = unused.getAndSet(null);
                        return t != null ? t : new EcrAuth(aws()).authorize();
                    }), retry);
                }, task -> BlockingThreads.start("ecr-login", task));
            }
            copier = new ImageCopier(this::target, this::source, options.jobs(), options.platform(), retry);
        }

        private CredentialSource ecrLogin(String host, Supplier<EcrAuth.Token> issuer) {
            return new ExpiringLogin(host, () -> {
                EcrAuth.Token t = issuer.get();
                return new ExpiringLogin.Issued(new Credentials(t.username(), t.password()), t.expiresAt());
            }, Clock.systemUTC());
        }

        /** The target registry's client; a failed ECR login is thrown here. */
        private RegistryClient target() {
            try {
                return target.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }

        /** The target registry host, as image references name it; waits for the ECR login. */
        public String registryHost() {
            return target().host();
        }

        /**
         * Readies the repository once, whatever number of images go into it: creates or updates it (in a dry run only
         * looks at it), and says whether its tags are immutable. With {@code --registry}, an ECR API that cannot be
         * used (no AWS account at hand, a registry that is not ECR) is a notice, and the copy goes on.
         */
        private boolean prepare(String repository) throws InterruptedException {
            CompletableFuture<Boolean> mine = new CompletableFuture<>();
            CompletableFuture<Boolean> existing = repositories.putIfAbsent(repository, mine);
            if (existing == null) {
                try {
                    mine.complete(prepareOnce(repository));
                } catch (RuntimeException e) {
                    if (options.registry().isPresent()) {
                        notices.add("ECR repository " + repository + " was neither created nor checked: " + e.getMessage());
                        mine.complete(false);
                    } else {
                        mine.completeExceptionally(e);
                    }
                }
                existing = mine;
            }
            try {
                return existing.get();
            } catch (ExecutionException e) {
                throw (RuntimeException) e.getCause();
            }
        }

        private boolean prepareOnce(String name) {
            EcrRepositories ecr = new EcrRepositories(aws());
            if (options.dryRun()) {
                Optional<EcrRepositories.Observed> seen = ecr.observe(name);
                if (seen.isEmpty()) {
                    notices.add("ECR repository " + name + " would be created");
                }
                return seen.map(r -> r.tagMutability() == Platform.TagMutability.IMMUTABLE).orElse(false);
            }
            EcrRepositories.Ensured ensured = ecr.ensure(EcrRepositories.Desired.of(platform, name, PlanBuilder.repositoryId(name)));
            switch (ensured.outcome()) {
                case CREATED -> notices.add("ECR repository " + name + " created");
                case UPDATED -> notices.add("ECR repository " + name + " updated: " + String.join(", ", ensured.changes()));
                case NOT_OWNED -> notices.add("ECR repository " + name + " is not owned by platform " + platform.name()
                        + ": its settings were left alone");
                case UNCHANGED -> { }
            }
            return ensured.repository().tagMutability() == Platform.TagMutability.IMMUTABLE;
        }

        /** Whether the image's target tag already holds the source's digest, by HEAD requests only. */
        public ImageCopier.Observation observe(Platform.ImageMirror image) throws InterruptedException {
            return copier.observe(sourceReference(image), target(image));
        }

        /**
         * Copies one image (or, in a dry run, says what it would copy), with progress messages for {@code resource} to
         * {@code listener}: the step of an {@code ecr:image} resource. A failure is thrown, saying which registry and
         * what happened.
         */
        public ImageResult copy(Platform.ImageMirror image, Resource resource, ProgressListener listener) throws InterruptedException {
            ImageCopier.Result r = copier.copy(sourceReference(image), target(image), options.dryRun(),
                    new ImageProgress(resource, listener, options.progressInterval()));
            Status status = switch (r.status()) {
                case COPIED -> Status.COPIED;
                case UP_TO_DATE -> Status.UP_TO_DATE;
                case WOULD_COPY -> Status.WOULD_COPY;
            };
            return new ImageResult(image.source(), image.target(), status, r.digest(), r.platforms(), r.blobsCopied(),
                    r.blobsSkipped(), r.blobsMounted(), r.bytes(), null);
        }

        /** {@link #copy} as {@code mirror-images} runs it: started and finished reported, a failure recorded, not thrown. */
        private ImageResult mirror(Platform.ImageMirror image, ProgressListener listener) throws InterruptedException {
            Resource resource = resource(image);
            long start = System.nanoTime();
            listener.started(resource, Action.CREATE);
            try {
                ImageResult result = copy(image, resource, listener);
                listener.finished(resource, result.status() == Status.UP_TO_DATE ? Action.NOOP : Action.CREATE,
                        ProgressListener.Outcome.SUCCEEDED, Duration.ofNanos(System.nanoTime() - start), summary(result));
                return result;
            } catch (RuntimeException e) {
                if (target.isCompletedExceptionally()) {
                    throw e;
                }
                // One image's failure, expected or not, must not stop the others.
                String problem = problem(e);
                listener.finished(resource, Action.CREATE, ProgressListener.Outcome.FAILED, Duration.ofNanos(System.nanoTime() - start),
                        problem);
                return new ImageResult(image.source(), image.target(), Status.FAILED, null, List.of(), 0, 0, 0, 0, problem);
            }
        }

        List<String> notices() {
            return notices;
        }

        List<String> rateLimits() {
            List<String> limits = new ArrayList<>();
            sources.forEach((host, client) -> client.rateLimit().ifPresent(l -> limits.add(host + ": " + l)));
            return limits;
        }

        private RegistryClient source(String host) {
            return sources.computeIfAbsent(host, h -> RegistryClient.connect(h, Optional.empty(), http, sourceLogins, retry));
        }

        private ImageCopier.Target target(Platform.ImageMirror image) {
            return new ImageCopier.Target(image.targetRepository(), image.targetTag(), () -> prepare(image.targetRepository()));
        }

        private AwsClients aws() {
            AwsClients c = clients;
            if (c == null) {
                synchronized (this) {
                    c = clients;
                    if (c == null) {
                        c = access.clients(platform.region());
                        clients = c;
                    }
                }
            }
            return c;
        }

        @Override
        public void close() {
            AwsClients c = clients;
            if (ownsClients && c != null) {
                c.close();
            }
            // close() would wait for every exchange to end, and one the run gave up on may never end
            http.shutdownNow();
        }
    }

    private static ImageReference sourceReference(Platform.ImageMirror image) {
        ImageReference.Result parsed = ImageReference.parse(image.source());
        if (!parsed.ok()) {
            throw new OperationFailedException("'" + image.source() + "' is not an image reference: " + parsed.error());
        }
        return parsed.reference().get();
    }

    private static Resource resource(Platform.ImageMirror image) {
        return new Resource(PlanBuilder.imageId(image.target()), List.of(), new ResourceSpec.ImageMirror(image));
    }

    /** What went wrong with an image, in one line: the message of a failure the tool expects, else its kind too. */
    static String problem(RuntimeException e) {
        return e instanceof LogexaminerException || e.getMessage() == null ? String.valueOf(e.getMessage())
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String summary(ImageResult r) {
        return switch (r.status()) {
            case UP_TO_DATE -> "up to date (" + shortDigest(r.digest()) + ")";
            case WOULD_COPY -> "would copy " + r.blobsCopied() + " blobs (" + Sizes.format(r.bytes()) + "), "
                    + r.blobsSkipped() + " already there";
            default -> shortDigest(r.digest()) + ": " + r.blobsCopied() + " copied (" + Sizes.format(r.bytes()) + "), "
                    + r.blobsMounted() + " mounted, " + r.blobsSkipped() + " already there";
        };
    }

    /** {@code sha256:} and the first 12 hex digits, as tables show digests. */
    public static String shortDigest(String digest) {
        return digest == null ? "-" : digest.substring(0, Math.min(digest.length(), digest.indexOf(':') + 13));
    }
}
