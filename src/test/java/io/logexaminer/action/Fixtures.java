package io.logexaminer.action;

import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.AwsSettings;
import io.logexaminer.config.Platform;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestBinaries;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.TagDescription;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What the up and down tests share: platform files, SDK clients that look at moto directly, and counts of what it holds. */
final class Fixtures {
    static final String EXAMPLE = TestBinaries.projectDir().resolve("examples/platform.yaml").toString();
    /** The smallest platform: every resource of DESIGN.md with the defaults. */
    static final String DEMO = "name: demo\nregion: eu-west-1\n";

    private Fixtures() {
    }

    static String platformFile(String yaml) {
        try {
            Path file = Files.createTempFile("platform-", ".yaml");
            Files.writeString(file, yaml);
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clients that talk to moto directly, past the proxy, to see what AWS holds. */
    static AwsClients clients(MotoServer moto) {
        return new AwsClients(new AwsSettings("eu-west-1", Optional.empty(), moto.environment()));
    }

    /** EC2 resources carrying {@code platform}'s owner tag, counted by logical id. */
    static Map<String, Integer> ownedEc2(AwsClients aws, String platform) {
        List<String> ids = aws.ec2().describeTags(r -> r.filters(Filter.builder().name("key").values(Platform.OWNER_TAG).build(),
                Filter.builder().name("value").values(platform).build())).tags().stream().map(TagDescription::resourceId).toList();
        Map<String, Integer> byLogicalId = new TreeMap<>();
        if (ids.isEmpty()) {
            return byLogicalId;
        }
        aws.ec2().describeTags(r -> r.filters(Filter.builder().name("key").values(Platform.LOGICAL_ID_TAG).build(),
                Filter.builder().name("resource-id").values(ids).build())).tags()
                .forEach(t -> byLogicalId.merge(t.value(), 1, Integer::sum));
        return byLogicalId;
    }
}
