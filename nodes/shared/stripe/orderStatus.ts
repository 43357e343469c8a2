/**
 * What a Stripe event means for the chat order it belongs to: the state an order row moves to, so a workflow
 * routes on one field instead of restating Stripe's event semantics. null: nothing changes for the order
 * (a subscription's own checkout completing — its invoice.paid says "active" — or events we do not track).
 */
export type OrderStatus = 'paid' | 'failed' | 'expired' | 'active' | 'past_due' | 'cancelled';

export const ORDER_STATUSES: readonly OrderStatus[] = ['paid', 'failed', 'expired', 'active', 'past_due', 'cancelled'];

export function orderStatusOf(event: { type: string; paid: boolean; subscriptionId: string | null }): OrderStatus | null {
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
		default:
			return null;
	}
}
