package io.logexaminer.plan;

import java.util.Map;

/** Finds what a platform owns on one system, whether platform.yaml still describes it or not. */
public interface Inventory {

    /** The resources that carry the platform's owner tag, as resource id to resource type. */
    Map<String, String> owned(Outputs outputs);
}
