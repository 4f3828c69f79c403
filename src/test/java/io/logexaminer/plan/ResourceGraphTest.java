package io.logexaminer.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceGraphTest {
    static Resource r(String id, String... deps) {
        return new Resource(id, List.of(deps), new ResourceSpec.Namespace(id));
    }

    static List<String> ids(List<Resource> resources) {
        return resources.stream().map(Resource::id).toList();
    }

    @Test
    void orderPutsDependenciesFirstAndPrefersTheEarlierAddedAmongReadyOnes() {
        ResourceGraph g = ResourceGraph.of(List.of(r("c", "a"), r("a"), r("b"), r("d", "c", "b")));
        assertEquals(List.of("a", "c", "b", "d"), ids(g.order()));
    }

    @Test
    void reversedDeletesDependentsFirst() {
        ResourceGraph g = ResourceGraph.of(List.of(r("a"), r("b", "a"), r("c", "b"), r("d", "a")));
        List<String> order = ids(g.reversed().order());
        assertTrue(order.indexOf("c") < order.indexOf("b"));
        assertTrue(order.indexOf("b") < order.indexOf("a"));
        assertTrue(order.indexOf("d") < order.indexOf("a"));
        assertEquals(List.of("c"), g.reversed().require("b").dependsOn());
    }

    @Test
    void cyclesUnknownDependenciesAndDuplicatesAreRejected() {
        assertEquals("dependency cycle among a, b",
                assertThrows(IllegalArgumentException.class, () -> ResourceGraph.of(List.of(r("a", "b"), r("b", "a")))).getMessage());
        assertEquals("a depends on unknown resource z",
                assertThrows(IllegalArgumentException.class, () -> ResourceGraph.of(List.of(r("a", "z")))).getMessage());
        assertEquals("duplicate resource id a",
                assertThrows(IllegalArgumentException.class, () -> ResourceGraph.of(List.of(r("a"), r("a")))).getMessage());
    }
}
