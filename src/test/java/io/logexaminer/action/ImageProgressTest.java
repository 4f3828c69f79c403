package io.logexaminer.action;

import io.logexaminer.config.Platform;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An image's progress line: a bar of the bytes in the target (moved or not), and the blobs done. */
class ImageProgressTest {

    @Test
    void blobsAlreadyThereOrMountedCountAsDoneWithoutMoving() {
        Resource resource = new Resource("image/mirror/app:1", List.of(),
                new ResourceSpec.ImageMirror(new Platform.ImageMirror("docker.io/library/app:1", "mirror/app:1")));
        List<String> messages = new ArrayList<>();
        ImageProgress progress = new ImageProgress(resource, new ProgressListener() {
            @Override
            public void message(Resource r, String message) {
                messages.add(message);
            }
        }, Duration.ZERO);

        progress.planned(3, 4_000_000);
        progress.transferred(1_000_000);
        progress.transferred(-1_000_000);
        progress.blobDone(2_000_000);
        progress.transferred(2_000_000);
        progress.blobDone(0);

        assertEquals(List.of(
                "3 blobs, 4.00 MB",
                "[#####---------------] 1.00 MB / 4.00 MB, 0/3 blobs",
                "[--------------------] 0 B / 4.00 MB, 0/3 blobs",
                "[##########----------] 2.00 MB / 4.00 MB, 1/3 blobs",
                "[####################] 4.00 MB / 4.00 MB, 1/3 blobs",
                "[####################] 4.00 MB / 4.00 MB, 2/3 blobs"), messages);
    }
}
