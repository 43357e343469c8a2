'use strict';
/**
 * Section 3: Create Stripe Checkout, request building only (no Stripe call): validating the node's
 * parameters, line items, metadata with the chat reference, expiry and the derived idempotency key.
 */
const { measure, printTable } = require('./harness');
const { dist } = require('./paths');
const fx = require('./fixtures');

const { buildCheckoutSession } = dist('stripe/checkout/request.js');
const { lookupKeysOf } = dist('stripe/checkout/lineItems/lookupKey.js');
const { deriveIdempotencyKey } = dist('stripe/checkout/idempotency.js');
const { toMinorUnits, formatMinorUnits, normaliseCurrency } = dist('stripe/amounts.js');

const AMOUNTS = [19.99, '4.50', 229, 0.1 + 0.2, '12.00', 7.35, 149, '0.99', 39.9, 1.1];

function lookupKeyItems(count) {
	return Array.from({ length: count }, (_, i) => ({ lookupKey: `sku_${String(i).padStart(3, '0')}_deluxe`, quantity: 1 + (i % 3) }));
}

function pricesFor(items) {
	return new Map(
		items.map((item, i) => [
			item.lookupKey,
			{ id: `price_1QbENCHbench${String(i).padStart(10, '0')}`, lookupKey: item.lookupKey, currency: 'eur', unitAmount: 1999 + i * 100, recurring: null, productName: `Product ${i}`, productActive: true },
		]),
	);
}

function inlineItems(count) {
	return Array.from({ length: count }, (_, i) => ({
		name: `Deluxe item ${i + 1}`,
		description: 'Picked from the chat',
		imageUrl: `https://shop.example.com/img/${i + 1}.jpg`,
		unitAmount: AMOUNTS[i % AMOUNTS.length],
		currency: 'EUR',
		quantity: 1 + (i % 3),
	}));
}

/** The parameters readCheckoutInput() hands the builder, for a typical chat order. */
function input(source, items) {
	return {
		mode: 'payment',
		lineItemSource: source,
		...(source === 'lookupKey' ? { lookupKeyItems: items } : { inlineItems: items }),
		successUrl: 'https://shop.example.com/thanks?session_id={CHECKOUT_SESSION_ID}',
		cancelUrl: 'https://shop.example.com/cancel',
		customerEmail: 'customer@example.com',
		clientReferenceId: 'ORD-2025-000123',
		metadata: [{ key: 'order_id', value: 'ORD-2025-000123' }],
		expiresInMinutes: 60,
		allowPromotionCodes: false,
		collectPhoneNumber: false,
		locale: 'auto',
		paymentMethodTypes: undefined,
		idempotencyKey: undefined,
	};
}

/** The item a trigger emitted (and an AI step enriched): carries the chat reference and the message id. */
const ITEM = {
	event: 'message',
	channel: 'whatsapp',
	chatRef: { channel: 'whatsapp', accountId: fx.PHONE_NUMBER_ID, userId: '4915112345678' },
	messageId: fx.wamid(42),
	text: 'Hi! I want the Deluxe Suite for June 15-17, 2 adults',
};

function run() {
	const rows = [];
	const checkBuilt = (lines) => (built) => {
		if (built.params.line_items.length !== lines || built.idempotencyKeySource !== 'message' || !built.idempotencyKey.startsWith('cc1-')) {
			throw new Error('fixture: checkout session not built with a message-derived idempotency key');
		}
	};
	for (const count of [1, 20]) {
		const items = lookupKeyItems(count);
		const params = input('lookupKey', items);
		const prices = pricesFor(items);
		rows.push(
			measure(`lookup keys, ${count} item${count > 1 ? 's' : ''}: build params + idempotency key`, (i) => {
				// As the node does per item: which lookup keys still need a Stripe call, then build.
				const missing = lookupKeysOf(params).filter((key) => !prices.has(key));
				if (missing.length > 0) throw new Error('fixture: price missing');
				return buildCheckoutSession(params, ITEM, { nowMs: Date.now(), pricesByLookupKey: prices, executionId: '4711', itemIndex: i & 7 });
			}, { iterations: count === 1 ? 20_000 : 5000, check: checkBuilt(count) }),
		);
	}
	for (const count of [1, 20]) {
		const params = input('inline', inlineItems(count));
		rows.push(
			measure(`inline prices, ${count} item${count > 1 ? 's' : ''}: build params + idempotency key`, (i) =>
				buildCheckoutSession(params, ITEM, { nowMs: Date.now(), executionId: '4711', itemIndex: i & 7 }), {
				iterations: count === 1 ? 20_000 : 5000, check: checkBuilt(count),
			}),
		);
	}
	const built20 = buildCheckoutSession(input('inline', inlineItems(20)), ITEM, { nowMs: Date.now(), itemIndex: 0 });
	rows.push(
		measure('deriveIdempotencyKey alone, 20-item params', () => deriveIdempotencyKey(built20.params, `message:whatsapp:${ITEM.messageId}`, 1), {
			iterations: 10_000,
		}),
	);
	rows.push(
		measure('amounts: currency + toMinorUnits + formatMinorUnits, 10 amounts', () => {
			let text = '';
			for (const amount of AMOUNTS) text = formatMinorUnits(toMinorUnits(amount, normaliseCurrency('EUR')), 'eur');
			return text;
		}, { iterations: 20_000 }),
	);
	printTable('3. Create Stripe Checkout: request building (no Stripe call)', rows);
}

module.exports = { run };
