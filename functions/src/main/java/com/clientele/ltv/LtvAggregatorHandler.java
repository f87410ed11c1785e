package com.clientele.ltv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.events.Batches;
import java.time.Clock;
import java.util.Map;

/**
 * The LTV aggregator: payment events from its queue, applied to customers' stats. Each message
 * succeeds or fails on its own (ReportBatchItemFailures): a bad one is retried and, after the
 * queue's receive limit, parked in the DLQ, without holding back the rest of its batch.
 */
public final class LtvAggregatorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final AggregatorService aggregator;

    public LtvAggregatorHandler() {
        this(System.getenv());
    }

    public LtvAggregatorHandler(Map<String, String> environment) {
        this(service(new Env(environment)));
    }

    public LtvAggregatorHandler(AggregatorService aggregator) {
        this.aggregator = aggregator;
    }

    private static AggregatorService service(Env env) {
        var dynamoDb = Aws.dynamoDb(env);
        String table = env.require("TABLE_NAME");
        return new AggregatorService(new LtvRepository(dynamoDb, table, new CustomerRepository(dynamoDb, table)), Clock.systemUTC());
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.eachPaymentEvent(event, context, aggregator::apply);
    }
}
