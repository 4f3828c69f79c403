package io.logexaminer.k8s;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.testing.KubernetesTestCluster;
import io.logexaminer.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client factory: an EKS-style endpoint over TLS with a CA and a bearer token, and kubeconfig contexts. */
class ClusterClientTest {
    @RegisterExtension
    static final KubernetesTestCluster tls = new KubernetesTestCluster(true);

    @TempDir
    Path dir;

    @Test
    void eksClientTrustsTheGivenCaAndSendsTheCurrentToken() throws Exception {
        tls.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("spark").endMetadata().build()).create();
        AtomicReference<String> token = new AtomicReference<>("k8s-aws-v1.first");
        AtomicReference<Boolean> closed = new AtomicReference<>(false);
        while (tls.takeRequest() != null) {
            // forget the setup requests
        }
        try (ClusterClient cluster = ClusterClient.eks("demo", tls.url(), tls.certificateAuthority(), token::get, () -> closed.set(true))) {
            assertEquals("spark", cluster.client().namespaces().withName("spark").get().getMetadata().getName());
            assertEquals("Bearer k8s-aws-v1.first", lastAuthorization());
            token.set("k8s-aws-v1.second");
            cluster.client().namespaces().withName("spark").get();
            assertEquals("Bearer k8s-aws-v1.second", lastAuthorization(), "a renewed token is used at once");
            assertEquals("default", cluster.defaultNamespace());
            assertTrue(cluster.description().startsWith("EKS cluster demo (https://"), cluster.description());
        }
        assertTrue(closed.get(), "what the token source needs is closed with the client");
    }

    private static String lastAuthorization() throws InterruptedException {
        String authorization = null;
        for (RecordedRequest r = tls.takeRequest(); r != null; r = tls.takeRequest()) {
            authorization = r.getHeader("Authorization");
        }
        return authorization;
    }

    @Test
    void kubeconfigCurrentContextOrTheNamedOne() throws Exception {
        Path file = tls.writeKubeconfig(dir);
        Files.writeString(file, Files.readString(file).replace("contexts:\n", """
                contexts:
                - name: elsewhere
                  context:
                    cluster: test
                    user: test
                    namespace: spark
                """));
        try (ClusterClient current = ClusterClient.kubeconfig(new KubeconfigFiles(List.of(file)), Optional.empty())) {
            assertEquals("default", current.defaultNamespace());
            assertEquals("context " + KubernetesTestCluster.CONTEXT + " (" + tls.url() + "/)", current.description());
            assertTrue(current.client().namespaces().list().getItems().size() >= 0);
        }
        try (ClusterClient named = ClusterClient.kubeconfig(new KubeconfigFiles(List.of(file)), Optional.of("elsewhere"))) {
            assertEquals("spark", named.defaultNamespace());
        }
    }

    @Test
    void aRelativeCertificatePathIsReadNextToTheKubeconfig() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.write(sub.resolve("ca.pem"), java.util.Base64.getDecoder().decode(tls.certificateAuthority()));
        Path file = Files.writeString(sub.resolve("config"), Files.readString(tls.writeKubeconfig(dir))
                .replaceAll("certificate-authority-data: \\S+", "certificate-authority: ca.pem"));
        try (ClusterClient cluster = ClusterClient.kubeconfig(new KubeconfigFiles(List.of(file)), Optional.empty())) {
            assertTrue(cluster.client().namespaces().list().getItems() != null, "TLS with the CA found next to the file");
        }
    }

    @Test
    void kubeconfigFilesFollowKubeconfigVariableThenHome() {
        assertEquals(List.of(Path.of("/a"), Path.of("/b")),
                KubeconfigFiles.find(Optional.empty(), Map.of("KUBECONFIG", "/a:/b", "HOME", "/h")).paths());
        assertEquals(List.of(Path.of("/h/.kube/config")), KubeconfigFiles.find(Optional.empty(), Map.of("HOME", "/h")).paths());
        assertEquals(List.of(Path.of("/x")), KubeconfigFiles.find(Optional.of(Path.of("/x")), Map.of("KUBECONFIG", "/a")).paths());
    }

    @Test
    void unknownContextOrMissingFileIsOneClearLine() {
        Path file = tls.writeKubeconfig(dir);
        OperationFailedException unknown = assertThrows(OperationFailedException.class,
                () -> ClusterClient.kubeconfig(new KubeconfigFiles(List.of(file)), Optional.of("prod")));
        assertEquals("context prod is not in " + file + " (it has: " + KubernetesTestCluster.CONTEXT + ")", unknown.getMessage());
        Path missing = dir.resolve("none");
        OperationFailedException none = assertThrows(OperationFailedException.class,
                () -> ClusterClient.kubeconfig(new KubeconfigFiles(List.of(missing)), Optional.empty()));
        assertEquals("no kubeconfig at " + missing + "; pass --kubeconfig FILE", none.getMessage());
    }

    @Test
    void unreachableClusterIsSaidSo() {
        String url = "https://127.0.0.1:" + ServerProcess.freePort();
        try (ClusterClient cluster = ClusterClient.eks("gone", url, tls.certificateAuthority(), () -> "t", () -> { })) {
            var e = assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
                    () -> cluster.client().services().inNamespace("x").withName("y").get());
            assertEquals("cannot reach EKS cluster gone (" + url + ") to read service x/y: connection refused",
                    cluster.failure("read service x/y", e).getMessage());
        }
    }
}
