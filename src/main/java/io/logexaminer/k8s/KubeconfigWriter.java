package io.logexaminer.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.logexaminer.error.OperationFailedException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Writes a context into a kubeconfig file, merging with what the file holds: entries of the same name are replaced,
 * everything else is kept as it was. The file is replaced atomically and readable by its owner only.
 */
public final class KubeconfigWriter {
    static final String EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    /**
     * A context whose user runs a command for its credentials (the kubeconfig {@code exec} plugin).
     *
     * @param name                 the name of the context, and of its cluster and user entries
     * @param certificateAuthority base64 PEM, as DescribeCluster gives it
     */
    public record ExecContext(String name, String server, String certificateAuthority, String command, List<String> args) {
    }

    private KubeconfigWriter() {
    }

    /** Adds or replaces {@code context} in {@code file} (made if missing) and makes it the current context. */
    public static void merge(Path file, ExecContext context) {
        ObjectNode root = read(file);
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        ObjectNode cluster = JsonNodeFactory.instance.objectNode();
        cluster.put("server", context.server());
        cluster.put("certificate-authority-data", context.certificateAuthority());
        upsert(root, "clusters", context.name(), "cluster", cluster);

        ObjectNode exec = JsonNodeFactory.instance.objectNode();
        exec.put("apiVersion", EXEC_API_VERSION);
        exec.put("command", context.command());
        ArrayNode args = exec.putArray("args");
        context.args().forEach(args::add);
        exec.put("interactiveMode", "Never");
        exec.put("provideClusterInfo", false);
        ObjectNode user = JsonNodeFactory.instance.objectNode();
        user.set("exec", exec);
        upsert(root, "users", context.name(), "user", user);

        ObjectNode ctx = JsonNodeFactory.instance.objectNode();
        ctx.put("cluster", context.name());
        ctx.put("user", context.name());
        upsert(root, "contexts", context.name(), "context", ctx);

        root.put("current-context", context.name());
        write(file, root);
    }

    private static ObjectNode read(Path file) {
        if (!Files.exists(file)) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!(node instanceof ObjectNode object)) {
                throw new OperationFailedException(file + " is not a kubeconfig (not a YAML mapping); not changing it");
            }
            return object;
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + file + " (" + ClusterClient.firstLine(e) + "); not changing it", e);
        }
    }

    /** Replaces the entry {@code name} of list {@code listName} in place, or appends it. */
    private static void upsert(ObjectNode root, String listName, String name, String field, ObjectNode value) {
        JsonNode existing = root.get(listName);
        ArrayNode list = existing instanceof ArrayNode array ? array : root.putArray(listName);
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("name", name);
        entry.set(field, value);
        for (int i = 0; i < list.size(); i++) {
            if (name.equals(list.get(i).path("name").asText(null))) {
                list.set(i, entry);
                return;
            }
        }
        list.add(entry);
    }

    private static void write(Path path, ObjectNode root) {
        try {
            Path file = Files.exists(path) ? path.toRealPath() : path;
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp");
            try {
                if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                }
                YAML.writeValue(temp.toFile(), root);
                try {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + path + ": " + ClusterClient.firstLine(e), e);
        }
    }
}
