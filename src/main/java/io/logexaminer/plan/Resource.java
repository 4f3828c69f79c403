package io.logexaminer.plan;

import java.util.List;

/**
 * A node of the platform's graph. {@code id} is stable across runs (it is the logical-id tag on AWS), and
 * {@code dependsOn} lists the ids that must exist first.
 */
public record Resource(String id, List<String> dependsOn, ResourceSpec spec) {

    public Resource {
        dependsOn = List.copyOf(dependsOn);
    }

    public String type() {
        return spec.type();
    }
}
