/**
 * Read Chat Order with a WhatsApp catalog cart (the trigger's `type: 'order'` item) inside n8n-core's real
 * ExecuteContext. A chat model is connected, as in the template, and fails the test if it is ever asked:
 * a cart is read without it. Prices come from the catalog only; a cart is charged whole or not at all.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ReadChatOrder } from '../../../nodes/ReadChatOrder/ReadChatOrder.node';
import { chatModelNode } from '../../support/chatModelNode';
import { executeNodeWithRun } from '../../support/n8n';

const CATALOG = [
	{ id: 1, key: 'deluxe-room', name: 'Grand Hotel Deluxe Room', kind: 'per_night', unitAmount: 199, currency: 'USD', maxPerOrder: 5, maxNights: 14 },
	{ id: 2, key: 'pro-monthly', name: 'Pro plan (monthly)', kind: 'subscription', unitAmount: 29, currency: 'usd', interval: 'month', maxPerOrder: 20 },
	{ id: 3, key: 'pro-yearly', name: 'Pro plan (yearly)', kind: 'subscription', unitAmount: 290, currency: 'usd', interval: 'year', maxPerOrder: 20 },
	{ id: 4, key: 'welcome-basket', name: 'Welcome basket', kind: 'one_off', unitAmount: 25.5, currency: 'EUR', maxPerOrder: 3 },
	{ id: 5, key: 'coffee-mug', name: 'Coffee mug', kind: 'one_off', unitAmount: 12, currency: 'EUR', retailerId: 'SKU-MUG', description: 'Stoneware, 300 ml' },
	{ id: 6, key: 'tote-bag', name: 'Tote bag', kind: 'one_off', unitAmount: 9.99, currency: 'USD' },
];

const CHAT_REF = { channel: 'whatsapp', accountId: '100000000000001', userId: '4915112345678' };

let modelCalls = 0;
const refusingModel = chatModelNode(async () => {
	modelCalls += 1;
	throw new Error('the model must not be asked about a cart');
}, 'refusingChatModel');

beforeEach(() => {
	modelCalls = 0;
});

type CartLine = { retailerId: string; quantity: unknown; itemPrice?: unknown; currency?: string };

interface Turn {
	items: CartLine[];
	note?: string;
	type?: string;
	pending?: string;
	openSessionId?: string;
	openCheckoutUrl?: string;
	options?: IDataObject;
	catalog?: IDataObject[];
}

function turnItem(turn: Turn): INodeExecutionData {
	const order = { catalogId: '1023456789012345', text: turn.note ?? '', items: turn.items.map((i) => ({ itemPrice: 0.01, currency: 'EUR', ...i })) };
	return {
		json: {
			message: { type: turn.type ?? 'order', text: turn.note ?? '', chatRef: CHAT_REF, messageId: 'wamid.CART', reply: null, order },
			pending: turn.pending ?? '',
			sessionId: turn.openSessionId ?? '',
			checkoutUrl: turn.openCheckoutUrl ?? '',
		},
	};
}

async function read(turn: Turn) {
	const item = turnItem(turn);
	const run = await executeNodeWithRun({
		nodeType: new ReadChatOrder(),
		parameters: {
			message: '={{ $json.message }}',
			pendingOrder: '={{ $json.pending }}',
			openSessionId: '={{ $json.sessionId }}',
			openCheckoutUrl: '={{ $json.checkoutUrl }}',
			options: { timeZone: 'UTC', ...(turn.options ?? {}) },
		},
		items: [item],
		inputs: [[item], (turn.catalog ?? CATALOG).map((json) => ({ json }))],
		subNodes: [{ name: 'Chat model', nodeType: refusingModel, connectionType: NodeConnectionTypes.AiLanguageModel }],
		mode: 'webhook',
	});
	const [checkout, reply, cancel] = run.output;
	const all = Object.entries({ checkout, reply, cancel }).filter(([, items]) => items.length > 0);
	expect(all).toHaveLength(1);
	expect(modelCalls).toBe(0);
	const [output, [only]] = all[0];
	return { output, json: only.json, pairedItem: only.pairedItem, metadata: run.runExecutionData.resultData.metadata };
}

describe('Read Chat Order: a WhatsApp catalog cart', () => {
	it('two products → one checkout with a Stripe line each, priced from the catalog (never the message), no model call', async () => {
		const { output, json, pairedItem, metadata } = await read({
			items: [
				{ retailerId: 'welcome-basket', quantity: 2 },
				{ retailerId: 'SKU-MUG', quantity: 1 },
			],
		});
		expect(output).toBe('checkout');
		expect(pairedItem).toEqual({ item: 0, input: 0 });
		const order = json.order as IDataObject;
		expect(order).toMatchObject({
			productKey: 'welcome-basket, coffee-mug',
			productName: 'Welcome basket, Coffee mug',
			kind: 'one_off',
			units: 3,
			nights: null,
			stripeQuantity: 3,
			unitAmountMinor: null,
			totalMinor: 6300,
			currency: 'eur',
			total: '63.00 EUR',
			summary: 'Welcome basket × 2; Coffee mug',
			mode: 'payment',
		});
		expect(order.lineItems).toEqual([
			{ quantity: 2, price_data: { currency: 'eur', unit_amount: 2550, product_data: { name: 'Welcome basket × 2' } } },
			{ quantity: 1, price_data: { currency: 'eur', unit_amount: 1200, product_data: { name: 'Coffee mug', description: 'Stoneware, 300 ml' } } },
		]);
		expect(JSON.parse(order.lineItemsJson as string)).toEqual(order.lineItems);
		expect((order.lines as IDataObject[]).map((line) => [line.productKey, line.units, line.unitAmountMinor, line.total])).toEqual([
			['welcome-basket', 2, 2550, '51.00 EUR'],
			['coffee-mug', 1, 1200, '12.00 EUR'],
		]);
		expect(json.reply).toBe('Here is your secure checkout link for Welcome basket × 2; Coffee mug: 63.00 EUR.');
		expect(json).toMatchObject({ outcome: 'checkout', intent: 'order', problems: [], pending: '', replacesSessionId: null, chatRef: CHAT_REF, messageId: 'wamid.CART' });
		expect(metadata).toMatchObject({ channel: 'whatsapp', customer: CHAT_REF.userId, outcome: 'checkout' });
	});

	it('a cart replaces the order being typed and names the open link to expire; the email stays', async () => {
		const pending = JSON.stringify({ productKey: 'deluxe-room', email: 'ada@example.com', updatedAt: new Date().toISOString() });
		const { json } = await read({ items: [{ retailerId: 'welcome-basket', quantity: 1 }], pending, openSessionId: 'cs_test_OPEN', openCheckoutUrl: 'http://127.0.0.1:9/pay/cs_test_OPEN' });
		expect(json.replacesSessionId).toBe('cs_test_OPEN');
		expect(json.reply).toMatch(/^I have updated your order; the previous link no longer works\.\nHere is your secure checkout link for Welcome basket: 25\.50 EUR\.$/);
		expect((json.order as IDataObject).email).toBe('ada@example.com');
		expect(json.pending).toBe('');
		expect(json.sessionId).toBe('');
	});

	it('one subscription line: subscription mode, seats as its quantity, one line exactly as a typed order', async () => {
		const { json } = await read({ items: [{ retailerId: 'pro-monthly', quantity: 3 }] });
		expect(json.order).toMatchObject({ productKey: 'pro-monthly', units: 3, unitAmountMinor: 2900, totalMinor: 8700, total: '87.00 USD', mode: 'subscription', summary: 'Pro plan (monthly), 3 seats, billed every month' });
		expect((json.order as IDataObject).lineItems).toEqual([
			{ quantity: 3, price_data: { currency: 'usd', unit_amount: 2900, product_data: { name: 'Pro plan (monthly), 3 seats' }, recurring: { interval: 'month', interval_count: 1 } } },
		]);
	});

	it('the same product twice in a cart is one line with the quantities added (and held to the limit)', async () => {
		const { json } = await read({ items: [{ retailerId: 'welcome-basket', quantity: 1 }, { retailerId: 'welcome-basket', quantity: 2 }] });
		expect(json.order).toMatchObject({ productKey: 'welcome-basket', units: 3, totalMinor: 7650 });
		const over = await read({ items: [{ retailerId: 'welcome-basket', quantity: 2 }, { retailerId: 'welcome-basket', quantity: 2 }] });
		expect(over.json.problems).toEqual(['quantity-too-high']);
	});

	it('a product whose row has a retailerId is matched by it, not by its key', async () => {
		const { output, json } = await read({ items: [{ retailerId: 'coffee-mug', quantity: 1 }] });
		expect(output).toBe('reply');
		expect(json.reply).toContain('not in our shop: "coffee-mug"');
	});

	it('unknown retailer IDs are named back with the offer, and nothing is charged, not even the known items', async () => {
		const pending = JSON.stringify({ productKey: 'deluxe-room', updatedAt: new Date().toISOString() });
		const { output, json } = await read({
			items: [
				{ retailerId: 'welcome-basket', quantity: 1 },
				{ retailerId: 'SKU-GONE-1', quantity: 1 },
				{ retailerId: 'SKU-GONE-2', quantity: 4 },
			],
			pending,
		});
		expect(output).toBe('reply');
		expect(json.problems).toEqual(['cart-unknown-items']);
		expect(json.order).toBeNull();
		expect(json.reply).toBe(
			'Sorry, these items of your cart are not in our shop: "SKU-GONE-1" and "SKU-GONE-2".\nNothing was charged: please send your cart again.\nWhich would you like? We offer:\n' +
				'• Grand Hotel Deluxe Room: 199.00 USD per night\n• Pro plan (monthly): 29.00 USD per month\n• Pro plan (yearly): 290.00 USD per year\n• Welcome basket: 25.50 EUR\n• Coffee mug: 12.00 EUR\n• Tote bag: 9.99 USD',
		);
		expect(JSON.parse(json.pending as string)).toMatchObject({ productKey: 'deluxe-room' }); // the typed order is kept
	});

	it('quantities are held to the catalog: above maxPerOrder, zero, fractional or not a number are each refused with the product', async () => {
		const { output, json } = await read({
			items: [
				{ retailerId: 'welcome-basket', quantity: 5 },
				{ retailerId: 'SKU-MUG', quantity: 0 },
				{ retailerId: 'tote-bag', quantity: 1.5 },
				{ retailerId: 'pro-monthly', quantity: null },
			],
		});
		expect(output).toBe('reply');
		expect(json.problems).toEqual(['quantity-too-high', 'quantity-invalid', 'quantity-invalid', 'quantity-invalid']);
		expect(json.reply).toBe(
			[
				'We can take at most 3 items of the Welcome basket per order, not 5.',
				'0 is not a number of items I can take.',
				'1.5 is not a number of items I can take.',
				'? is not a number of seats I can take.',
				'Nothing was charged: please send your cart again.',
			].join('\n'),
		);
		expect(json.order).toBeNull();
	});

	it('items that cannot share one checkout are refused out loud: two currencies, one-off with subscription, two intervals', async () => {
		const currencies = await read({ items: [{ retailerId: 'welcome-basket', quantity: 1 }, { retailerId: 'tote-bag', quantity: 1 }] });
		expect(currencies.json.problems).toEqual(['cart-mixed-currencies']);
		expect(currencies.json.reply).toBe('Your cart mixes prices in EUR and USD: please send the items of each currency as a cart of its own.\nNothing was charged: please send your cart again.');
		const modes = await read({ items: [{ retailerId: 'tote-bag', quantity: 1 }, { retailerId: 'pro-monthly', quantity: 1 }] });
		expect(modes.json.problems).toEqual(['cart-mixed-billing']);
		expect(modes.json.reply).toMatch(/^Your cart mixes items billed once and every month: please send them as separate carts\./);
		const intervals = await read({ items: [{ retailerId: 'pro-monthly', quantity: 1 }, { retailerId: 'pro-yearly', quantity: 1 }] });
		expect(intervals.json.problems).toEqual(['cart-mixed-billing']);
		expect(intervals.json.reply).toContain('billed every month and every year');
		for (const refused of [currencies, modes, intervals]) expect(refused.json.order).toBeNull();
	});

	it('a product booked by the night needs dates: the customer is asked to write them instead', async () => {
		const { json } = await read({ items: [{ retailerId: 'deluxe-room', quantity: 1 }] });
		expect(json.problems).toEqual(['cart-needs-dates']);
		expect(json.reply).toBe('The Grand Hotel Deluxe Room is booked by the night: tell us your dates in a message instead.\nNothing was charged: please send your cart again.');
	});

	it('an empty cart gets the offer with product buttons', async () => {
		const { json } = await read({ items: [], catalog: CATALOG.slice(3, 6) });
		expect(json.problems).toEqual(['cart-empty']);
		expect(json.reply).toBe('Your cart is empty.\nNothing was charged: please send your cart again.\nWhich would you like? We offer:\n• Welcome basket: 25.50 EUR\n• Coffee mug: 12.00 EUR\n• Tote bag: 9.99 USD');
		expect(json.buttons).toEqual([
			{ id: 'product:welcome-basket', title: 'Welcome basket' },
			{ id: 'product:coffee-mug', title: 'Coffee mug' },
			{ id: 'product:tote-bag', title: 'Tote bag' },
		]);
	});

	it('a combined quick-message turn that carries a cart (its last message a text) is read as the cart', async () => {
		const { output, json } = await read({ type: 'text', note: 'thanks!', items: [{ retailerId: 'SKU-MUG', quantity: 2 }] });
		expect(output).toBe('checkout');
		expect(json.order).toMatchObject({ productKey: 'coffee-mug', units: 2, total: '24.00 EUR' });
	});

	it('operator reply texts replace the cart\'s built-in ones', async () => {
		const { json } = await read({
			items: [{ retailerId: 'SKU-GONE', quantity: 1 }],
			catalog: CATALOG.slice(4, 5),
			options: { replyTexts: { cartUnknownItems: 'Não temos {named}.', cartNotCharged: 'Nada foi cobrado.', askProduct: 'Temos:\n{offer}' } },
		});
		expect(json.reply).toBe('Não temos "SKU-GONE".\nNada foi cobrado.\nTemos:\n• Coffee mug: 12.00 EUR');
	});

	it('two catalog rows sharing a retailer ID: the first row is used, and the operator is told', async () => {
		const catalog = [...CATALOG.slice(3, 5), { key: 'travel-mug', name: 'Travel mug', kind: 'one_off', unitAmount: 15, currency: 'EUR', retailerId: 'SKU-MUG' }];
		const { json } = await read({ items: [{ retailerId: 'SKU-MUG', quantity: 1 }], catalog });
		expect(json.order).toMatchObject({ productKey: 'coffee-mug', total: '12.00 EUR' });
		expect(json.catalogWarnings).toEqual(['"travel-mug": retailer ID "SKU-MUG" is already another row\'s; carts get the first row']);
	});
});
