import type Stripe from 'stripe';

import { canonicalJson } from '../../../nodes/shared/stripe/checkout/idempotency';
import { fetchPricesByLookupKey, lookupKeysOf } from '../../../nodes/shared/stripe/checkout/lineItems';
import type { PriceLister } from '../../../nodes/shared/stripe/checkout/lineItems';
import { buildCheckoutSession } from '../../../nodes/shared/stripe/checkout/request';
import type { CheckoutInput, ResolvedPrice } from '../../../nodes/shared/stripe/checkout/types';
import { CheckoutInputError } from '../../../nodes/shared/stripe/inputError';
import { thrownBy } from '../../support/thrown';
import { startUnitStripe } from '../../support/unitStripe';

const chatJson = {
	chatRef: { channel: 'whatsapp', accountId: '109876543210', userId: '15551234567' },
	messageId: 'wamid.ABC',
};
const context = { nowMs: 1_800_000_000_000, itemIndex: 0, executionId: 'exec-1' };

function inputWith(overrides: Partial<CheckoutInput>): CheckoutInput {
	return {
		mode: 'payment',
		lineItemSource: 'price',
		priceItems: [{ priceId: 'price_1', quantity: 1 }],
		successUrl: 'https://shop.test/ok?sid={CHECKOUT_SESSION_ID}',
		...overrides,
	};
}

const problem = (run: () => unknown): string => thrownBy(CheckoutInputError, run).message;

const price = (overrides: Partial<ResolvedPrice> = {}): ResolvedPrice => ({
	id: 'price_1',
	lookupKey: 'latte',
	currency: 'usd',
	unitAmount: 450,
	recurring: null,
	productName: 'Latte',
	productActive: true,
	...overrides,
});

