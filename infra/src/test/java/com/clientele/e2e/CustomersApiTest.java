package com.clientele.e2e;

import com.clientele.local.LocalCloud;

/** The contract against the embedded local cloud: DynamoDB Local and ElasticMQ in this JVM. */
class CustomersApiTest extends CustomersApiContract {

    @Override
    protected LocalCloud cloud() {
        return TestCloud.embedded();
    }
}
