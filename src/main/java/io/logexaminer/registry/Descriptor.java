package io.logexaminer.registry;

import java.util.Optional;

/** What a manifest says about content it references: type, digest, size and, in an index, the platform. */
public record Descriptor(String mediaType, String digest, long size, Optional<String> platform) {
}