describe('metadata', () => {
	const entries = (count: number) => Array.from({ length: count }, (_, index) => ({ key: `k${index}`, value: 'v' }));

	it('counts the chat reference keys against Stripe\'s 50', () => {
		expect(() => buildCheckoutSession(inputWith({ metadata: entries(46) }), chatJson, context)).not.toThrow();
		expect(problem(() => buildCheckoutSession(inputWith({ metadata: entries(47) }), chatJson, context))).toMatch(
			/51 keys including the chat reference; Stripe allows 50/,
		);
	});

	it('rejects over-long keys and values, and bracketed keys', () => {
		expect(problem(() => buildCheckoutSession(inputWith({ metadata: [{ key: 'k'.repeat(41), value: 'v' }] }), {}, context))).toMatch(
			/41 characters; Stripe allows 40/,
		);
		expect(problem(() => buildCheckoutSession(inputWith({ metadata: [{ key: 'note', value: 'v'.repeat(501) }] }), {}, context))).toMatch(
			/501 characters; Stripe allows 500/,
		);
		expect(problem(() => buildCheckoutSession(inputWith({ metadata: [{ key: 'a[b]', value: 'v' }] }), {}, context))).toMatch(
			/square brackets/,
		);
	});

	it('refuses operator metadata that contradicts the chat reference, accepts a repeat of it', () => {
		expect(
			problem(() => buildCheckoutSession(inputWith({ metadata: [{ key: 'chat_user_id', value: 'someone-else' }] }), chatJson, context)),
		).toMatch(/"chat_user_id" is set from the item's chat reference/);
		const built = buildCheckoutSession(inputWith({ metadata: [{ key: 'chat_user_id', value: '15551234567' }] }), chatJson, context);
		expect(built.params.metadata?.chat_user_id).toBe('15551234567');
	});

	it('sends no metadata at all for an item without a chat reference and no entries', () => {
		const { params } = buildCheckoutSession(inputWith({}), {}, context);
		expect(params.metadata).toBeUndefined();
		expect(params.payment_intent_data).toBeUndefined();
	});
});

describe('line items', () => {
	it('validates JSON line items in Stripe\'s shape', () => {
		const json = (items: unknown) => () =>
			buildCheckoutSession(inputWith({ lineItemSource: 'json', lineItemsJson: items }), {}, context);
		expect(problem(json('[{"price": "price_1"'))).toMatch(/^Line Items \(JSON\): is not valid JSON/);
		expect(problem(json({ price: 'price_1' }))).toMatch(/must be a JSON array/);
		expect(problem(json([]))).toMatch(/add at least one line item/);
		expect(problem(json([{ price: 'price_1', quantity: 1, amount: 5 }]))).toMatch(/item 1: unknown field "amount"/);
		expect(problem(json([{ quantity: 1 }]))).toMatch(/exactly one of "price"/);
		expect(problem(json([{ price: 'price_1' }]))).toMatch(/item 1\.quantity/);
		expect(
			problem(json([{ price_data: { currency: 'usd', unit_amount: 19.99, product_data: { name: 'x' } }, quantity: 1 }])),
		).toMatch(/unit_amount: 19\.99 is not a whole number of minor units/);
		expect(
			problem(json([{ price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'x' }, recurring: { interval: 'month' } }, quantity: 1 }])),
		).toMatch(/recurring prices need Mode set to Subscription/);
		expect(
			problem(json([{ price_data: { currency: 'kwd', unit_amount: 1235, product: 'prod_1' }, quantity: 1 }])),
		).toMatch(/last of the three minor digits to be 0/);
	});

	it('refuses mixed currencies in one session', () => {
		const items = [
			{ name: 'A', unitAmount: 1, currency: 'usd', quantity: 1 },
			{ name: 'B', unitAmount: 1, currency: 'eur', quantity: 1 },
		];
		expect(problem(() => buildCheckoutSession(inputWith({ lineItemSource: 'inline', inlineItems: items }), {}, context))).toMatch(
			/item 1 is USD and item 2 is EUR/,
		);
	});

	it('checks lookup-key prices against the mode and the product', () => {
		const lookup = (mode: string, resolved: ResolvedPrice) => () =>
			buildCheckoutSession(
				inputWith({ mode, lineItemSource: 'lookupKey', lookupKeyItems: [{ lookupKey: 'latte', quantity: 1 }] }),
				{},
				{ ...context, pricesByLookupKey: new Map([['latte', resolved]]) },
			);
		expect(problem(lookup('payment', price({ recurring: { interval: 'month', intervalCount: 1 } })))).toMatch(/is recurring; set Mode to Subscription/);
		expect(problem(lookup('subscription', price()))).toMatch(/Subscription mode needs at least one recurring price/);
		expect(problem(lookup('payment', price({ productActive: false })))).toMatch(/archived product/);
	});

	it('points out a product ID given as a price ID', () => {
		expect(problem(() => buildCheckoutSession(inputWith({ priceItems: [{ priceId: 'prod_123', quantity: 1 }] }), {}, context))).toMatch(
			/is a product ID/,
		);
	});

	it('deduplicates lookup keys and resolves them in batches of 10', async () => {
		const keys = Array.from({ length: 12 }, (_, index) => `key_${index}`);
		expect(
			lookupKeysOf({ lineItemSource: 'lookupKey', lookupKeyItems: [...keys, 'key_0'].map((lookupKey) => ({ lookupKey, quantity: 1 })) }),
		).toEqual(keys);
		// Stripe's catalogue has a price for every key but the last.
		const stripe = await startUnitStripe(
			keys.slice(0, 11).map((lookupKey, index) => ({
				id: `price_${lookupKey.replace('_', '')}`,
				lookup_key: lookupKey,
				unit_amount: 1990 + index,
				currency: 'usd',
				product_name: `Latte ${index}`,
			})),
		);
		try {
			const calls: Stripe.PriceListParams[] = [];
			const lister: PriceLister = {
				list: async (params) => {
					calls.push(params);
					return await stripe.setup.prices.list(params);
				},
			};
			const found = await fetchPricesByLookupKey(lister, keys);
			expect(calls.map((call) => call.lookup_keys?.length)).toEqual([10, 2]);
			expect(calls[0]).toMatchObject({ active: true, expand: ['data.product'] });
			expect(found.size).toBe(11);
			expect(found.has('key_11')).toBe(false);
			expect(found.get('key_3')).toMatchObject({ id: 'price_key3', unitAmount: 1993, productName: 'Latte 3', productActive: true });
		} finally {
			await stripe.stop();
		}
	});
});

