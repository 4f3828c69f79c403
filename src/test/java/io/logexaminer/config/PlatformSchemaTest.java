package io.logexaminer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config/platform.schema.json, the schema editors use, agrees with the loader. */
class PlatformSchemaTest {
    private static final Path ROOT = TestBinaries.projectDir();

    private static JsonSchema schema() throws IOException {
        JsonNode node = new ObjectMapper().readTree(ROOT.resolve("config/platform.schema.json").toFile());
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
    }

    private static JsonNode yaml(Path file) throws IOException {
        return new YAMLMapper().readTree(file.toFile());
    }

    @Test
    void acceptsTheExample() throws IOException {
        Set<ValidationMessage> errors = schema().validate(yaml(ROOT.resolve("examples/platform.yaml")));
        assertEquals(Set.of(), errors);
    }

    @Test
    void acceptsAFileSettingEveryKeyThatTheLoaderAlsoAccepts() throws IOException {
        Path everyKey = ROOT.resolve("src/test/resources/config/every-key.yaml");
        assertEquals(Set.of(), schema().validate(yaml(everyKey)));
        PlatformLoader.parse("every-key.yaml", Files.readString(everyKey), Optional.empty());
    }

    @Test
    void rejectsAnUnknownKeyLikeTheLoader() throws IOException {
        ObjectNode doc = (ObjectNode) yaml(ROOT.resolve("examples/platform.yaml"));
        ((ObjectNode) doc.get("network")).put("natGateways", "single");
        Set<ValidationMessage> errors = schema().validate(doc);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.iterator().next().getMessage().contains("natGateways"), errors::toString);
    }
}
