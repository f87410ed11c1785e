package com.clientele.relationship;

import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerService;
import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/** A customer's activity feed, newest first: what the writers of each change recorded with it. */
public final class ActivityFeed {

    private final DynamoDbTable<EnhancedDocument> table;
    private final CustomerRepository customers;
    private final Cursors cursors;

    public ActivityFeed(DynamoDbEnhancedClient client, String tableName, CustomerRepository customers, Cursors cursors) {
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = customers;
        this.cursors = cursors;
    }

    /** {@code GET /customers/{id}/activities?limit=7}: one Query (after the profile's GetItem). */
    public Listing<Activity> list(String tenant, String customerId, Map<String, String> query) {
        var paging = ListParams.of(query);
        CustomerService.existing(customers, tenant, customerId);
        String scope = "activities:" + customerId;
        var condition = QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId)).sortValue(Activity.ACTIVITY));
        var slice = Pages.read(table::query, null, condition, false, paging.limit(), cursors.after(tenant, scope, paging), null);
        return new Listing<>(slice.items().stream().map(i -> Items.read(i, Activity.class, Set.of("entity"))).toList(),
                cursors.next(tenant, scope, slice));
    }
}
