package io.logexaminer.action;

import io.logexaminer.aws.AwsClients;
import io.logexaminer.config.Platform;
import io.logexaminer.error.CancelledException;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.plan.Observation;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceHandler;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.registry.ImageCopier;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The step of {@code up} for {@code ecr:image} resources, on {@link MirrorImagesAction}'s per-image operations: an
 * image is observed with HEAD requests only and copied when its target tag does not hold the source's digest. The
 * registry session (logins, registry clients) is opened on the first image {@code up} looks at and serves the whole
 * run, on the AWS clients of the command, which the command closes.
 * {@code down} has nothing of an image's own to delete: its repository goes with its images, or keeps them.
 */
final class ImageMirrors implements ResourceHandler, AutoCloseable {
    private final Platform platform;
    private final MirrorImagesAction mirror;
    private final AwsClients clients;
    private MirrorImagesAction.Session session;

    /** @param registry where images go instead of the account's ECR registry ({@code --registry}) */
    ImageMirrors(Platform platform, AwsAccess access, AwsClients clients, Optional<URI> registry, Duration progressInterval) {
        this.platform = platform;
        this.clients = clients;
        this.mirror = new MirrorImagesAction(platform, access, new MirrorImagesAction.Options(registry, Optional.empty(),
                MirrorImagesAction.JOBS, false, progressInterval));
    }

    private synchronized MirrorImagesAction.Session session() {
        if (session == null) {
            session = mirror.open(clients);
        }
        return session;
    }

    private static Platform.ImageMirror image(Resource resource) {
        return ((ResourceSpec.ImageMirror) resource.spec()).image();
    }

    @Override
    public Observation observe(Resource resource, Outputs outputs, Purpose purpose) {
        if (purpose == Purpose.DOWN) {
            return Observation.absent();
        }
        Platform.ImageMirror image = image(resource);
        ImageCopier.Observation seen = registry(resource, () -> session().observe(image));
        if (seen.targetDigest().isEmpty()) {
            return Observation.absent();
        }
        if (seen.upToDate()) {
            return Observation.present(List.of(), List.of());
        }
        String holds = image.target() + " holds " + MirrorImagesAction.shortDigest(seen.targetDigest().get()) + ", the source "
                + MirrorImagesAction.shortDigest(seen.sourceDigest());
        return platform.ecr().tagMutability() == Platform.TagMutability.IMMUTABLE
                ? Observation.present(List.of(), List.of(holds + "; ecr.tagMutability is IMMUTABLE, so give the image another "
                        + "target tag in platform.yaml"))
                : Observation.present(List.of(holds), List.of());
    }

    @Override
    public void apply(Resource resource, Outputs outputs, ProgressListener listener) {
        MirrorImagesAction.ImageResult result = registry(resource, () -> session().copy(image(resource), resource, listener));
        listener.message(resource, MirrorImagesAction.summary(result));
    }

    @Override
    public Optional<String> delete(Resource resource, Outputs outputs, ProgressListener listener) {
        return Optional.empty();
    }

    private interface RegistryWork<T> {
        T run() throws InterruptedException;
    }

    /** Runs registry work for {@code resource}; a failure names the resource, an interruption is a cancellation. */
    private static <T> T registry(Resource resource, RegistryWork<T> work) {
        try {
            return work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException(resource.id() + ": stopped");
        } catch (CancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OperationFailedException(resource.id() + ": " + MirrorImagesAction.problem(e), e);
        }
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
        }
    }
}
