package com.clientele.orders;

import com.clientele.catalogue.CatalogueService.Sale;
import com.clientele.catalogue.Price;
import com.clientele.shared.Money;

/**
 * One line of an order: what was sold ({@code productId}, {@code variantId}, their names then) at which
 * price, on the price's terms as sold ({@code unitAmount}, {@code type}, {@code recurring}), so that
 * archiving or replacing the price later changes nothing here. {@code amount} is unit amount × quantity:
 * once for a one-time price, per period for a recurring one. A recurring line starts a subscription when
 * its order is paid; {@code subscriptionId} is its id from then on.
 */
public record OrderItem(String productId, String productName, String variantId, String variantName, String priceId,
                        Price.Type type, Price.Recurring recurring, long unitAmount, int quantity, Money amount,
                        String subscriptionId) {

    static OrderItem of(Sale sale, int quantity, String subscriptionId) {
        var price = sale.price();
        return new OrderItem(price.productId(), sale.product().name(), price.variantId(),
                sale.variant() == null ? null : sale.variant().name(), price.id(), price.type(), price.recurring(),
                price.unitAmount(), quantity, new Money(Math.multiplyExact(price.unitAmount(), quantity), price.currency()),
                subscriptionId);
    }

    boolean recurs() {
        return type == Price.Type.RECURRING;
    }

    /** The line as the API shows it: a recurring line's subscription id once it is started. */
    OrderItem shown(boolean started) {
        return started || subscriptionId == null ? this : new OrderItem(productId, productName, variantId, variantName, priceId, type,
                recurring, unitAmount, quantity, amount, null);
    }
}
