package io.logexaminer.aws;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Tags as a map, from and to each service's own tag type. */
final class Tags {
    private Tags() {
    }

    static <T> Map<String, String> map(Collection<T> tags, Function<T, String> key, Function<T, String> value) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach(t -> out.put(key.apply(t), value.apply(t)));
        return out;
    }

    static <T> List<T> list(Map<String, String> tags, BiFunction<String, String, T> tag) {
        return tags.entrySet().stream().map(e -> tag.apply(e.getKey(), e.getValue())).toList();
    }
}
