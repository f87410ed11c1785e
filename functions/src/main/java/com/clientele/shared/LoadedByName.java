package com.clientele.shared;

import java.util.List;

/**
 * The library classes that are loaded by name only, which a walk of class references from a handler
 * does not find: every function jar's build starts its walk here too (functions/pom.xml), so that
 * they are in the jar. A library added later that loads classes of its own by name (interceptors, a
 * logging back-end's plugins) lists them here; FunctionJarsTest boots every jar to find the ones
 * missing.
 */
final class LoadedByName {

    /** Named in the DynamoDB client's {@code execution.interceptors} resource, which the SDK reads. */
    static final List<Class<?>> CLASSES = List.of(
            software.amazon.awssdk.enhanced.dynamodb.internal.ApplyUserAgentInterceptor.class);

    private LoadedByName() {
    }
}
