package com.clientele.e2e;

import com.clientele.local.LocalCloud;

/** The payments contract against the embedded local cloud (DynamoDB Local and ElasticMQ). */
class PaymentsApiTest extends PaymentsApiContract {

    @Override
    protected LocalCloud cloud() {
        return TestCloud.embedded();
    }
}
