package io.logexaminer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A manifest or index exactly as the registry served it: the raw bytes, the media type they came with, their
 * digest. Copies push these bytes unchanged, so digests never change.
 */
public record Manifest(byte[] bytes, String mediaType, String digest) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /** An index's entries, in order. */
    public List<Descriptor> children() {
        List<Descriptor> children = new ArrayList<>();
        for (JsonNode entry : json().path("manifests")) {
            children.add(descriptor(entry));
        }
        return children;
    }

    /** An image manifest's config. */
    public Optional<Descriptor> config() {
        return config(json());
    }

    private Optional<Descriptor> config(JsonNode root) {
        return root.hasNonNull("config") ? Optional.of(descriptor(root.get("config"))) : Optional.empty();
    }

    /** An image manifest's config and layers (those a registry serves), in order. */
    public List<Descriptor> blobs() {
        JsonNode root = json();
        List<Descriptor> blobs = new ArrayList<>();
        config(root).ifPresent(blobs::add);
        for (JsonNode layer : root.path("layers")) {
            Descriptor d = descriptor(layer);
            if (!MediaTypes.isForeignLayer(d.mediaType())) {
                blobs.add(d);
            }
        }
        return blobs;
    }

    private JsonNode json() {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw RegistryException.permanent("manifest " + digest + " is not JSON");
        }
    }

    private Descriptor descriptor(JsonNode node) {
        String digest = node.path("digest").asText("");
        if (!Digests.valid(digest) || !node.path("size").canConvertToLong() || node.path("size").asLong() < 0) {
            throw RegistryException.permanent("manifest " + this.digest + " has an entry without a valid digest and size");
        }
        JsonNode platform = node.path("platform");
        Optional<String> name = platform.isObject()
                ? Optional.of(platformName(platform.path("os").asText(""), platform.path("architecture").asText(""),
                        platform.path("variant").asText("")))
                : Optional.empty();
        return new Descriptor(node.path("mediaType").asText(""), digest, node.get("size").asLong(), name);
    }

    /** {@code os/architecture[/variant]}, as {@code --platform} spells it. */
    static String platformName(String os, String architecture, String variant) {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }

    /** The platform an image config names ({@code os}, {@code architecture}, {@code variant}). */
    static Optional<String> platformOfConfig(byte[] config) {
        try {
            JsonNode root = JSON.readTree(config);
            String os = root.path("os").asText("");
            String architecture = root.path("architecture").asText("");
            return os.isEmpty() || architecture.isEmpty() ? Optional.empty()
                    : Optional.of(platformName(os, architecture, root.path("variant").asText("")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
