package io.logexaminer.testing;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceList;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Does in the test cluster what Kubernetes' EndpointSlice controller does in a real one: after every change to pods
 * or services of a namespace, each service with a selector gets EndpointSlices listing its pods, with their
 * readiness and the service's target ports resolved against each pod (named ports included).
 */
final class EndpointSliceController {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    static final String MANAGED_BY = "endpointslice-controller.k8s.io";

    private final Dispatcher store;
    private final KubernetesSerialization json = new KubernetesSerialization();

    EndpointSliceController(Dispatcher store) {
        this.store = store;
    }

    synchronized void sync(String namespace) {
        List<Service> services = get("/api/v1/namespaces/" + namespace + "/services", ServiceList.class).getItems();
        List<Pod> pods = get("/api/v1/namespaces/" + namespace + "/pods", PodList.class).getItems();
        Map<String, EndpointSlice> existing = new HashMap<>();
        for (EndpointSlice slice : get("/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices",
                EndpointSliceList.class).getItems()) {
            if (MANAGED_BY.equals(labels(slice).get(MANAGED_BY_LABEL))) {
                existing.put(slice.getMetadata().getName(), slice);
            }
        }
        Map<String, EndpointSlice> desired = new LinkedHashMap<>();
        for (Service service : services) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            Map<List<EndpointPort>, List<Endpoint>> groups = new LinkedHashMap<>();
            for (Pod pod : pods) {
                if (labels(pod).entrySet().containsAll(selector.entrySet())) {
                    groups.computeIfAbsent(resolvePorts(service, pod), k -> new ArrayList<>()).add(endpoint(pod));
                }
            }
            int index = 0;
            for (var group : groups.entrySet()) {
                String name = service.getMetadata().getName() + "-" + index++;
                desired.put(name, new EndpointSliceBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels(SERVICE_NAME_LABEL, service.getMetadata().getName())
                        .addToLabels(MANAGED_BY_LABEL, MANAGED_BY).endMetadata()
                        .withAddressType("IPv4")
                        .withPorts(group.getKey())
                        .withEndpoints(group.getValue())
                        .build());
            }
        }
        String base = "/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices";
        for (var slice : desired.entrySet()) {
            EndpointSlice old = existing.remove(slice.getKey());
            if (old == null) {
                send(HttpMethod.POST, base, slice.getValue());
            } else if (!Objects.equals(old.getEndpoints(), slice.getValue().getEndpoints())
                    || !Objects.equals(old.getPorts(), slice.getValue().getPorts())) {
                slice.getValue().getMetadata().setResourceVersion(old.getMetadata().getResourceVersion());
                send(HttpMethod.PUT, base + "/" + slice.getKey(), slice.getValue());
            }
        }
        for (String stale : existing.keySet()) {
            send(HttpMethod.DELETE, base + "/" + stale, null);
        }
    }

    /** The service's ports with each target port as this pod has it; a named port the pod lacks is left out. */
    private static List<EndpointPort> resolvePorts(Service service, Pod pod) {
        List<EndpointPort> ports = new ArrayList<>();
        for (ServicePort port : service.getSpec().getPorts()) {
            IntOrString target = port.getTargetPort();
            Integer number = target == null ? port.getPort() : target.getIntVal();
            if (target != null && target.getStrVal() != null) {
                number = pod.getSpec().getContainers().stream()
                        .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
                        .filter(p -> target.getStrVal().equals(p.getName()))
                        .map(ContainerPort::getContainerPort).findFirst().orElse(null);
            }
            if (number != null) {
                ports.add(new EndpointPortBuilder().withName(port.getName() == null ? "" : port.getName())
                        .withPort(number).withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol()).build());
            }
        }
        return ports;
    }

    private static Endpoint endpoint(Pod pod) {
        boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        String ip = pod.getStatus() != null && pod.getStatus().getPodIP() != null ? pod.getStatus().getPodIP() : "10.0.0.1";
        return new EndpointBuilder()
                .withAddresses(ip)
                .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions()
                .withNewTargetRef().withKind("Pod").withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace()).withUid(pod.getMetadata().getUid()).endTargetRef()
                .build();
    }

    private static Map<String, String> labels(HasMetadata resource) {
        Map<String, String> labels = resource.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private <T> T get(String path, Class<T> type) {
        MockResponse response = store.dispatch(request(HttpMethod.GET, path, null));
        return json.unmarshal(new String(response.getBody().getBytes(), StandardCharsets.UTF_8), type);
    }

    private void send(HttpMethod method, String path, Object body) {
        MockResponse response = store.dispatch(request(method, path, body));
        if (response.code() >= 400) {
            throw new IllegalStateException(method + " " + path + " answered " + response.code() + ": "
                    + new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
        }
    }

    private RecordedRequest request(HttpMethod method, String path, Object body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        byte[] bytes = body == null ? new byte[0] : json.asJson(body).getBytes(StandardCharsets.UTF_8);
        return new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer(bytes));
    }
}
