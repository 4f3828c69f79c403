package io.logexaminer.aws;

import io.logexaminer.error.RemoteStateException;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's ECR repositories for {@code up} and {@code down}, on {@link EcrRepositories}: scan on push, tag
 * mutability, the lifecycle policy and the tags as settings that drift. Images are data, as a bucket's objects are:
 * {@code down} keeps a repository that holds them unless told to delete data, and then deletes it with its images.
 */
public final class EcrRepositoryHandler extends AwsHandler<EcrRepositories.Observed> {
    private final EcrRepositories repositories;

    public EcrRepositoryHandler(AwsPlatform aws) {
        super(aws);
        this.repositories = new EcrRepositories(aws.clients());
    }

    private EcrRepositories.Desired desired(Resource resource) {
        return EcrRepositories.Desired.of(aws.platform(), ((ResourceSpec.EcrRepository) resource.spec()).name(), resource.id());
    }

    @Override
    Optional<EcrRepositories.Observed> find(Resource resource, Outputs outputs) {
        return repositories.observe(((ResourceSpec.EcrRepository) resource.spec()).name());
    }

    @Override
    Map<String, String> tagsOf(EcrRepositories.Observed current) {
        return current.tags();
    }

    @Override
    String label(Resource resource, EcrRepositories.Observed current) {
        return "ECR repository " + current.name();
    }

    @Override
    void record(Resource resource, EcrRepositories.Observed current, Outputs outputs) {
        outputs.put(resource.id(), Keys.NAME, current.name());
        outputs.put(resource.id(), Keys.ARN, current.arn());
    }

    @Override
    List<Drift> drifts(Resource resource, EcrRepositories.Observed current, Outputs outputs, ProgressListener listener) {
        return repositories.drifts(desired(resource), current);
    }

    @Override
    EcrRepositories.Observed create(Resource resource, Outputs outputs, ProgressListener listener) {
        EcrRepositories.Desired desired = desired(resource);
        return repositories.create(desired).or(() -> repositories.observe(desired.name())).orElseThrow(() -> new RemoteStateException(
                resource.id() + ": ECR repository " + desired.name() + " vanished while it was being created; run up again"));
    }

    @Override
    void remove(Resource resource, EcrRepositories.Observed current, Outputs outputs, ProgressListener listener) {
        repositories.delete(current.name(), aws.platform().name(), aws.deletion().deleteData());
    }

    private static String count(int images) {
        return images >= 1000 ? "1000 or more images" : images + " image" + (images == 1 ? "" : "s");
    }

    @Override
    List<String> deletionNotes(Resource resource, EcrRepositories.Observed current, Outputs outputs) {
        int images = aws.deletion().deleteData() ? repositories.images(current.name()) : 0;
        return images > 0 ? List.of("holds " + count(images) + ": deleted with it (--delete-data)") : List.of();
    }

    @Override
    Optional<String> keepReason(Resource resource, EcrRepositories.Observed current, Outputs outputs) {
        if (aws.deletion().deleteData()) {
            return Optional.empty();
        }
        int images = repositories.images(current.name());
        return images == 0 ? Optional.empty() : Optional.of(label(resource, current) + " holds " + count(images)
                + ": kept (down --delete-data deletes it with its images)");
    }
}
