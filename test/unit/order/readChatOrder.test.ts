/**
 * Read Chat Order inside n8n-core's real ExecuteContext, with a chat-model sub-node connected through the
 * ai_languageModel connection as n8n's model nodes are. The fake model records what it is asked and answers
 * what each test scripts — including nonsense, prices and products the catalog does not have.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ReadChatOrder } from '../../../nodes/ReadChatOrder/ReadChatOrder.node';
import { addDays, todayIn } from '../../../nodes/shared/order/dates';
import { NO_ORDER_FIELDS } from '../../../nodes/shared/order/orderFields';
import { chatModelNode } from '../../support/chatModelNode';
import { executeNode, executeNodeWithRun } from '../../support/n8n';

const TODAY = todayIn('UTC');
const day = (offset: number) => addDays(TODAY, offset);

const CATALOG = [
	{ id: 1, key: 'deluxe-room', name: 'Grand Hotel Deluxe Room', kind: 'per_night', unitAmount: 199, currency: 'USD', interval: '', maxPerOrder: 5, maxNights: 14 },
	{ id: 2, key: 'saas-pro-monthly', name: 'Pro plan (monthly)', kind: 'subscription', unitAmount: 29, currency: 'usd', interval: 'month', maxPerOrder: 20 },
	{ id: 3, key: 'welcome-basket', name: 'Welcome basket', kind: 'one_off', unitAmount: 25.5, currency: 'EUR', interval: '', maxPerOrder: null },
];

type Answer = string | Record<string, unknown> | Error;

class FakeModel {
	calls: Array<Array<[string, string]>> = [];
	constructor(private readonly answers: Answer[]) {}
	async invoke(messages: Array<[string, string]>) {
		this.calls.push(messages);
		const next = this.answers.shift() ?? {};
		if (next instanceof Error) throw next;
		// LangChain's AIMessage: content is the model's text.
		return { content: typeof next === 'string' ? next : JSON.stringify({ intent: 'order', ...NO_ORDER_FIELDS, ...next }) };
	}
}

const modelNode = (model: FakeModel) => chatModelNode((messages) => model.invoke(messages));

const CHAT_REF = { channel: 'whatsapp', accountId: '100000000000001', userId: '4915112345678' };

interface Turn {
	text?: string;
	reply?: IDataObject | null;
	pending?: string;
	openSessionId?: string;
	openCheckoutUrl?: string;
	options?: IDataObject;
	catalog?: IDataObject[];
	continueOnFail?: boolean;
}

function turnItem(turn: Turn): INodeExecutionData {
	return {
		json: {
			message: { text: turn.text ?? '', chatRef: CHAT_REF, messageId: 'wamid.TURN', reply: turn.reply ?? null },
			pending: turn.pending ?? '',
			sessionId: turn.openSessionId ?? '',
			checkoutUrl: turn.openCheckoutUrl ?? '',
		},
	};
}

const PARAMETERS = {
	message: '={{ $json.message }}',
	pendingOrder: '={{ $json.pending }}',
	openSessionId: '={{ $json.sessionId }}',
	openCheckoutUrl: '={{ $json.checkoutUrl }}',
};

async function read(model: FakeModel, turn: Turn) {
	const run = await executeNodeWithRun({
		nodeType: new ReadChatOrder(),
		parameters: { ...PARAMETERS, options: { timeZone: 'UTC', ...(turn.options ?? {}) } },
		items: [turnItem(turn)],
		inputs: [[turnItem(turn)], (turn.catalog ?? CATALOG).map((json) => ({ json }))],
		subNodes: [{ name: 'Chat model', nodeType: modelNode(model), connectionType: NodeConnectionTypes.AiLanguageModel }],
		continueOnFail: turn.continueOnFail,
		mode: 'webhook',
	});
	const [checkout, reply, cancel, status, subscription, human] = run.output;
	const outputs = { checkout, reply, cancel, status, subscription, human };
	const all = Object.entries(outputs).filter(([, items]) => items.length > 0);
	expect(all).toHaveLength(1); // one turn in, exactly one item out, on one output
	const [output, [item]] = all[0];
	return { output, item, json: item.json, metadata: run.runExecutionData.resultData.metadata };
}

describe('Read Chat Order: one turn at a time', () => {
	it('asks for the dates of a per-night product, naming it, and keeps the product for the next turn', async () => {
		const model = new FakeModel([{ productKey: 'deluxe-room' }]);
		const { output, json } = await read(model, { text: 'I want the deluxe room' });
		expect(output).toBe('reply');
		expect(json.question).toBe('dates');
		expect(json.reply).toContain('For the Grand Hotel Deluxe Room, which dates');
		expect(JSON.parse(json.pending as string)).toMatchObject({ productKey: 'deluxe-room', checkIn: null });
		expect(json.chatRef).toEqual(CHAT_REF);
	});

	it('the answer to its own question completes the order: June 20-23 → 3 nights × 199.00, priced from the catalog', async () => {
		const pending = JSON.stringify({ productKey: 'deluxe-room', updatedAt: new Date().toISOString() });
		const model = new FakeModel([{ checkIn: day(30), checkOut: day(33) }]);
		const { output, json } = await read(model, { text: 'June 20-23 please', pending });
		expect(output).toBe('checkout');
		const order = json.order as IDataObject;
		expect(order).toMatchObject({ productKey: 'deluxe-room', units: 1, nights: 3, stripeQuantity: 3, totalMinor: 59700, total: '597.00 USD', mode: 'payment' });
		expect(order.lineItems).toEqual([
			{
				quantity: 3,
				price_data: {
					currency: 'usd',
					unit_amount: 19900,
					product_data: { name: 'Grand Hotel Deluxe Room, 1 room × 3 nights', description: expect.stringContaining('per room per night') },
				},
			},
		]);
		expect(json.reply).toBe(`Here is your secure checkout link for ${order.summary as string}: 597.00 USD.`);
		expect(JSON.parse(order.lineItemsJson as string)).toEqual(order.lineItems);
		expect(json.replacesSessionId).toBeNull();
		// The model saw the order so far, the catalog without prices, and today.
		const system = model.calls[0][0][1];
		expect(system).toContain('<order_so_far>\n{"productKey":"deluxe-room"');
		expect(system).toContain(`<today>\n${TODAY}`);
		expect(system).toContain('"key":"welcome-basket","name":"Welcome basket","kind":"one_off"');
		expect(system).not.toMatch(/199|25\.5|maxPerOrder/);
		expect(model.calls[0][1]).toEqual(['human', 'June 20-23 please']);
	});

	it('2 rooms × 3 nights is 6 room-nights, and both numbers show in the line item', async () => {
		const { json } = await read(new FakeModel([{ productKey: 'deluxe-room', quantity: 2, checkIn: day(10), checkOut: day(13) }]), { text: 'two deluxe rooms' });
		const order = json.order as IDataObject;
		expect(order).toMatchObject({ units: 2, nights: 3, stripeQuantity: 6, totalMinor: 119400 });
		expect((order.lineItems as IDataObject[])[0]).toMatchObject({ quantity: 6, price_data: { product_data: { name: 'Grand Hotel Deluxe Room, 2 rooms × 3 nights' } } });
		expect(order.summary).toContain('2 rooms × 3 nights');
	});

	it('a quantity above the catalog limit is refused out loud and asked again, never charged', async () => {
		const { output, json } = await read(new FakeModel([{ productKey: 'deluxe-room', quantity: 50, checkIn: day(5), checkOut: day(8) }]), { text: '50 deluxe rooms' });
		expect(output).toBe('reply');
		expect(json.problems).toEqual(['quantity-too-high']);
		expect(json.reply).toBe(
			'We can take at most 5 rooms of the Grand Hotel Deluxe Room per order, not 50.\nHow many rooms of the Grand Hotel Deluxe Room would you like (1 to 5)?',
		);
		// The dates the customer gave are kept for the next turn; the refused number is not.
		expect(JSON.parse(json.pending as string)).toMatchObject({ quantity: null, checkIn: day(5), checkOut: day(8), nights: 3 });
	});

	it('1000000 Pro plans: refused with the limit; a zero, negative or fractional count is refused too', async () => {
		const big = await read(new FakeModel([{ productKey: 'saas-pro-monthly', quantity: 1000000 }]), { text: '1000000 Pro plans' });
		expect(big.json.reply).toContain('at most 20 seats of the Pro plan (monthly) per order, not 1000000');
		for (const asked of [0, -3, 2.5]) {
			const { json } = await read(new FakeModel([{ productKey: 'welcome-basket', quantity: asked }]), { text: `${asked} baskets` });
			expect(json.problems).toEqual(['quantity-invalid']);
			expect(json.reply).toContain(`${asked} is not a number of items I can take.`);
			expect(json.question).toBe('quantity');
		}
	});

	it('a catalog row without maxPerOrder takes the node\'s default limit', async () => {
		const { json } = await read(new FakeModel([{ productKey: 'welcome-basket', quantity: 11 }]), { text: '11 baskets' });
		expect(json.reply).toContain('at most 10 items of the Welcome basket');
		const ok = await read(new FakeModel([{ productKey: 'welcome-basket', quantity: 11 }]), { text: '11 baskets', options: { maxPerOrder: 12 } });
		expect(ok.output).toBe('checkout');
		expect(ok.json.order).toMatchObject({ units: 11, stripeQuantity: 11, totalMinor: 28050, total: '280.50 EUR' });
	});

	it('"for 2 nights" without dates asks when the stay starts, keeping the 2 nights', async () => {
		const { json } = await read(new FakeModel([{ productKey: 'deluxe-room', nights: 2 }]), { text: 'deluxe room for 2 nights' });
		expect(json.question).toBe('dates');
		expect(JSON.parse(json.pending as string)).toMatchObject({ nights: 2, checkIn: null });
		const next = await read(new FakeModel([{ checkIn: day(1) }]), { text: 'tomorrow', pending: json.pending as string });
		expect(next.output).toBe('checkout');
		expect(next.json.order).toMatchObject({ checkIn: day(1), checkOut: day(3), nights: 2 });
	});

	it('says what is wrong with dates: in the past, check-out before check-in, too long, nights that contradict the dates', async () => {
		const past = await read(new FakeModel([{ productKey: 'deluxe-room', checkIn: day(-3), checkOut: day(-1) }]), { text: 'last week' });
		expect(past.json.problems).toEqual(['date-past']);
		expect(past.json.reply).toMatch(/^\w{3}, \w{3} \d+, \d{4} is in the past\.\nFor the Grand Hotel Deluxe Room, which dates/);
		const reversed = await read(new FakeModel([{ productKey: 'deluxe-room', checkIn: day(9), checkOut: day(6) }]), { text: 'June 23-20' });
		expect(reversed.json.problems).toEqual(['checkout-before-checkin']);
		expect(reversed.json.reply).toContain('must be after the check-in date');
		expect(reversed.json.question).toBe('nights');
		const long = await read(new FakeModel([{ productKey: 'deluxe-room', checkIn: day(2), checkOut: day(40) }]), { text: 'long stay' });
		expect(long.json.reply).toContain('at most 14 nights of the Grand Hotel Deluxe Room at a time, not 38');
		const mismatch = await read(new FakeModel([{ productKey: 'deluxe-room', checkIn: day(2), checkOut: day(5), nights: 2 }]), { text: 'x' });
		expect(mismatch.json.problems).toEqual(['nights-mismatch']);
		expect(mismatch.json.reply).toContain('is 3 nights, not 2.');
		const unreadable = await read(new FakeModel([{ productKey: 'deluxe-room', checkIn: 'next tuesday-ish' }]), { text: 'x' });
		expect(unreadable.json.problems).toEqual(['date-invalid']);
	});

	it('a change before paying makes a new checkout and names the open session to expire; the same order again re-sends the open link', async () => {
		const pending = JSON.stringify({ productKey: 'deluxe-room', quantity: 1, checkIn: day(20), checkOut: day(22), nights: 2, updatedAt: new Date().toISOString() });
		const open = { pending, openSessionId: 'cs_test_OLD', openCheckoutUrl: 'http://127.0.0.1:9/pay/cs_test_OLD' };
		const changed = await read(new FakeModel([{ nights: 3 }]), { text: 'make it 3 nights', ...open });
		expect(changed.output).toBe('checkout');
		expect(changed.json.order).toMatchObject({ checkIn: day(20), checkOut: day(23), nights: 3, stripeQuantity: 3 });
		expect(changed.json.replacesSessionId).toBe('cs_test_OLD');
		expect(changed.json.reply).toMatch(/^I have updated your order; the previous link no longer works\.\nHere is your secure checkout link/);
		expect(changed.json.sessionId).toBe(''); // the new session's id comes from Stripe Checkout

		const same = await read(new FakeModel([{ productKey: 'deluxe-room', checkIn: day(20), checkOut: day(22) }]), { text: 'yes that one', ...open });
		expect(same.output).toBe('reply');
		expect(same.json.reply).toContain('is still open: http://127.0.0.1:9/pay/cs_test_OLD');
		expect(same.json.sessionId).toBe('cs_test_OLD');
		expect(same.json.checkoutUrl).toBe('http://127.0.0.1:9/pay/cs_test_OLD');
	});

	it('cancel: drops the pending order and names the open link to expire; with nothing pending it says so', async () => {
		const pending = JSON.stringify({ productKey: 'saas-pro-monthly', updatedAt: new Date().toISOString() });
		const cancelled = await read(new FakeModel([{ intent: 'cancel' }]), { text: 'cancel', pending, openSessionId: 'cs_test_X', openCheckoutUrl: 'http://x/pay' });
		expect(cancelled.output).toBe('cancel');
		expect(cancelled.json).toMatchObject({ pending: '', sessionId: '', checkoutUrl: '', replacesSessionId: 'cs_test_X' });
		expect(cancelled.json.reply).toContain('payment link no longer works');
		const nothing = await read(new FakeModel([{ intent: 'cancel' }]), { text: 'cancel' });
		expect(nothing.output).toBe('reply');
		expect(nothing.json.reply).toMatch(/^There is no order to cancel\.\nWhich would you like\?/);
	});

	it('a greeting gets the offer with a button per product; a greeting mid-order gets the open question again', async () => {
		const hello = await read(new FakeModel([{ intent: 'greeting' }]), { text: 'hi!' });
		expect(hello.output).toBe('reply');
		expect(hello.json.reply).toBe(
			'Hello! Here is what we offer:\n• Grand Hotel Deluxe Room: 199.00 USD per night\n• Pro plan (monthly): 29.00 USD per month\n• Welcome basket: 25.50 EUR\nWhat would you like?',
		);
		expect(hello.json.buttons).toEqual([
			{ id: 'product:deluxe-room', title: 'Grand Hotel Deluxe …' },
			{ id: 'product:saas-pro-monthly', title: 'Pro plan (monthly)' },
			{ id: 'product:welcome-basket', title: 'Welcome basket' },
		]);
		const pending = JSON.stringify({ productKey: 'deluxe-room', updatedAt: new Date().toISOString() });
		const again = await read(new FakeModel([{ intent: 'greeting' }]), { text: 'hello', pending });
		expect(again.json.reply).toBe('Hello again!\nFor the Grand Hotel Deluxe Room, which dates would you like (for example "June 20-23")?');
		expect(again.json.pending).toContain('deluxe-room');
	});

	it('a tapped product button is read without asking the model', async () => {
		const model = new FakeModel([]);
		const { json } = await read(model, { text: 'Pro plan (monthly)', reply: { kind: 'button', payload: 'product:saas-pro-monthly', title: 'Pro plan (monthly)' } });
		expect(model.calls).toHaveLength(0);
		expect(json.order).toMatchObject({ productKey: 'saas-pro-monthly', mode: 'subscription', total: '29.00 USD' });
		expect((json.order as IDataObject).lineItems).toEqual([
			{ quantity: 1, price_data: { currency: 'usd', unit_amount: 2900, product_data: { name: 'Pro plan (monthly)' }, recurring: { interval: 'month', interval_count: 1 } } },
		]);
	});

	it('an order idle for longer than the setting is set aside, and the customer is told once', async () => {
		const stale = JSON.stringify({ productKey: 'deluxe-room', checkIn: day(3), updatedAt: new Date(Date.now() - 25 * 3_600_000).toISOString() });
		const { json } = await read(new FakeModel([{ intent: 'greeting' }]), { text: 'hi', pending: stale });
		expect(json.reply).toMatch(/^Your earlier order was not finished in time, so I have set it aside\.\nHello! Here is what we offer/);
		expect(json.pending).toBe('');
		const kept = await read(new FakeModel([{ intent: 'greeting' }]), { text: 'hi', pending: stale, options: { idleHours: 48 } });
		expect(kept.json.pending).toContain('deluxe-room');
	});

	it('operator reply texts replace the built-in ones, placeholders filled', async () => {
		const { json } = await read(new FakeModel([{ productKey: 'deluxe-room' }]), {
			text: 'quiero la habitación deluxe',
			options: { replyTexts: { askDates: '¿Para qué fechas quiere la {product}?' } },
		});
		expect(json.reply).toBe('¿Para qué fechas quiere la Grand Hotel Deluxe Room?');
	});

	it('records what the run was in the execution\'s custom data', async () => {
		const { metadata } = await read(new FakeModel([{ productKey: 'welcome-basket' }]), { text: 'a basket' });
		expect(metadata).toEqual({ channel: 'whatsapp', customer: CHAT_REF.userId, outcome: 'checkout', product: 'welcome-basket' });
	});
});

describe('Read Chat Order: after the sale', () => {
	const pending = JSON.stringify({ productKey: 'deluxe-room', checkIn: null, updatedAt: new Date().toISOString() });

	it('"where is my order?" goes to Order Status, leaving the pending order as it was', async () => {
		const { output, json } = await read(new FakeModel([{ intent: 'status' }]), { text: 'where is my order?', pending });
		expect(output).toBe('status');
		expect(json.reply).toBe(''); // the Order Status branch writes the answer from the order rows
		expect(JSON.parse(json.pending as string)).toMatchObject({ productKey: 'deluxe-room' });
	});

	it('"cancel my subscription" goes to Manage Subscription, with the text for the portal link', async () => {
		const { output, json } = await read(new FakeModel([{ intent: 'subscription' }]), { text: 'cancel my subscription' });
		expect(output).toBe('subscription');
		expect(json.reply).toBe('Here you can manage your subscription: cancel it, change your plan or update your card.');
	});

	it('a request for a person goes to Human: by keyword without the model, or as the model reads it', async () => {
		const model = new FakeModel([]);
		const byKeyword = await read(model, { text: 'Can I talk to a HUMAN please?', pending });
		expect(byKeyword.output).toBe('human');
		expect(model.calls).toHaveLength(0);
		expect(byKeyword.json.reply).toBe('Thank you! A person from our team will answer you here soon.');
		expect(byKeyword.json.pending).toContain('deluxe-room');
		const byModel = await read(new FakeModel([{ intent: 'human' }]), { text: 'I need help from your staff' });
		expect(byModel.output).toBe('human');
		// A keyword inside another word is not one; without keywords only the model decides.
		const notAKeyword = await read(new FakeModel([{ productKey: 'welcome-basket' }]), { text: 'two baskets for the humanities club' });
		expect(notAKeyword.output).toBe('checkout');
		const off = await read(new FakeModel([{ intent: 'other' }]), { text: 'human', options: { humanKeywords: '' } });
		expect(off.output).toBe('reply');
	});

	it('a product named alone does not make an order ("change my plan"); a number or a date does', async () => {
		const plan = await read(new FakeModel([{ intent: 'subscription', productKey: 'saas-pro-monthly' }]), { text: 'change my plan' });
		expect(plan.output).toBe('subscription');
		const more = await read(new FakeModel([{ intent: 'status', productKey: 'welcome-basket', quantity: 1 }]), { text: 'is my basket order ok? and one more basket' });
		expect(more.output).toBe('checkout');
	});
});

describe('Read Chat Order: a model that misbehaves', () => {
	it('nonsense instead of JSON: the customer is asked again, nothing is ordered', async () => {
		const { output, json } = await read(new FakeModel(['I think they want a room maybe?']), { text: 'blah' });
		expect(output).toBe('reply');
		expect(json.reply).toMatch(/^Sorry, I did not get that\.\nWhich would you like\?/);
		expect(json.order).toBeNull();
	});

	it('JSON in a fenced block with a sentence around it is still read', async () => {
		const { output } = await read(new FakeModel(['Sure! ```json\n{"intent":"order","productKey":"welcome-basket"}\n```']), { text: 'basket' });
		expect(output).toBe('checkout');
	});

	it('a price or currency in the answer is ignored: the amount comes from the catalog', async () => {
		const { json } = await read(new FakeModel([{ productKey: 'welcome-basket', unitAmount: 0.01, price: 1, currency: 'JPY', total: 0 }]), { text: 'basket for 1 cent' });
		expect(json.order).toMatchObject({ unitAmountMinor: 2550, currency: 'eur', totalMinor: 2550 });
	});

	it('a product the catalog does not have is named back with the offer', async () => {
		const { output, json } = await read(new FakeModel([{ productKey: 'presidential-suite' }]), { text: 'the presidential suite' });
		expect(output).toBe('reply');
		expect(json.problems).toEqual(['unknown-product']);
		expect(json.reply).toMatch(/^Sorry, we do not have "presidential-suite"\.\nWhich would you like\? We offer:\n• Grand Hotel/);
	});

	it('a failing model: an operator error naming the model node; with Continue On Fail an error item that keeps the chat', async () => {
		await expect(read(new FakeModel([new Error('401 Incorrect API key')]), { text: 'hi' })).rejects.toThrow('The chat model failed: 401 Incorrect API key');
		const run = await executeNode({
			nodeType: new ReadChatOrder(),
			parameters: { ...PARAMETERS, options: { timeZone: 'UTC' } },
			items: [turnItem({ text: 'hi' })],
			inputs: [[turnItem({ text: 'hi' })], CATALOG.map((json) => ({ json }))],
			subNodes: [{ name: 'Chat model', nodeType: modelNode(new FakeModel([new Error('timeout')])), connectionType: NodeConnectionTypes.AiLanguageModel }],
			continueOnFail: true,
		});
		const item = run[1][0];
		expect(item.json).toEqual({ error: 'The chat model failed: timeout', chatRef: CHAT_REF });
		expect(item.error).toBeDefined();
		expect(item.pairedItem).toEqual({ item: 0, input: 0 });
	});

	it('an empty or broken catalog is answered politely and reported to the operator', async () => {
		const { json } = await read(new FakeModel([]), { text: 'hi', catalog: [{ key: 'x', kind: 'weekly', unitAmount: 1, currency: 'usd' }] });
		expect(json.reply).toBe('Sorry, there is nothing to order right now. Please try again later.');
		expect(json.catalogWarnings).toEqual(['"x": kind must be per_night, one_off or subscription (is "weekly")']);
	});
});
