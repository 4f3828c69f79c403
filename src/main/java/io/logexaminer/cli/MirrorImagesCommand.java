package io.logexaminer.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.action.MirrorImagesAction;
import io.logexaminer.config.Platform;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.error.UsageException;
import io.logexaminer.output.Output;
import io.logexaminer.output.ProgressView;
import io.logexaminer.output.Sizes;
import io.logexaminer.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.List;
import java.util.Optional;

@Command(name = "mirror-images", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Copy the images of platform.yaml into the platform's ECR registry, registry to registry, without Docker.",
                "Byte for byte: the same digests, every platform of a multi-arch image. An image already mirrored costs only "
                        + "HEAD requests; blobs the target has are skipped, blobs another of its repositories has are mounted. "
                        + "ECR repositories are created when missing. One image failing does not stop the others; the exit "
                        + "code is 1 if any failed."})
public final class MirrorImagesCommand extends PlatformCommand {

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "copy only this platform of multi-arch images; the target tag then points at that platform's "
                    + "manifest, a different digest from the source tag's")
    String only;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "" + MirrorImagesAction.JOBS, description = "blobs copied at once, across all images (default: ${DEFAULT-VALUE})")
    int jobs;

    @Mixin
    RegistryOption registry;

    @Option(names = "--dry-run", description = "say per image whether it is up to date or what it would copy, and change nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        if (jobs < 1) {
            throw new UsageException("--jobs must be at least 1");
        }
        if (only != null && !only.matches("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?")) {
            throw new UsageException("--platform '" + only + "' is not OS/ARCH[/VARIANT], such as linux/amd64 or linux/arm64/v8");
        }
        Optional<URI> url = registry.url();
        Platform platform = platform();
        MirrorImagesAction.Options options = new MirrorImagesAction.Options(url, Optional.ofNullable(only), jobs, dryRun,
                ProgressView.newsInterval(out()));
        MirrorImagesAction.Report report;
        try (ProgressView progress = ProgressView.create(out())) {
            report = new MirrorImagesAction(platform, awsAccess(), options).run(progress, io().cancellation());
        }
        report.notices().forEach(out()::info);
        if (out().json()) {
            out().printJson(json(report));
        } else {
            table(report).print(out());
        }
        long failures = report.failures();
        if (failures > 0) {
            throw new OperationFailedException(failures + " of " + report.images().size() + " images failed");
        }
        return ExitCodes.OK;
    }

    private static Table table(MirrorImagesAction.Report report) {
        Table table = new Table(List.of("SOURCE", "TARGET", "DIGEST", "PLATFORMS", "COPIED", "SKIPPED", "MOUNTED", "BYTES", "STATUS"),
                4, 5, 6, 7);
        for (MirrorImagesAction.ImageResult i : report.images()) {
            table.row(List.of(i.source(), report.registry() + "/" + i.target(), MirrorImagesAction.shortDigest(i.digest()),
                    i.platforms().isEmpty() ? "-" : String.join(",", i.platforms()), String.valueOf(i.blobsCopied()),
                    String.valueOf(i.blobsSkipped()), String.valueOf(i.blobsMounted()), Sizes.format(i.bytes()),
                    i.status().spelling()));
        }
        return table;
    }

    private static ObjectNode json(MirrorImagesAction.Report report) {
        ObjectNode doc = Output.object();
        doc.put("registry", report.registry());
        ArrayNode images = doc.putArray("images");
        for (MirrorImagesAction.ImageResult i : report.images()) {
            ObjectNode o = images.addObject();
            o.put("source", i.source());
            o.put("target", report.registry() + "/" + i.target());
            o.put("status", i.status().spelling());
            o.put("digest", i.digest());
            ArrayNode platforms = o.putArray("platforms");
            i.platforms().forEach(platforms::add);
            ObjectNode blobs = o.putObject("blobs");
            blobs.put("copied", i.blobsCopied());
            blobs.put("skipped", i.blobsSkipped());
            blobs.put("mounted", i.blobsMounted());
            o.put("bytes", i.bytes());
            if (i.error() != null) {
                o.put("error", i.error());
            }
        }
        ArrayNode notices = doc.putArray("notices");
        report.notices().forEach(notices::add);
        ObjectNode summary = doc.putObject("summary");
        for (MirrorImagesAction.Status s : MirrorImagesAction.Status.values()) {
            summary.put(s.spelling(), report.images().stream().filter(i -> i.status() == s).count());
        }
        return doc;
    }
}
