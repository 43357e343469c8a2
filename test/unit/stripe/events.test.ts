import type Stripe from 'stripe';

import { normaliseStripeEvent } from '../../../nodes/shared/stripe/events';
import { CHAT_METADATA, CHAT_REF, CREATED, invoice, refundedCharge, stripeEvent, subscription } from './stripeEvents';

const asEvent = (event: unknown) => event as Stripe.Event;

describe('normaliseStripeEvent: API-version differences', () => {
	it('reads an invoice in the pre-2025 shape (subscription and subscription_details at the top)', () => {
		const legacy = invoice({
			parent: undefined,
			subscription: 'sub_Legacy',
			subscription_details: { metadata: { ...CHAT_METADATA } },
			payment_intent: 'pi_Legacy',
		});
		const json = normaliseStripeEvent(asEvent(stripeEvent('invoice.paid', legacy)));
		expect(json).toMatchObject({ subscriptionId: 'sub_Legacy', paymentIntentId: 'pi_Legacy', chatRef: CHAT_REF, paid: true });
	});

	it('falls back to line metadata, and lets the invoice\'s own metadata win when merging', () => {
		const fromLines = invoice({
			parent: { type: 'subscription_details', subscription_details: { metadata: {}, subscription: 'sub_1Test' } },
			metadata: { campaign: 'winter', chat_channel: 'instagram' },
			lines: { object: 'list', data: [{ id: 'il_1', object: 'line_item', metadata: { ...CHAT_METADATA, campaign: 'summer' } }] },
		});
		const json = normaliseStripeEvent(asEvent(stripeEvent('invoice.payment_failed', fromLines)));
		expect(json.chatRef).toEqual(CHAT_REF);
		expect(json.metadata).toMatchObject({ campaign: 'winter', chat_user_id: CHAT_METADATA.chat_user_id });
		expect(json.paid).toBe(false);
		expect(json.periodEnd).toBe(new Date(CREATED * 1000).toISOString()); // no line period: the invoice's
	});

	it('reads a subscription\'s current_period_end at the top level (older API versions)', () => {
		const json = normaliseStripeEvent(
			asEvent(stripeEvent('customer.subscription.updated', subscription({ current_period_end: CREATED + 99, items: { data: [] } }))),
		);
		expect(json.periodEnd).toBe(new Date((CREATED + 99) * 1000).toISOString());
	});

	it('takes IDs from expanded objects and leaves their other fields out', () => {
		const json = normaliseStripeEvent(
			asEvent(
				stripeEvent('customer.subscription.created', subscription({ customer: { id: 'cus_Expanded', object: 'customer', email: 'x@example.com' } })),
			),
		);
		expect(json.customerId).toBe('cus_Expanded');
		expect(json.customerEmail).toBeNull();
	});

	it('gives null chat reference (not a broken one) when the metadata lacks part of it', () => {
		const json = normaliseStripeEvent(
			asEvent(stripeEvent('customer.subscription.deleted', subscription({ metadata: { chat_channel: 'whatsapp', chat_user_id: '1' } }))),
		);
		expect(json.chatRef).toBeNull();
		expect(json.messageId).toBeNull();
	});

	it('is not paid for events outside the three money-in events, even with a paid status', () => {
		const json = normaliseStripeEvent(asEvent(stripeEvent('invoice.payment_succeeded', invoice())));
		expect(json.paid).toBe(false);
	});

	it('omits raw on request', () => {
		expect(normaliseStripeEvent(asEvent(stripeEvent('invoice.paid', invoice())), { includeRaw: false })).not.toHaveProperty('raw');
	});
});

describe('normaliseStripeEvent: no card data', () => {
	it('keeps IDs but strips brand, last4, expiry and fingerprint from the raw event', () => {
		const charge = refundedCharge({
			payment_method: 'pm_1Card',
			payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, fingerprint: 'Xt5EWLLDS7FJjR1c' } },
			source: null,
		});
		const json = normaliseStripeEvent(asEvent(stripeEvent('charge.refunded', charge)));
		const raw = JSON.stringify(json);
		expect(raw).not.toMatch(/4242|Xt5EWLLDS7FJjR1c|visa|exp_month/);
		expect(raw).toContain('pm_1Card');
		expect((json.raw as unknown as { data: { object: { id: string } } }).data.object.id).toBe(charge.id);
	});
});
