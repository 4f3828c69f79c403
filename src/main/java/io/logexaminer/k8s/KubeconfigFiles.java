package io.logexaminer.k8s;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kubeconfig files in play, found as kubectl finds them: {@code --kubeconfig FILE}, else every file of
 * {@code KUBECONFIG}, else {@code ~/.kube/config}. Read from the environment map so tests can point elsewhere.
 */
public record KubeconfigFiles(List<Path> paths) {

    public KubeconfigFiles {
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no kubeconfig path");
        }
    }

    public static KubeconfigFiles find(Optional<Path> explicit, Map<String, String> environment) {
        if (explicit.isPresent()) {
            return new KubeconfigFiles(List.of(explicit.get()));
        }
        String kubeconfig = environment.get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            List<Path> paths = Arrays.stream(kubeconfig.split(File.pathSeparator)).filter(p -> !p.isBlank()).map(Path::of).toList();
            if (!paths.isEmpty()) {
                return new KubeconfigFiles(paths);
            }
        }
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        return new KubeconfigFiles(List.of(Path.of(home, ".kube", "config")));
    }

    /** The file a new context is written to: the first one, as kubectl and {@code aws eks update-kubeconfig} do. */
    public Path primary() {
        return paths.getFirst();
    }

    public String describe() {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
