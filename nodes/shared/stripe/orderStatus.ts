/**
 * What a Stripe event means for the chat order it belongs to: the state an order row moves to, so a workflow
 * routes on one field instead of restating Stripe's event semantics. null: nothing changes for the order
 * (a subscription's own checkout completing — its invoice.paid says "active" —, a subscription update that
 * is only a renewal or a status the invoice events report, or events we do not track).
 */
import type { SubscriptionChange } from './afterSaleFacts';

export type OrderStatus =
	| 'paid'
	| 'failed'
	| 'expired'
	| 'active'
	| 'past_due'
	| 'cancelled'
	| 'refunded'
	| 'partially_refunded'
	| 'subscription_updated';

export const ORDER_STATUSES: readonly OrderStatus[] = [
	'paid',
	'failed',
	'expired',
	'active',
	'past_due',
	'cancelled',
	'refunded',
	'partially_refunded',
	'subscription_updated',
];

export interface OrderStatusFacts {
	type: string;
	paid: boolean;
	subscriptionId: string | null;
	/** charge.refunded: the whole charge is refunded (else part of it). */
	fullyRefunded?: boolean | null;
	/** customer.subscription.updated: the change its subscriber made, if any (afterSaleFacts.ts). */
	subscriptionChange?: SubscriptionChange | null;
}

export function orderStatusOf(event: OrderStatusFacts): OrderStatus | null {
	switch (event.type) {
		case 'checkout.session.completed':
		case 'checkout.session.async_payment_succeeded':
			// A subscription's first payment is reported by invoice.paid, with the period it pays for.
			return event.paid && event.subscriptionId === null ? 'paid' : null;
		case 'checkout.session.async_payment_failed':
			return 'failed';
		case 'checkout.session.expired':
			return 'expired';
		case 'invoice.paid':
			return 'active';
		case 'invoice.payment_failed':
			return 'past_due';
		case 'customer.subscription.deleted':
			return 'cancelled';
		case 'customer.subscription.updated':
			return event.subscriptionChange ? 'subscription_updated' : null;
		case 'charge.refunded':
			return event.fullyRefunded === false ? 'partially_refunded' : 'refunded';
		default:
			return null;
	}
}

/**
 * What the customer is to be told for this event, as a key that is the same for every delivery of the event
 * and different for each new thing to tell: the status for a state change, the refunded total for a partial
 * refund (a second partial refund is news again), the change and its subject for a subscription update.
 * A workflow remembers the key it last told a customer about (the template's `repliedNotice`), so a
 * redelivery tells nothing twice. null: nothing to tell.
 */
export function noticeKeyOf(
	status: OrderStatus | null,
	facts: { amountRefunded?: number | null; subscriptionChange?: SubscriptionChange | null; cancelAt?: string | null; plan?: { priceId: string | null } | null },
): string | null {
	if (status === null) return null;
	if (status === 'partially_refunded') return `partially_refunded:${facts.amountRefunded ?? ''}`;
	if (status === 'subscription_updated') {
		const subject = facts.subscriptionChange === 'plan_changed' ? facts.plan?.priceId : facts.cancelAt;
		return `subscription_updated:${facts.subscriptionChange ?? ''}:${subject ?? ''}`;
	}
	return status;
}
