package io.logexaminer.registry;

import java.util.List;
import java.util.Locale;

/** The manifest media types the copier understands: OCI and Docker schema 2, single images and indexes. */
public final class MediaTypes {
    private MediaTypes() {
    }

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    /** The Accept header of manifest requests, indexes first so a registry never down-converts a multi-arch image. */
    public static final String ACCEPT = String.join(", ", List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST));

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    /** Layers that registries may not serve (Windows base layers): the manifest points elsewhere for them. */
    public static boolean isForeignLayer(String mediaType) {
        return mediaType != null && (mediaType.equals("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip")
                || mediaType.startsWith("application/vnd.oci.image.layer.nondistributable."));
    }

    /** A Content-Type header without its parameters, in lower case. */
    static String bare(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
