package com.clientele.shared;

import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;

/**
 * An item to put in another repository's write transaction, with the condition it must meet
 * (none when null): how a write that belongs elsewhere (a request's stored response, a job's step)
 * commits together with a capability's own items.
 */
public record TransactPut(EnhancedDocument item, Expression condition) {

    /** The put, as the repository running the transaction adds it. */
    public TransactPutItemEnhancedRequest<EnhancedDocument> request() {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }
}
