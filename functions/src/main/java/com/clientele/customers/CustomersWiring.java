package com.clientele.customers;

import com.clientele.shared.Components;

/** How the customers capability's parts are built from a function's {@link Components}, each once. */
public final class CustomersWiring {

    private CustomersWiring() {
    }

    public static CustomerRepository repository(Components components) {
        return components.once(CustomerRepository.class,
                () -> new CustomerRepository(components.dynamoDb(), components.table()));
    }

    public static SmartListService smartLists(Components components) {
        return components.once(SmartListService.class, () -> new SmartListService(
                new SmartListRepository(components.dynamoDb(), components.table()), components.clock()));
    }

    public static CustomerService service(Components components) {
        return components.once(CustomerService.class,
                () -> new CustomerService(repository(components), components.cursors(), components.clock()));
    }
}
