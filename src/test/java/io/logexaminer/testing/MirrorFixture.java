package io.logexaminer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The six images of a platform (the default targets of platform.yaml), built and pushed to a source registry: OCI
 * and Docker single images with several layers, a Docker manifest list and an annotated OCI index with two
 * platforms each, and a base layer that four of them share across repositories. Sizes scale with {@code unit}.
 */
public record MirrorFixture(Map<String, TestImages.Pushed> images, String sourceHost) {

    public static MirrorFixture push(String sourceHost, Path work, long unit) {
        TestImages builder = new TestImages(work);
        TestImages.Layer base = new TestImages.Layer(1, 4 * unit);
        Map<String, TestImages.Pushed> images = new LinkedHashMap<>();
        images.put("data-platform/spark:3.5.1", builder.push(sourceHost, "apps/spark:3.5.1", TestImages.Format.OCI,
                new TestImages.Image("amd64", base, layer(11, 3 * unit), layer(12, 2 * unit), layer(13, unit))));
        images.put("data-platform/hive:3.1.3", builder.push(sourceHost, "apps/hive:3.1.3", TestImages.Format.DOCKER,
                new TestImages.Image("amd64", base, layer(21, 2 * unit), layer(22, unit))));
        images.put("data-platform/spark-operator:2.1.1", builder.pushIndex(sourceHost, "apps/spark-operator:2.1.1",
                TestImages.Format.DOCKER, List.of(new TestImages.Image("amd64", layer(31, 2 * unit), layer(32, unit)),
                        new TestImages.Image("arm64", layer(33, 2 * unit), layer(34, unit))), Map.of()));
        images.put("data-platform/clickhouse:24.8", builder.pushIndex(sourceHost, "apps/clickhouse:24.8", TestImages.Format.OCI,
                List.of(new TestImages.Image("amd64", base, layer(41, 3 * unit)), new TestImages.Image("arm64", layer(42, 3 * unit))),
                Map.of("org.opencontainers.image.source", "https://example.invalid/clickhouse", "io.logexaminer.test", "index")));
        images.put("data-platform/external-secrets:v0.10.7", builder.push(sourceHost, "apps/external-secrets:v0.10.7",
                TestImages.Format.OCI, new TestImages.Image("amd64", layer(51, unit))));
        images.put("data-platform/cluster-autoscaler:v1.33.0", builder.push(sourceHost, "apps/cluster-autoscaler:v1.33.0",
                TestImages.Format.DOCKER, new TestImages.Image("amd64", base, layer(61, unit))));
        return new MirrorFixture(images, sourceHost);
    }

    private static TestImages.Layer layer(long seed, long size) {
        return new TestImages.Layer(seed, size);
    }

    /** platform.yaml mirroring every image of the fixture. */
    public Path platformYaml(Path dir, String name) {
        return platformYaml(dir, name, sourceHost);
    }

    /** platform.yaml mirroring every image of the fixture, read from the source registry through {@code viaHost}. */
    public Path platformYaml(Path dir, String name, String viaHost) {
        return write(dir, name, "name: " + name + "\nregion: eu-west-1\necr:\n  keepLastImages: 10\n" + imagesBlock(viaHost));
    }

    /** The {@code images:} section of platform.yaml mirroring every image of the fixture: the default targets. */
    public String imagesBlock() {
        return imagesBlock(sourceHost);
    }

    private String imagesBlock(String viaHost) {
        StringBuilder yaml = new StringBuilder("images:\n");
        images.forEach((target, pushed) -> yaml.append("  - source: ").append(viaHost)
                .append(pushed.reference().substring(sourceHost.length())).append("\n    target: ").append(target).append('\n'));
        return yaml.toString();
    }

    /**
     * platform.yaml text with the source of each {@code images[]} entry replaced by the fixture's image of the same
     * target, so that nothing is read from a public registry.
     */
    public String withLocalSources(String yaml) {
        Matcher m = Pattern.compile("source: \\S+(\\n\\s+target: (\\S+))").matcher(yaml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            TestImages.Pushed pushed = images.get(m.group(2));
            if (pushed == null) {
                throw new IllegalArgumentException("the fixture has no image for the target " + m.group(2));
            }
            m.appendReplacement(out, Matcher.quoteReplacement("source: " + pushed.reference() + m.group(1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** platform.yaml mirroring just {@code source} to {@code target}: every component image points at it. */
    public static Path singleImageYaml(Path dir, String name, String source, String target) {
        return imagesYaml(dir, name, List.of(Map.entry(source, target)));
    }

    /** platform.yaml mirroring {@code images} (source to target); every component image points at the first target. */
    public static Path imagesYaml(Path dir, String name, List<Map.Entry<String, String>> images) {
        String first = images.getFirst().getValue();
        StringBuilder yaml = new StringBuilder("name: " + name + "\nregion: eu-west-1\nimages:\n");
        images.forEach(i -> yaml.append("  - source: ").append(i.getKey()).append("\n    target: ").append(i.getValue()).append('\n'));
        yaml.append("eks:\n  clusterAutoscaler:\n    enabled: false\n")
                .append("spark:\n  image: ").append(first).append('\n')
                .append("kubernetes:\n")
                .append("  sparkOperator:\n    image: ").append(first).append('\n')
                .append("  hiveMetastore:\n    image: ").append(first).append('\n')
                .append("  clickhouse:\n    image: ").append(first).append('\n')
                .append("  externalSecrets:\n    image: ").append(first).append('\n');
        return write(dir, name, yaml.toString());
    }

    private static Path write(Path dir, String name, String yaml) {
        try {
            return Files.writeString(dir.resolve(name + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many requests of {@code method} on {@code pathPattern} a registry's access log shows, optionally with {@code status}. */
    public static int count(String log, String method, String pathPattern, int status) {
        Matcher m = Pattern.compile("\"" + method + " (" + pathPattern + ") HTTP/1\\.1\" (\\d{3})").matcher(log);
        int n = 0;
        while (m.find()) {
            if (status == 0 || Integer.parseInt(m.group(2)) == status) {
                n++;
            }
        }
        return n;
    }

    /** Blob data uploads (PATCH and committing PUT) a registry's access log shows. */
    public static int uploads(String log) {
        return count(log, "PATCH", "/v2/\\S+/blobs/uploads/\\S*", 0) + count(log, "PUT", "/v2/\\S+/blobs/uploads/\\S*", 0);
    }

    /** A Docker config.json logging in to {@code host}. */
    public static Path dockerConfig(Path dir, String host, String user, String password) {
        String auth = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            Path d = Files.createDirectories(dir.resolve("docker-" + user + "-" + Math.abs(password.hashCode())));
            Files.writeString(d.resolve("config.json"), "{\"auths\": {\"" + host + "\": {\"auth\": \"" + auth + "\"}}}");
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
