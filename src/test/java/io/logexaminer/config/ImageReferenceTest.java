package io.logexaminer.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ImageReferenceTest {
    private static ImageReference ok(String text) {
        return ImageReference.parse(text).reference().orElseThrow();
    }

    @Test
    void dockerHubNamesGetTheirRegistryAndLibrary() {
        assertEquals(new ImageReference("docker.io", "library/nginx", "latest", null), ok("nginx"));
        assertEquals(new ImageReference("docker.io", "apache/spark", "3.5.1", null), ok("apache/spark:3.5.1"));
    }

    @Test
    void registryHostsPortsAndDigests() {
        assertEquals(new ImageReference("127.0.0.1:5000", "a/b", "v1", null), ok("127.0.0.1:5000/a/b:v1"));
        assertEquals(new ImageReference("localhost", "img", null, "sha256:" + "a".repeat(64)), ok("localhost/img@sha256:" + "a".repeat(64)));
        assertEquals(new ImageReference("ghcr.io", "x/y/z", "1", "sha256:" + "b".repeat(64)), ok("ghcr.io/x/y/z:1@sha256:" + "b".repeat(64)));
    }

    @Test
    void badReferencesSayWhy() {
        assertEquals("is empty", ImageReference.parse("").error());
        assertEquals("tag 'bad tag' is not valid (letters, digits, '_', '.', '-'; at most 128)", ImageReference.parse("a:bad tag").error());
        assertFalse(ImageReference.parse("UPPER/case").ok());
        assertEquals("digest 'sha256:xyz' is not ALGORITHM:HEX", ImageReference.parse("a@sha256:xyz").error());
    }
}
