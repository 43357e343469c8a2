/**
 * Stripe Checkout → Create Checkout Session (the default operation, so no operation is set here, as in
 * workflows saved before there were operations) inside n8n-core's ExecuteContext, with the real Stripe SDK
 * talking to the Stripe simulator: asserts the exact form-encoded requests and what the node makes of
 * Stripe's answers (the sessions the simulator really created, its own errors for unknown prices and keys).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { testSecretKey } from '../../support/stripeTestSecrets';
import { sentForm, sentParams } from '../../support/unitStripe';
import { useStripeCheckoutNode } from './stripeCheckoutNode';

const CHAT_REF = { channel: 'whatsapp', accountId: '109876543210', userId: '15551234567' };
const MESSAGE_ID = 'wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQTRCRDc1';
const SUCCESS_URL = 'https://shop.test/thanks?session_id={CHECKOUT_SESSION_ID}';

// Stripe's catalogue: the latte is found by its lookup key; price_1Abc (EUR, like the croissant below) by ID.
const node = useStripeCheckoutNode({ successUrl: SUCCESS_URL }, [
	{ id: 'price_1Latte', lookup_key: 'large_latte', unit_amount: 1999, currency: 'usd', product_name: 'Large latte' },
	{ id: 'price_1Abc', unit_amount: 300, currency: 'eur', product_name: 'Espresso' },
]);

function chatItem(extra: Record<string, unknown> = {}): INodeExecutionData {
	return { json: { chatRef: { ...CHAT_REF }, messageId: MESSAGE_ID, text: 'two large lattes please', ...extra } };
}

async function run(
	parameters: INodeParameters,
	items: INodeExecutionData[] = [chatItem()],
	continueOnFail = false,
): Promise<INodeExecutionData[]> {
	return await node.run(parameters, items, continueOnFail);
}

const lookupKeyParameters = (quantity = 2): INodeParameters => ({
	mode: 'payment',
	lineItemSource: 'lookupKey',
	lookupKeyItems: { items: [{ lookupKey: 'large_latte', quantity }] },
});

function sessionPosts() {
	return node.stripe.requests.filter((request) => request.method === 'POST' && request.path === '/v1/checkout/sessions');
}

describe('Create Stripe Checkout: requests', () => {
	it('resolves a lookup key through Stripe and sends the price ID, chat metadata copies and an idempotency key', async () => {
		const output = await run(lookupKeyParameters());

		const [lookup, create] = node.stripe.requests;
		expect(node.stripe.requests).toHaveLength(2);
		expect(lookup.method).toBe('GET');
		expect(lookup.path).toBe('/v1/prices');
		expect(sentParams(lookup).getAll('lookup_keys[0]')).toEqual(['large_latte']);
		expect(sentParams(lookup).get('active')).toBe('true');
		expect(sentParams(lookup).get('expand[0]')).toBe('data.product');
		expect(lookup.headers.authorization).toBe(`Bearer ${node.secretKey}`);

		expect(create.method).toBe('POST');
		expect(create.path).toBe('/v1/checkout/sessions');
		expect(create.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(sentForm(create)).toEqual({
			mode: 'payment',
			'line_items[0][price]': 'price_1Latte',
			'line_items[0][quantity]': '2',
			success_url: SUCCESS_URL,
			'metadata[chat_channel]': 'whatsapp',
			'metadata[chat_account_id]': CHAT_REF.accountId,
			'metadata[chat_user_id]': CHAT_REF.userId,
			'metadata[chat_message_id]': MESSAGE_ID,
			'payment_intent_data[metadata][chat_channel]': 'whatsapp',
			'payment_intent_data[metadata][chat_account_id]': CHAT_REF.accountId,
			'payment_intent_data[metadata][chat_user_id]': CHAT_REF.userId,
			'payment_intent_data[metadata][chat_message_id]': MESSAGE_ID,
			'expand[0]': 'line_items',
		});
		expect(create.headers['idempotency-key']).toMatch(/^cc1-[0-9a-f]{64}$/);

		// The one session Stripe created, as it answers it.
		const [session] = [...node.stripe.sim.sessions.values()].map((stored) => node.stripe.sim.getSession(stored.id)!);
		expect(node.stripe.sim.sessions.size).toBe(1);
		expect(session.url).toBe(`${node.stripe.baseUrl}/pay/${session.id}`);
		expect(output).toEqual([
			{
				json: {
					sessionId: session.id,
					url: session.url,
					expiresAt: new Date(session.expires_at * 1000).toISOString(),
					amountTotal: 3998,
					amountTotalDecimal: '39.98',
					currency: 'usd',
					mode: 'payment',
					status: 'open',
					paymentStatus: 'unpaid',
					livemode: false,
					chatRef: CHAT_REF,
					messageId: MESSAGE_ID,
					clientReferenceId: null,
					idempotencyKey: create.headers['idempotency-key'],
					lineItems: [
						{
							source: 'lookupKey',
							quantity: 2,
							priceId: 'price_1Latte',
							lookupKey: 'large_latte',
							name: 'Large latte',
							unitAmount: 1999,
							currency: 'usd',
							amountTotal: 3998,
						},
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends inline subscription items in minor units with recurring data, subscription metadata and every option', async () => {
		const nowMs = 1_800_000_123_456; // 123 s into a 5-minute window starting at 1_800_000_000
		jest.spyOn(Date, 'now').mockReturnValue(nowMs);

		await run({
			mode: 'subscription',
			lineItemSource: 'inline',
			inlineItems: {
				items: [
					{
						name: 'Coffee club',
						description: 'A bag every quarter',
						imageUrl: 'https://shop.test/bag.png',
						unitAmount: 19.99,
						currency: 'USD',
						quantity: 1,
						interval: 'month',
						intervalCount: 3,
					},
				],
			},
			cancelUrl: 'https://shop.test/cart',
			options: {
				allowPromotionCodes: true,
				collectPhoneNumber: true,
				customerEmail: 'ana@example.com',
				clientReferenceId: 'cart-42',
				expiresInMinutes: 60,
				locale: 'pt-BR',
				paymentMethodTypes: ['card', 'link'],
				metadata: { entries: [{ key: 'campaign', value: 'summer' }] },
			},
		});

		const [request] = sessionPosts();
		expect(request.status).toBe(200);
		const form = sentForm(request);
		expect(form).toMatchObject({
			mode: 'subscription',
			'line_items[0][price_data][currency]': 'usd',
			'line_items[0][price_data][unit_amount]': '1999',
			'line_items[0][price_data][product_data][name]': 'Coffee club',
			'line_items[0][price_data][product_data][description]': 'A bag every quarter',
			'line_items[0][price_data][product_data][images][0]': 'https://shop.test/bag.png',
			'line_items[0][price_data][recurring][interval]': 'month',
			'line_items[0][price_data][recurring][interval_count]': '3',
			'line_items[0][quantity]': '1',
			cancel_url: 'https://shop.test/cart',
			customer_email: 'ana@example.com',
			client_reference_id: 'cart-42',
			'metadata[campaign]': 'summer',
			'metadata[chat_user_id]': CHAT_REF.userId,
			'subscription_data[metadata][campaign]': 'summer',
			'subscription_data[metadata][chat_channel]': 'whatsapp',
			'subscription_data[metadata][chat_message_id]': MESSAGE_ID,
			expires_at: String(1_800_000_000 + 60 * 60),
			allow_promotion_codes: 'true',
			'phone_number_collection[enabled]': 'true',
			locale: 'pt-BR',
			'allowed_payment_method_types[0]': 'card',
			'allowed_payment_method_types[1]': 'link',
		});
		expect(Object.keys(form).some((key) => key.startsWith('payment_intent_data'))).toBe(false);
		expect(Object.keys(form).some((key) => key.startsWith('payment_method_types'))).toBe(false);
	});

	it('keeps the shortest expiry inside Stripe\'s 30-minute minimum even late in the window', async () => {
		jest.spyOn(Date, 'now').mockReturnValue(1_800_000_299_999); // last millisecond of the window

		await run({ ...lookupKeyParameters(), options: { expiresInMinutes: 30 } });

		expect(sessionPosts()[0].status).toBe(200); // Stripe refuses an expiry under 30 minutes from creation
		const expiresAt = Number(sentParams(sessionPosts()[0]).get('expires_at'));
		expect(expiresAt - Math.floor(1_800_000_299_999 / 1000)).toBeGreaterThanOrEqual(31 * 60);
	});

	it('sends price IDs and JSON line items as given, leaving payment methods to Stripe when none are chosen', async () => {
		await run({ mode: 'payment', lineItemSource: 'price', priceItems: { items: [{ priceId: 'price_1Abc', quantity: 3 }] } });
		await run({
			mode: 'payment',
			lineItemSource: 'json',
			lineItemsJson: JSON.stringify([
				{ price: 'price_1Abc', quantity: 1 },
				{ price_data: { currency: 'eur', unit_amount: 450, product_data: { name: 'Croissant' } }, quantity: 2 },
			]),
		});

		expect(sessionPosts().map((request) => request.status)).toEqual([200, 200]);
		const [byId, byJson] = sessionPosts().map(sentForm);
		expect(byId).toMatchObject({ 'line_items[0][price]': 'price_1Abc', 'line_items[0][quantity]': '3' });
		expect(byJson).toMatchObject({
			'line_items[0][price]': 'price_1Abc',
			'line_items[0][quantity]': '1',
			'line_items[1][price_data][currency]': 'eur',
			'line_items[1][price_data][unit_amount]': '450',
			'line_items[1][price_data][product_data][name]': 'Croissant',
			'line_items[1][quantity]': '2',
		});
		for (const form of [byId, byJson]) {
			expect(Object.keys(form).some((key) => key.includes('payment_method_types'))).toBe(false);
		}
	});

	it('keeps {CHECKOUT_SESSION_ID} literal, also in a URL path and next to an n8n expression', async () => {
		await run({
			...lookupKeyParameters(),
			successUrl: '=https://shop.test/paid/{CHECKOUT_SESSION_ID}?chat={{ $json.chatRef.userId }}',
		});

		const request = sessionPosts()[0];
		expect(sentParams(request).get('success_url')).toBe(`https://shop.test/paid/{CHECKOUT_SESSION_ID}?chat=${CHAT_REF.userId}`);
		expect(request.form).toContain('%7BCHECKOUT_SESSION_ID%7D'); // the raw body
		expect(request.form).not.toContain('%257B');
	});
});

describe('Create Stripe Checkout: idempotency', () => {
	async function keyFor(parameters: INodeParameters, item: INodeExecutionData = chatItem()): Promise<string> {
		const before = sessionPosts().length;
		await run(parameters, [item]);
		return String(sessionPosts()[before].headers['idempotency-key']);
	}

	it('gives a redelivered message the same key, and a different order from it a different key', async () => {
		const first = await keyFor(lookupKeyParameters(2));
		const redelivered = await keyFor(lookupKeyParameters(2));
		const otherOrder = await keyFor(lookupKeyParameters(3));
		const otherMessage = await keyFor(lookupKeyParameters(2), chatItem({ messageId: 'wamid.other' }));

		expect(redelivered).toBe(first);
		expect(otherOrder).not.toBe(first);
		expect(otherMessage).not.toBe(first);
	});

	it('keeps the key stable within the expiry window and changes it in the next one', async () => {
		const parameters = { ...lookupKeyParameters(), options: { expiresInMinutes: 60 } };
		const now = jest.spyOn(Date, 'now');
		now.mockReturnValue(1_800_000_010_000);
		const first = await keyFor(parameters);
		now.mockReturnValue(1_800_000_290_000);
		const sameWindow = await keyFor(parameters);
		now.mockReturnValue(1_800_000_310_000);
		const nextWindow = await keyFor(parameters);

		expect(sameWindow).toBe(first);
		expect(nextWindow).not.toBe(first);
		const [a, b] = sessionPosts().map((request) => sentParams(request).get('expires_at'));
		expect(b).toBe(a); // identical parameters, as Stripe requires for a reused key
		expect(sessionPosts().map((request) => [request.status, request.replayed])).toEqual([
			[200, false],
			[200, true],
			[200, false],
		]);
	});

	it('without a message id, never lets two items of a run share a key', async () => {
		const plain = { json: { chatRef: { ...CHAT_REF } } };
		await run(lookupKeyParameters(), [plain, { json: { chatRef: { ...CHAT_REF } } }]);

		const keys = sessionPosts().map((request) => request.headers['idempotency-key']);
		expect(keys).toHaveLength(2);
		expect(keys[0]).toMatch(/^cc1-/);
		expect(keys[1]).toMatch(/^cc1-/);
		expect(keys[0]).not.toBe(keys[1]);
		expect(node.stripe.requests.filter((request) => request.path === '/v1/prices')).toHaveLength(1); // cached per run
	});

	it('uses an operator-set key as it is', async () => {
		const key = await keyFor({ ...lookupKeyParameters(), options: { idempotencyKey: 'order-2026-0001' } });
		expect(key).toBe('order-2026-0001');
	});
});

describe('Create Stripe Checkout: errors', () => {
	const failure = async (parameters: INodeParameters) => await node.failure(parameters, [chatItem()]);

	it('turns resource_missing into a NodeApiError naming the parameter, the request id and where to fix it', async () => {
		// price_gone is not in Stripe's catalogue: Stripe's own resource_missing.
		const error = await failure({ mode: 'payment', lineItemSource: 'price', priceItems: { items: [{ priceId: 'price_gone', quantity: 1 }] } });

		const [request] = sessionPosts();
		expect(request.status).toBe(400);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain("No such price: 'price_gone'");
		expect(error.message).toContain('line_items[0][price]');
		expect(error.message).toContain(request.requestId);
		expect(error.description).toContain('Product catalogue');
		expect(error.description).toContain('test-mode key');
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(0);
	});

	it('explains a rejected key without echoing it', async () => {
		// A key this Stripe does not know: its 401 names the key masked but for the last 4 characters.
		const rejectedKey = testSecretKey();
		const error = await node.failure(
			{ mode: 'payment', lineItemSource: 'price', priceItems: { items: [{ priceId: 'price_1Abc', quantity: 1 }] } },
			[chatItem()],
			rejectedKey,
		);

		expect(node.stripe.requests.map((request) => [request.headers.authorization, request.status])).toEqual([[`Bearer ${rejectedKey}`, 401]]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Stripe rejected the secret key/);
		expect(error.description).toContain('Developers → API keys');
		expect((error as NodeApiError).httpCode).toBe('401');
		const everything = JSON.stringify({ message: error.message, description: error.description, cause: error.cause });
		expect(everything).not.toContain(`****${rejectedKey.slice(-4)}`);
		expect(everything).not.toContain(rejectedKey);
		expect(everything).toContain('Invalid API Key provided');
	});

	it('names the permission a restricted key lacks', async () => {
		node.stripe.sim.failNext({
			status: 403,
			method: 'GET',
			path: '/v1/prices',
			error: { type: 'invalid_request_error', message: 'The provided key does not have the required permissions for this endpoint.' },
		});
		const error = await failure(lookupKeyParameters());
		expect(error.message).toContain('"Prices: Read" and "Products: Read"');

		node.stripe.sim.failNext({ status: 403, method: 'POST', path: '/v1/checkout/sessions', error: { type: 'invalid_request_error', message: 'forbidden' } });
		const onCreate = await failure(lookupKeyParameters());
		expect(onCreate.message).toContain('"Checkout Sessions: Write"');
		expect(node.stripe.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			'GET /v1/prices 403',
			'GET /v1/prices 200',
			'POST /v1/checkout/sessions 403',
		]);
	});

	it('names an unknown lookup key and the Dashboard place to set it, without creating a session', async () => {
		// unicorn_latte is no lookup key in Stripe's catalogue.
		const error = await failure({ ...lookupKeyParameters(), lookupKeyItems: { items: [{ lookupKey: 'unicorn_latte', quantity: 1 }] } });

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('"unicorn_latte"');
		expect(error.message).toContain('Product catalogue → the product → the price → Lookup key');
		expect(sessionPosts()).toHaveLength(0);
	});

	it('refuses invalid input before calling Stripe, naming the field', async () => {
		const error = await failure({
			mode: 'payment',
			lineItemSource: 'inline',
			inlineItems: { items: [{ name: 'Gold', unitAmount: 1.235, currency: 'KWD', quantity: 1 }] },
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Inline Items → item 1 → Unit Amount: 1\.235 KWD/);
		expect(node.stripe.requests).toHaveLength(0);
	});

	it('with Continue On Fail, reports the failing item (keeping its chat reference) and goes on', async () => {
		const output = await run(
			{ mode: 'payment', lineItemSource: 'price', priceItems: { items: [{ priceId: '={{ $json.priceId }}', quantity: 1 }] } },
			[chatItem({ priceId: 'price_gone' }), chatItem({ priceId: 'price_1Latte', messageId: 'wamid.second' })],
			true,
		);

		expect(output).toHaveLength(2);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json.error).toEqual(expect.stringContaining('line_items[0][price]'));
		expect(output[0].json.chatRef).toEqual(CHAT_REF);
		expect(output[0].json.messageId).toBe(MESSAGE_ID);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		const [created] = node.stripe.sim.sessions.keys();
		expect(node.stripe.sim.sessions.size).toBe(1);
		expect(output[1].json.sessionId).toBe(created);
		// n8n routes items carrying `error` to the error output ("Continue (using error output)")
		expect(output.map((item) => item.error !== undefined)).toEqual([true, false]);
		expect(JSON.stringify(output)).not.toContain(node.secretKey);
		expect(sessionPosts().map((request) => [sentParams(request).get('line_items[0][price]'), request.status])).toEqual([
			['price_gone', 400],
			['price_1Latte', 200],
		]);
	});
});
