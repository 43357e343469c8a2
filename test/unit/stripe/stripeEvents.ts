/**
 * Stripe-shaped event bodies for the webhook and normalisation tests, as Stripe sends them (pretty-printed
 * JSON, the endpoint's API version). Card details appear where Stripe puts them, so tests can check they
 * stay out of the normalised fields.
 */
import Stripe from 'stripe';

export const CHAT_METADATA = {
	chat_channel: 'instagram',
	chat_account_id: '17841400000000001',
	chat_user_id: '6543210987654321',
	chat_message_id: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAw',
};

export const CHAT_REF = { channel: 'instagram', accountId: '17841400000000001', userId: '6543210987654321' };

export const CREATED = 1_800_000_000;

let eventCounter = 0;

export function stripeEvent(type: string, object: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
	eventCounter += 1;
	return {
		id: `evt_1Test${String(eventCounter).padStart(8, '0')}`,
		object: 'event',
		api_version: '2026-10-28.endive',
		created: CREATED,
		data: { object },
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: null },
		type,
		...overrides,
	};
}

/** The exact bytes Stripe would send. */
export function rawBodyOf(event: unknown): string {
	return JSON.stringify(event, null, 2);
}

export function signatureHeader(payload: string, secret: string, timestamp?: number): string {
	return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp !== undefined && { timestamp }) });
}

export function checkoutSession(overrides: Record<string, unknown> = {}) {
	return {
		id: 'cs_test_b1Paid',
		object: 'checkout.session',
		amount_subtotal: 3998,
		amount_total: 3998,
		client_reference_id: 'cart-42',
		currency: 'eur',
		customer: 'cus_Test123',
		customer_details: {
			address: { city: 'Lisboa', country: 'PT', line1: 'Rua A 1', postal_code: '1000-001' },
			email: 'ana@example.com',
			name: 'Ana Silva',
			phone: '+351910000000',
		},
		customer_email: null,
		expires_at: CREATED + 3600,
		invoice: null,
		livemode: false,
		metadata: { ...CHAT_METADATA, campaign: 'summer' },
		mode: 'payment',
		payment_intent: 'pi_3Test456',
		payment_status: 'paid',
		status: 'complete',
		subscription: null,
		url: null,
		...overrides,
	};
}

export function invoice(overrides: Record<string, unknown> = {}) {
	return {
		id: 'in_1Test789',
		object: 'invoice',
		amount_due: 1999,
		amount_paid: 1999,
		currency: 'usd',
		customer: 'cus_Test123',
		customer_email: 'ana@example.com',
		lines: {
			object: 'list',
			data: [
				{
					id: 'il_1Test',
					object: 'line_item',
					amount: 1999,
					currency: 'usd',
					description: '1 × Coffee club (at $19.99 / month)',
					metadata: {},
					period: { start: CREATED, end: CREATED + 30 * 86400 },
					parent: {
						type: 'subscription_item_details',
						subscription_item_details: { subscription: 'sub_1Test', subscription_item: 'si_1Test' },
					},
				},
			],
			has_more: false,
		},
		metadata: {},
		parent: {
			type: 'subscription_details',
			quote_details: null,
			subscription_details: { metadata: { ...CHAT_METADATA }, subscription: 'sub_1Test' },
		},
		period_end: CREATED,
		period_start: CREATED,
		status: 'paid',
		total: 1999,
		...overrides,
	};
}

export function subscription(overrides: Record<string, unknown> = {}) {
	return {
		id: 'sub_1Test',
		object: 'subscription',
		cancel_at_period_end: false,
		canceled_at: CREATED,
		currency: 'usd',
		customer: 'cus_Test123',
		ended_at: CREATED,
		items: {
			object: 'list',
			data: [
				{
					id: 'si_1Test',
					object: 'subscription_item',
					current_period_start: CREATED - 30 * 86400,
					current_period_end: CREATED,
					price: { id: 'price_1Club', object: 'price', unit_amount: 1999, currency: 'usd' },
					quantity: 1,
				},
			],
		},
		latest_invoice: 'in_1Test789',
		metadata: { ...CHAT_METADATA },
		status: 'canceled',
		...overrides,
	};
}

export function refundedCharge(overrides: Record<string, unknown> = {}) {
	return {
		id: 'ch_3Test456',
		object: 'charge',
		amount: 3998,
		amount_captured: 3998,
		amount_refunded: 3998,
		billing_details: {
			address: { city: 'Lisboa', country: 'PT', line1: 'Rua A 1', postal_code: '1000-001' },
			email: 'ana@example.com',
			name: 'Ana Silva',
			phone: null,
		},
		currency: 'eur',
		customer: 'cus_Test123',
		metadata: { ...CHAT_METADATA },
		paid: true,
		payment_intent: 'pi_3Test456',
		payment_method: 'pm_1Test',
		payment_method_details: {
			card: {
				brand: 'visa',
				checks: { address_line1_check: 'pass', cvc_check: 'pass' },
				country: 'US',
				exp_month: 12,
				exp_year: 2030,
				fingerprint: 'Xt5EWLLDS7FJjR1c',
				funding: 'credit',
				last4: '4242',
			},
			type: 'card',
		},
		receipt_email: null,
		refunded: true,
		status: 'succeeded',
		...overrides,
	};
}
