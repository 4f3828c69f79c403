package io.logexaminer.k8s;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Spark driver pod as far as following a job needs it: whether its log can be read, and what keeps it from
 * running.
 *
 * @param uid           tells a retry's new driver pod from the last one of the same name
 * @param logReadable   the driver container has started (running or terminated), so it has a log
 * @param waiting       containers waiting to run, with the kubelet's reason (ImagePullBackOff, CrashLoopBackOff...)
 * @param unschedulable the scheduler's message while no node can take the pod
 */
public record DriverPod(String name, String uid, String phase, boolean logReadable, List<Waiting> waiting,
                        Optional<String> unschedulable) {

    /** The container Spark runs the driver in. */
    public static final String DRIVER_CONTAINER = "spark-kubernetes-driver";

    public record Waiting(String container, String reason, String message) {
    }

    static DriverPod of(Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus() == null ? List.of() : Stream.concat(
                Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()).toList();
        List<Waiting> waiting = new ArrayList<>();
        boolean readable = false;
        for (ContainerStatus s : statuses) {
            if (s.getState() == null) {
                continue;
            }
            if (s.getState().getWaiting() != null && s.getState().getWaiting().getReason() != null) {
                waiting.add(new Waiting(s.getName(), s.getState().getWaiting().getReason(),
                        Optional.ofNullable(s.getState().getWaiting().getMessage()).orElse("")));
            }
            if (s.getName().equals(logContainer(pod))
                    && (s.getState().getRunning() != null || s.getState().getTerminated() != null)) {
                readable = true;
            }
        }
        Optional<String> unschedulable = pod.getStatus() == null || pod.getStatus().getConditions() == null
                ? Optional.empty()
                : pod.getStatus().getConditions().stream()
                        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                                && "Unschedulable".equals(c.getReason()))
                        .map(c -> Optional.ofNullable(c.getMessage()).orElse(""))
                        .findFirst();
        return new DriverPod(pod.getMetadata().getName(), pod.getMetadata().getUid(),
                pod.getStatus() == null ? "" : Optional.ofNullable(pod.getStatus().getPhase()).orElse(""),
                readable, List.copyOf(waiting), unschedulable);
    }

    /** Spark's driver container, or the pod's only container when it has another name. */
    static String logContainer(Pod pod) {
        return pod.getSpec().getContainers().stream().map(c -> c.getName())
                .filter(DRIVER_CONTAINER::equals).findFirst()
                .orElse(pod.getSpec().getContainers().isEmpty() ? DRIVER_CONTAINER : pod.getSpec().getContainers().get(0).getName());
    }
}
