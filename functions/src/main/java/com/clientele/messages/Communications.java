package com.clientele.messages;

import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerService;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import java.util.Map;

/** {@code GET /customers/{id}/communications}: the messages sent to a customer, newest first. */
public final class Communications {

    private final CommunicationRepository repository;
    private final CustomerRepository customers;
    private final Cursors cursors;

    public Communications(CommunicationRepository repository, CustomerRepository customers, Cursors cursors) {
        this.repository = repository;
        this.customers = customers;
        this.cursors = cursors;
    }

    /** One Query (after the profile's GetItem, which answers 404 for another tenant's or an unknown customer). */
    public Listing<Communication> list(String tenant, String customerId, Map<String, String> query) {
        var paging = ListParams.of(query);
        CustomerService.existing(customers, tenant, customerId);
        String scope = "communications:" + customerId;
        var slice = repository.page(tenant, customerId, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(CommunicationRepository::communication).toList(),
                cursors.next(tenant, scope, slice));
    }
}
