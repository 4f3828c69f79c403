package io.logexaminer.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Builds test images on disk (an OCI image layout for OCI media types, skopeo's {@code dir:} layout for Docker
 * schema 2) and pushes them with skopeo, digests preserved, so tests know every digest beforehand. Layers are
 * seeded random bytes written as a stream, so a layer of any size costs no memory.
 */
public final class TestImages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** A layer of {@code size} random bytes from {@code seed}: equal specs give equal layers (a shared base). */
    public record Layer(long seed, long size) {
    }

    /** One platform's image: its os/arch and layers. */
    public record Image(String os, String architecture, List<Layer> layers) {
        public Image(String architecture, Layer... layers) {
            this("linux", architecture, List.of(layers));
        }
    }

    /** What was pushed: the tag's digest, per platform the child manifest digests (for an index), every blob and its size. */
    public record Pushed(String reference, String digest, Map<String, String> children, Map<String, Long> blobs) {
    }

    public enum Format { OCI, DOCKER }

    private final Path work;
    private final List<String> pushOptions;

    public TestImages(Path work) {
        this(work, List.of());
    }

    private TestImages(Path work, List<String> pushOptions) {
        this.work = work;
        this.pushOptions = pushOptions;
    }

    /** A builder that logs in to the registry it pushes to. */
    public TestImages loggedIn(String user, String password) {
        return new TestImages(work, List.of("--dest-creds=" + user + ":" + password));
    }

    /** A single-platform image. */
    public Pushed push(String registryHost, String repositoryAndTag, Format format, Image image) {
        return push(registryHost, repositoryAndTag, format, List.of(image), false, Map.of());
    }

    /** A multi-arch image: an OCI index or a Docker manifest list, with annotations (OCI only). */
    public Pushed pushIndex(String registryHost, String repositoryAndTag, Format format, List<Image> images,
                            Map<String, String> annotations) {
        return push(registryHost, repositoryAndTag, format, images, true, annotations);
    }

    private Pushed push(String registryHost, String repositoryAndTag, Format format, List<Image> images, boolean index,
                        Map<String, String> annotations) {
        try {
            Path dir = Files.createTempDirectory(work, "image-");
            Path blobs = format == Format.OCI ? dir.resolve("blobs/sha256") : dir;
            Files.createDirectories(blobs);
            Map<String, Long> blobSizes = new LinkedHashMap<>();
            Map<String, String> children = new LinkedHashMap<>();
            ArrayNode entries = JSON.createArrayNode();
            byte[] top = null;
            for (Image image : images) {
                ObjectNode manifest = JSON.createObjectNode();
                manifest.put("schemaVersion", 2);
                manifest.put("mediaType", format == Format.OCI ? OCI_MANIFEST : DOCKER_MANIFEST);
                ArrayNode layers = JSON.createArrayNode();
                ArrayNode diffIds = JSON.createArrayNode();
                for (Layer layer : image.layers()) {
                    String digest = writeLayer(blobs, layer);
                    diffIds.add(digest);
                    blobSizes.put(digest, layer.size());
                    layers.add(descriptor(format == Format.OCI ? "application/vnd.oci.image.layer.v1.tar+gzip"
                            : "application/vnd.docker.image.rootfs.diff.tar.gzip", digest, layer.size()));
                }
                ObjectNode config = JSON.createObjectNode();
                config.put("architecture", image.architecture());
                config.put("os", image.os());
                config.putObject("rootfs").put("type", "layers").set("diff_ids", diffIds);
                byte[] configBytes = JSON.writeValueAsBytes(config);
                String configDigest = writeBlob(blobs, configBytes);
                blobSizes.put(configDigest, (long) configBytes.length);
                manifest.set("config", descriptor(format == Format.OCI ? "application/vnd.oci.image.config.v1+json"
                        : "application/vnd.docker.container.image.v1+json", configDigest, configBytes.length));
                manifest.set("layers", layers);
                byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
                String manifestDigest = sha256(manifestBytes);
                if (format == Format.OCI) {
                    writeBlob(blobs, manifestBytes);
                } else if (index) {
                    Files.write(dir.resolve(manifestDigest.substring(7) + ".manifest.json"), manifestBytes);
                }
                ObjectNode entry = descriptor(format == Format.OCI ? OCI_MANIFEST : DOCKER_MANIFEST, manifestDigest, manifestBytes.length);
                entry.putObject("platform").put("architecture", image.architecture()).put("os", image.os());
                if (format == Format.OCI) {
                    entry.putObject("annotations").put("io.logexaminer.test.platform", image.os() + "/" + image.architecture());
                }
                entries.add(entry);
                children.put(image.os() + "/" + image.architecture(), manifestDigest);
                top = manifestBytes;
            }
            String topType = format == Format.OCI ? OCI_MANIFEST : DOCKER_MANIFEST;
            if (index) {
                ObjectNode list = JSON.createObjectNode();
                list.put("schemaVersion", 2);
                list.put("mediaType", format == Format.OCI ? OCI_INDEX : DOCKER_LIST);
                list.set("manifests", entries);
                if (format == Format.OCI && !annotations.isEmpty()) {
                    ObjectNode a = list.putObject("annotations");
                    annotations.forEach(a::put);
                }
                top = JSON.writeValueAsBytes(list);
                topType = format == Format.OCI ? OCI_INDEX : DOCKER_LIST;
                if (format == Format.OCI) {
                    writeBlob(blobs, top);
                }
            } else {
                children.clear();
            }
            String digest = sha256(top);
            String source;
            if (format == Format.OCI) {
                ObjectNode layout = JSON.createObjectNode();
                layout.put("schemaVersion", 2);
                ObjectNode entry = descriptor(topType, digest, top.length);
                entry.putObject("annotations").put("org.opencontainers.image.ref.name", "test");
                layout.putArray("manifests").add(entry);
                Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(layout));
                Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
                source = "oci:" + dir + ":test";
            } else {
                Files.write(dir.resolve("manifest.json"), top);
                Files.writeString(dir.resolve("version"), "Directory Transport Version: 1.1\n");
                source = "dir:" + dir;
            }
            List<String> copy = new ArrayList<>(List.of("copy", "--all", "--preserve-digests", "--quiet", "--dest-tls-verify=false"));
            copy.addAll(pushOptions);
            copy.addAll(List.of(source, "docker://" + registryHost + "/" + repositoryAndTag));
            skopeo(copy.toArray(String[]::new));
            deleteTree(dir);
            return new Pushed(registryHost + "/" + repositoryAndTag, digest, children, blobSizes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sha256 of the manifest bytes skopeo reads from {@code reference} ({@code HOST/REPO:TAG} or {@code @DIGEST}). */
    public static String rawDigest(String reference, String... credentials) {
        List<String> args = new ArrayList<>(List.of("inspect", "--raw", "--tls-verify=false"));
        if (credentials.length == 2) {
            args.add("--creds=" + credentials[0] + ":" + credentials[1]);
        }
        args.add("docker://" + reference);
        return sha256(skopeo(args.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs skopeo; its stdout, or an assertion-style failure with its stderr. */
    public static String skopeo(String... args) {
        List<String> command = new ArrayList<>();
        command.add(TestBinaries.require("skopeo").toString());
        command.addAll(List.of(args));
        try {
            Path err = Files.createTempFile("skopeo-", ".err");
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("skopeo " + String.join(" ", args) + " failed: " + Files.readString(err).strip());
            }
            Files.delete(err);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static String writeBlob(Path dir, byte[] bytes) throws IOException {
        String digest = sha256(bytes);
        Files.write(dir.resolve(digest.substring(7)), bytes);
        return digest;
    }

    private static String writeLayer(Path dir, Layer layer) throws IOException {
        Path tmp = Files.createTempFile(dir, "layer-", ".tmp");
        MessageDigest hash = sha256();
        Random random = new Random(layer.seed());
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(tmp)) {
            for (long left = layer.size(); left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                hash.update(chunk, 0, n);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(hash.digest());
        Files.move(tmp, dir.resolve(digest.substring(7)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return digest;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