describe('options', () => {
	it('keeps expiry within 30–1440 minutes', () => {
		for (const minutes of [29, 1441, 45.5, 'soon']) {
			expect(problem(() => buildCheckoutSession(inputWith({ expiresInMinutes: minutes }), {}, context))).toMatch(
				/^Options → Expires After \(Minutes\): .* from 30 to 1440/,
			);
		}
		const latest = buildCheckoutSession(inputWith({ expiresInMinutes: 1440 }), {}, context);
		expect(latest.params.expires_at! - context.nowMs / 1000).toBeLessThanOrEqual(24 * 3600 - 120);
	});

	it('validates URLs, email and the idempotency key length, naming the field', () => {
		expect(problem(() => buildCheckoutSession(inputWith({ successUrl: '/thanks' }), {}, context))).toMatch(/^Success URL: .* absolute URL/);
		expect(problem(() => buildCheckoutSession(inputWith({ successUrl: '' }), {}, context))).toMatch(/^Success URL: is required/);
		expect(problem(() => buildCheckoutSession(inputWith({ cancelUrl: 'ftp://x' }), {}, context))).toMatch(/^Cancel URL: .* https/);
		expect(problem(() => buildCheckoutSession(inputWith({ customerEmail: 'ana' }), {}, context))).toMatch(/^Options → Customer Email/);
		expect(problem(() => buildCheckoutSession(inputWith({ idempotencyKey: 'k'.repeat(256) }), {}, context))).toMatch(
			/^Options → Idempotency Key: is 256 characters long; Stripe allows 255/,
		);
	});

	it('sends no idempotency key when there is neither a message id nor an execution id', () => {
		const built = buildCheckoutSession(inputWith({}), {}, { nowMs: context.nowMs, itemIndex: 0 });
		expect(built.idempotencyKey).toBeUndefined();
		expect(built.idempotencyKeySource).toBe('none');
		expect(buildCheckoutSession(inputWith({}), chatJson, context).idempotencyKeySource).toBe('message');
		expect(buildCheckoutSession(inputWith({}), {}, context).idempotencyKeySource).toBe('execution');
	});

	it('hashes requests canonically (key order does not matter, values do)', () => {
		expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
		expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
	});
});

describe('expiry and redelivered chat messages', () => {
	const messageTime = context.nowMs - 5 * 60_000;
	const fromChat = { ...chatJson, timestamp: new Date(messageTime).toISOString() };
	const build = (nowMs: number, json: Record<string, unknown> = fromChat) =>
		buildCheckoutSession(inputWith({ expiresInMinutes: 120 }), json, { ...context, nowMs });

	it('counts expiry from the message time, so a redelivery 40 minutes later sends the same key and expires_at', () => {
		const first = build(context.nowMs);
		const redelivered = build(context.nowMs + 40 * 60_000);
		expect(first.params.expires_at).toBe(Math.floor(messageTime / 1000) + 120 * 60);
		expect(redelivered.params.expires_at).toBe(first.params.expires_at);
		expect(redelivered.idempotencyKey).toBe(first.idempotencyKey);
	});

	it('falls back to the current window (and a new key) once too little of the link\'s life would remain', () => {
		const first = build(context.nowMs);
		const late = build(context.nowMs + 100 * 60_000);
		expect(late.params.expires_at! - (context.nowMs + 100 * 60_000) / 1000).toBeGreaterThanOrEqual(115 * 60);
		expect(late.idempotencyKey).not.toBe(first.idempotencyKey);
	});

	it('without a message time, anchors to the 5-minute window', () => {
		const noTime = { ...chatJson };
		const a = build(context.nowMs, noTime);
		const b = build(context.nowMs + 60_000, noTime);
		expect(b.params.expires_at).toBe(a.params.expires_at);
		expect(b.idempotencyKey).toBe(a.idempotencyKey);
	});
});
