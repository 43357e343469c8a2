/**
 * Stripe Checkout → Expire Checkout Session inside n8n-core's ExecuteContext, with the real Stripe SDK
 * talking to the Stripe simulator, whose sessions keep their state and replay repeated idempotency keys.
 * Each test first makes the sessions it needs there (open, lapsed by themselves, or paid).
 */
import type { IDataObject, INodeExecutionData, INodeParameters, INodePropertyOptions } from 'n8n-workflow';
import { NodeApiError, NodeHelpers, NodeOperationError } from 'n8n-workflow';

import { CreateStripeCheckout } from '../../../nodes/CreateStripeCheckout/CreateStripeCheckout.node';
import { useStripeCheckoutNode } from './stripeCheckoutNode';

const CHAT_REF = { channel: 'instagram', accountId: '17841400000000001', userId: '6012345678901234' };
const MESSAGE_ID = 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAw';

// The Session ID parameter is left to its default, {{ $json.sessionId }}, unless a test sets it.
const node = useStripeCheckoutNode({ resource: 'checkoutSession', operation: 'expire' });

/** A Checkout Session made in the simulator (with the test's own key), open, lapsed by itself or paid; its ID. */
async function session(state: 'open' | 'expired' | 'paid' = 'open'): Promise<string> {
	const { id } = await node.stripe.setup.checkout.sessions.create({
		mode: 'payment',
		line_items: [{ price_data: { currency: 'eur', unit_amount: 1250, product_data: { name: 'Cortado' } }, quantity: 1 }],
		success_url: 'https://shop.test/thanks?session_id={CHECKOUT_SESSION_ID}',
	});
	if (state === 'expired') await node.stripe.sim.expire(id);
	if (state === 'paid') await node.stripe.sim.pay(id, { email: 'ana@example.com' });
	return id;
}

function item(sessionId: unknown, extra: IDataObject = {}): INodeExecutionData {
	return { json: { sessionId, chatRef: { ...CHAT_REF }, messageId: MESSAGE_ID, ...extra } as IDataObject };
}

async function expire(items: INodeExecutionData[], parameters: INodeParameters = {}, continueOnFail = false) {
	return await node.run(parameters, items, continueOnFail);
}

const failure = async (items: INodeExecutionData[]) => await node.failure({}, items);

const expirePosts = () => node.stripe.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/expire'));

