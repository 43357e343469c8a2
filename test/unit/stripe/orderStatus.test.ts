import { noticeKeyOf, orderStatusOf } from '../../../nodes/shared/stripe/orderStatus';

describe('orderStatusOf: what a Stripe event means for the chat order', () => {
	const cases: Array<[string, boolean, string | null, string | null]> = [
		// type, paid, subscriptionId, expected
		['checkout.session.completed', true, null, 'paid'],
		['checkout.session.completed', false, null, null], // a delayed method: not paid yet
		['checkout.session.completed', true, 'sub_1', null], // a subscription: invoice.paid reports it, with its period
		['checkout.session.async_payment_succeeded', true, null, 'paid'],
		['checkout.session.async_payment_failed', false, null, 'failed'],
		['checkout.session.expired', false, null, 'expired'],
		['invoice.paid', true, 'sub_1', 'active'],
		['invoice.payment_failed', false, 'sub_1', 'past_due'],
		['customer.subscription.deleted', false, 'sub_1', 'cancelled'],
		['customer.created', false, null, null],
	];
	it.each(cases)('%s (paid %s, subscription %s) → %s', (type, paid, subscriptionId, expected) => {
		expect(orderStatusOf({ type, paid, subscriptionId })).toBe(expected);
	});

	it('charge.refunded: refunded when the whole charge is, partially_refunded otherwise', () => {
		expect(orderStatusOf({ type: 'charge.refunded', paid: false, subscriptionId: null, fullyRefunded: true })).toBe('refunded');
		expect(orderStatusOf({ type: 'charge.refunded', paid: false, subscriptionId: null, fullyRefunded: false })).toBe('partially_refunded');
	});

	it('customer.subscription.updated: only a change the subscriber made moves the row; a renewal or a status change does not', () => {
		for (const change of ['cancellation_scheduled', 'cancellation_withdrawn', 'plan_changed'] as const) {
			expect(orderStatusOf({ type: 'customer.subscription.updated', paid: false, subscriptionId: 'sub_1', subscriptionChange: change })).toBe('subscription_updated');
		}
		expect(orderStatusOf({ type: 'customer.subscription.updated', paid: false, subscriptionId: 'sub_1', subscriptionChange: null })).toBeNull();
		expect(orderStatusOf({ type: 'customer.subscription.updated', paid: false, subscriptionId: 'sub_1' })).toBeNull();
	});
});

describe('noticeKeyOf: one key per thing to tell the customer', () => {
	it('is the status for state changes and nothing for no change', () => {
		expect(noticeKeyOf('paid', {})).toBe('paid');
		expect(noticeKeyOf('refunded', { amountRefunded: 3998 })).toBe('refunded');
		expect(noticeKeyOf(null, {})).toBeNull();
	});

	it('tells each partial refund (the refunded total differs) and each subscription change apart', () => {
		expect(noticeKeyOf('partially_refunded', { amountRefunded: 1000 })).toBe('partially_refunded:1000');
		expect(noticeKeyOf('partially_refunded', { amountRefunded: 2500 })).not.toBe(noticeKeyOf('partially_refunded', { amountRefunded: 1000 }));
		const ending = noticeKeyOf('subscription_updated', { subscriptionChange: 'cancellation_scheduled', cancelAt: '2027-01-28T00:00:00.000Z' });
		expect(ending).toBe('subscription_updated:cancellation_scheduled:2027-01-28T00:00:00.000Z');
		expect(noticeKeyOf('subscription_updated', { subscriptionChange: 'cancellation_withdrawn', cancelAt: null })).toBe('subscription_updated:cancellation_withdrawn:');
		expect(noticeKeyOf('subscription_updated', { subscriptionChange: 'plan_changed', plan: { priceId: 'price_yearly' } })).toBe('subscription_updated:plan_changed:price_yearly');
	});
});
