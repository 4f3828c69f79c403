package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

import java.util.List;
import java.util.Map;

/** EC2's way of tagging: resources are found by their owner and logical-id tags and tagged as they are created. */
final class Ec2Tags {
    private Ec2Tags() {
    }

    /** The filters that find the resource {@code resourceId} of this platform. */
    static List<Filter> owned(AwsPlatform aws, String resourceId) {
        return List.of(filter("tag:" + Platform.OWNER_TAG, aws.platform().name()),
                filter("tag:" + Platform.LOGICAL_ID_TAG, resourceId));
    }

    /** Whether {@code tags} are those of the resource {@code resourceId} of this platform. */
    static boolean carries(AwsPlatform aws, String resourceId, Map<String, String> tags) {
        return aws.owns(tags) && resourceId.equals(tags.get(Platform.LOGICAL_ID_TAG));
    }

    static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    static Map<String, String> map(List<Tag> tags) {
        return Tags.map(tags, Tag::key, Tag::value);
    }

    static List<Tag> list(Map<String, String> tags) {
        return Tags.list(tags, (k, v) -> Tag.builder().key(k).value(v).build());
    }

    /** Tags applied in the create call itself, so that nothing this tool creates is ever untagged. */
    static TagSpecification onCreate(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(list(tags)).build();
    }

    static void set(Ec2Client ec2, String physicalId, Map<String, String> tags) {
        ec2.createTags(r -> r.resources(physicalId).tags(list(tags)));
    }
}
