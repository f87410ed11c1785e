package com.clientele.shared.events;

import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS client of the functions that send messages, built as {@link Aws} builds every client. Kept
 * out of {@link Components} so that only the functions that send reach the SQS classes (each
 * function's jar holds what its handler reaches).
 */
public final class Sqs {

    private Sqs() {
    }

    /** The function's one SQS client (a test or benchmark may put its own in with {@code Components.with}). */
    public static SqsClient client(Components components) {
        return components.once(SqsClient.class, () -> create(components.env()));
    }

    public static SqsClient create(Env env) {
        return Aws.build(SqsClient.builder(), env, "AWS_ENDPOINT_URL_SQS");
    }
}