describe('Expire Checkout Session', () => {
	it('expires an open session with an idempotency key, passing the chat reference through', async () => {
		const open = await session();

		const output = await expire([item(open)]);

		expect(node.stripe.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([`POST /v1/checkout/sessions/${open}/expire 200`]);
		expect(node.stripe.sim.getSession(open)?.status).toBe('expired');
		const key = String(expirePosts()[0].headers['idempotency-key']);
		expect(key).toMatch(/^cc1-expire-[0-9a-f]{64}$/);
		expect(output).toEqual([
			{
				json: {
					sessionId: open,
					expired: true,
					alreadyExpired: false,
					status: 'expired',
					paymentStatus: 'unpaid',
					idempotencyKey: key,
					chatRef: CHAT_REF,
					messageId: MESSAGE_ID,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('is safe to repeat: the same key, and Stripe\'s replayed answer reads as already expired', async () => {
		const twice = await session();

		const [first] = await expire([item(twice)]);
		const [again] = await expire([item(twice)]);

		const [firstKey, secondKey] = expirePosts().map((request) => request.headers['idempotency-key']);
		expect(secondKey).toBe(firstKey);
		expect(expirePosts().map((request) => request.replayed)).toEqual([false, true]);
		expect(first.json).toMatchObject({ expired: true, alreadyExpired: false });
		expect(again.json).toMatchObject({ sessionId: twice, expired: true, alreadyExpired: true, status: 'expired' });
	});

	it('gives different sessions different keys', async () => {
		const a = await session();
		const b = await session();
		await expire([item(a), item(b)]);
		const keys = expirePosts().map((request) => request.headers['idempotency-key']);
		expect(new Set(keys).size).toBe(2);
		expect([a, b].map((id) => node.stripe.sim.getSession(id)?.status)).toEqual(['expired', 'expired']);
	});

	it('counts a session that expired by itself (Stripe refuses with a 400) as done, from the session\'s own status', async () => {
		const lapsed = await session('expired');

		const [result] = await expire([item(lapsed)]);

		expect(node.stripe.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
			`POST /v1/checkout/sessions/${lapsed}/expire 400`,
			`GET /v1/checkout/sessions/${lapsed} 200`,
		]);
		expect(result.error).toBeUndefined();
		expect(result.json).toMatchObject({ sessionId: lapsed, expired: true, alreadyExpired: true, status: 'expired' });
	});

	it('reports a session the customer already paid instead of failing, so the workflow can tell them', async () => {
		const paid = await session('paid');

		const [result] = await expire([item(paid)]);

		expect(result.error).toBeUndefined();
		expect(node.stripe.sim.getSession(paid)?.status).toBe('complete');
		expect(result.json).toEqual(
			expect.objectContaining({
				sessionId: paid,
				expired: false,
				alreadyExpired: false,
				status: 'complete',
				paymentStatus: 'paid',
				chatRef: CHAT_REF,
				messageId: MESSAGE_ID,
			}),
		);
	});

	it('names the session and Stripe\'s request id when Stripe does not know the session', async () => {
		const error = await failure([item('cs_test_unknown')]);

		const [request] = node.stripe.requests;
		expect(request.status).toBe(404);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('Could not expire Checkout Session cs_test_unknown');
		expect(error.message).toContain(`request ${request.requestId}`);
		expect((error as NodeApiError).httpCode).toBe('404');
		expect(error.description).toContain('Developers → Logs');
		expect(error.context.itemIndex).toBe(0);
		expect(node.stripe.requests.some((request) => request.method === 'GET')).toBe(false);
	});

	it('keeps a 400 an error when the session is still open (the refusal was about something else)', async () => {
		const stillOpen = await session();
		node.stripe.sim.failNext({
			status: 400,
			method: 'POST',
			path: `/v1/checkout/sessions/${stillOpen}/expire`,
			error: { type: 'invalid_request_error', message: 'This request is not allowed right now.' },
		});

		const error = await failure([item(stillOpen)]);

		const [refused, lookup] = node.stripe.requests;
		expect([refused.injected, lookup.method, lookup.status]).toEqual([true, 'GET', 200]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain(stillOpen);
		expect(error.message).toContain(refused.requestId);
		expect(error.message).toContain('This request is not allowed right now.');
	});

	it('names the permission a restricted key lacks', async () => {
		const locked = await session();
		node.stripe.sim.failNext({ status: 403, error: { type: 'invalid_request_error', message: 'The provided key does not have the required permissions for this endpoint.' } });
		const error = await failure([item(locked)]);
		expect(node.stripe.requests.map((request) => request.status)).toEqual([403]);
		expect(error.message).toContain('"Checkout Sessions: Write"');
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(node.secretKey);
	});

	it('refuses a missing or non-session ID before calling Stripe, naming the field', async () => {
		for (const sessionId of ['', '   ', 'pi_3Test456', 'cs_test_with space', undefined]) {
			const error = await failure([item(sessionId)]);
			expect([sessionId, error instanceof NodeOperationError, error.message]).toEqual([sessionId, true, expect.stringMatching(/^Session ID: /)]);
		}
		expect(node.stripe.requests).toHaveLength(0);
	});

	it('takes a Session ID typed into the node over the item\'s', async () => {
		const typed = await session();
		const other = await session();
		const [result] = await expire([item(other)], { sessionId: `  ${typed} ` });
		expect(result.json.sessionId).toBe(typed);
		expect([typed, other].map((id) => node.stripe.sim.getSession(id)?.status)).toEqual(['expired', 'open']);
	});

	it('with Continue On Fail, reports the failing item with its chat reference and goes on, items paired', async () => {
		const ok = await session();

		const output = await expire([item('cs_test_gone'), item(ok, { messageId: 'second' })], {}, true);

		expect(output.map((entry) => entry.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].error).toBeInstanceOf(NodeApiError);
		expect(output[0].json).toMatchObject({ chatRef: CHAT_REF, messageId: MESSAGE_ID });
		expect(output[0].json.error).toEqual(expect.stringContaining('cs_test_gone'));
		expect(output[1].error).toBeUndefined();
		expect(output[1].json).toMatchObject({ sessionId: ok, expired: true, messageId: 'second' });
	});
});

describe('Stripe Checkout: operations', () => {
	const { description } = new CreateStripeCheckout();
	const operation = description.properties.find((property) => property.name === 'operation')!;

	it('offers Create and Expire Checkout Session as actions, Create by default', () => {
		expect(description.displayName).toBe('Stripe Checkout');
		expect(description.name).toBe('createStripeCheckout');
		expect(description.version).toBe(1);
		expect(operation.default).toBe('create');
		expect((operation.options as INodePropertyOptions[]).map(({ name, value, action }) => ({ name, value, action }))).toEqual([
			{ name: 'Create Checkout Session', value: 'create', action: 'Create a checkout session' },
			{ name: 'Expire Checkout Session', value: 'expire', action: 'Expire a checkout session' },
		]);
		const sessionId = description.properties.find((property) => property.name === 'sessionId')!;
		expect(sessionId.default).toBe('={{ $json.sessionId }}');
	});

	it('reads a node saved before there were operations as Create, with every parameter it had', () => {
		const saved = { mode: 'payment', lineItemSource: 'price', priceItems: { items: [{ priceId: 'price_1', quantity: 2 }] }, successUrl: 'https://shop.test/ok' };
		const resolved = NodeHelpers.getNodeParameters(description.properties, saved, true, false, null, description);
		expect(resolved).toMatchObject({ resource: 'checkoutSession', operation: 'create', ...saved });
		expect(resolved).not.toHaveProperty('sessionId');
	});
});
