/**
 * The loopback simulators' wire behaviour that the nodes, the e2e tests and the fault tests rely on: if these
 * lied, a test could pass against an answer Meta, Stripe or the model never gives, or without the fault ever
 * happening. (The Graph and model checks of the former hand-run tools/sandbox/selfcheck.js are here; its Stripe
 * checks are in stripeSim.test.ts.)
 */
import { startLlmSim, type LlmSim } from '../../tools/sandbox/model';
import type { StripeSim } from '../../tools/sandbox/stripe';
import { useStripeSimWithReceiver } from '../support/stripeSimFixture';

import { startGraphSim, type GraphSim } from '../../tools/sandbox/graph';

/* eslint-disable @typescript-eslint/no-explicit-any */
const TOKEN = 'EAASIM-unit-token';
const PHONE = '100000000000001';

async function sendText(url: string, to: string, text: string, signal?: AbortSignal) {
	const response = await fetch(`${url}/v25.0/${PHONE}/messages`, {
		method: 'POST',
		headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
		body: JSON.stringify({ messaging_product: 'whatsapp', to, type: 'text', text: { body: text } }),
		signal,
	});
	return response.status;
}

describe('graph-sim', () => {
	let graph: GraphSim;
	beforeEach(async () => {
		graph = await startGraphSim({ accessTokens: [TOKEN] });
	});
	afterEach(async () => {
		await graph.stop();
	});

	it('failWhen answers by the attempt number of each identical call, and lets the rest through', async () => {
		graph.failWhen((call) => (call.attempt < 2 ? { status: 429 + call.attempt } : undefined));
		expect([await sendText(graph.url, '491', 'a'), await sendText(graph.url, '491', 'a'), await sendText(graph.url, '491', 'b'), await sendText(graph.url, '491', 'a')]).toEqual([429, 430, 429, 200]);
		expect(graph.sent.map((s) => s.text)).toEqual(['a']);
		expect(graph.attempts.filter((a) => a.injected)).toHaveLength(3);
	});

	it('holdSends keeps calls waiting; a call abandoned while held is not accepted, a released one is', async () => {
		const hold = graph.holdSends();
		const abandoned = new AbortController();
		const first = sendText(graph.url, '492', 'dropped', abandoned.signal).catch((error: Error) => error.name);
		const second = sendText(graph.url, '492', 'kept');
		await hold.waitForHeld(2, { timeoutMs: 5_000 });
		expect(graph.sent).toHaveLength(0);
		abandoned.abort();
		await expect(first).resolves.toBe('AbortError');
		await new Promise((resolve) => setTimeout(resolve, 100));
		hold.release();
		await expect(second).resolves.toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(graph.sent.map((s) => s.text)).toEqual(['kept']);
		expect(graph.attempts.find((a) => a.body?.text?.body === 'dropped')).toMatchObject({ abandoned: true, status: 0 });
		expect(await sendText(graph.url, '492', 'after release')).toBe(200);
	});

	it('connectionDropped reads the whole request, closes the connection unanswered, and accepts nothing; the next call goes through', async () => {
		graph.failNext(graph.errors.connectionDropped());
		const dropped = await sendText(graph.url, '493', 'lost in transit').catch((error: Error) => error);
		expect(dropped).toMatchObject({ message: 'fetch failed', cause: { code: 'UND_ERR_SOCKET' } });
		expect(graph.attempts).toHaveLength(1);
		expect(graph.attempts[0]).toMatchObject({ status: 0, injected: true, body: { text: { body: 'lost in transit' } } });
		expect(graph.requests[0]).toMatchObject({ status: 0, body: { to: '493', text: { body: 'lost in transit' } } });
		expect(graph.sent).toHaveLength(0);
		expect(await sendText(graph.url, '493', 'again')).toBe(200);
		expect(graph.sent.map((s) => [s.to, s.text])).toEqual([['493', 'again']]);
	});
});

describe('stripe-sim automatic retries', () => {
	let answers: number[] = [];
	const fixture = useStripeSimWithReceiver({ secretKeys: ['sk_test_unit'], webhookSecret: 'whsec_unit', retryDelaysMs: [50, 50, 50] }, () => answers.shift() ?? 200);
	let stripe: StripeSim;
	beforeEach(() => {
		stripe = fixture.sim;
	});

	it('retries a failed delivery on its schedule and stops at the first 2xx', async () => {
		answers = [500, 503, 200];
		const record = await stripe.emit('checkout.session.completed', { id: 'cs_test_unit', object: 'checkout.session' });
		await stripe.waitForDelivered(record.id, { timeoutMs: 5_000 });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(record.deliveries.map((d) => d.status)).toEqual([500, 503, 200]);
		expect(fixture.received).toHaveLength(3);
	});

	it('gives up when the schedule is spent, and never retries a delivered event', async () => {
		answers = [500, 500, 500, 500, 500];
		const failing = await stripe.emit('invoice.paid', { id: 'in_unit', object: 'invoice' });
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect(failing.deliveries).toHaveLength(4);
		expect(failing.delivered).toBe(false);
		await expect(stripe.waitForDelivered(failing.id, { timeoutMs: 200 })).rejects.toThrow(/not delivered/);

		answers = [];
		const fine = await stripe.emit('invoice.paid', { id: 'in_unit_2', object: 'invoice' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(fine.deliveries.map((d) => d.status)).toEqual([200]);
	});
});

describe('graph-sim: the Graph API answers the nodes and credential tests rely on', () => {
	const GOOD = 'EAAG-good';
	let graph: any;
	let phoneId: string;
	let igId: string;
	beforeEach(async () => {
		graph = await startGraphSim({ accessTokens: [GOOD] });
		phoneId = graph.whatsappNumbers[0].id;
		igId = graph.instagramAccounts[0].id;
	});
	afterEach(async () => {
		await graph.stop();
	});

	async function call(method: string, path: string, body?: unknown, token = GOOD) {
		const response = await fetch(`${graph.url}/v26.0/${path}`, {
			method,
			headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await response.text();
		let data: any = text;
		try {
			data = JSON.parse(text);
		} catch {
			// An HTML error page (502) stays text.
		}
		return { status: response.status, headers: response.headers, data };
	}
	const waText = (body: string) => ({ messaging_product: 'whatsapp', to: '4915112345678', type: 'text', text: { body } });

	it('answers the credential look-ups: the phone number, Instagram me, an unknown id (100) and a bad token (401/190)', async () => {
		const phone = await call('GET', phoneId);
		expect(phone.status).toBe(200);
		expect(phone.data.id).toBe(phoneId);
		expect(phone.data.display_phone_number && phone.data.verified_name && phone.data.quality_rating).toBeTruthy();
		expect(Object.keys((await call('GET', 'me?fields=user_id,username')).data).sort()).toEqual(['id', 'user_id', 'username']);
		const unknown = await call('GET', '999');
		expect(unknown.status).toBe(400);
		expect(unknown.data.error.code).toBe(100);
		const bad = await call('GET', phoneId, undefined, 'nope');
		expect(bad.status).toBe(401);
		expect(bad.data.error).toMatchObject({ code: 190, type: 'OAuthException' });
		expect(bad.data.error.fbtrace_id).toBeTruthy();
	});

	it('records WhatsApp text and CTA and Instagram text and button sends (sent, sentTo, waitForSends, urls)', async () => {
		const text = await call('POST', `${phoneId}/messages`, { ...waText('Hello'), recipient_type: 'individual', text: { body: 'Hello', preview_url: false } });
		expect(text.status).toBe(200);
		expect(text.data.messaging_product).toBe('whatsapp');
		expect(text.data.contacts).toEqual([{ input: '4915112345678', wa_id: '4915112345678' }]);
		expect(text.data.messages[0].id).toMatch(/^wamid\.SIM/);
		const cta = {
			messaging_product: 'whatsapp',
			to: '4915112345678',
			type: 'interactive',
			interactive: { type: 'cta_url', body: { text: 'Your room is ready to pay' }, action: { name: 'cta_url', parameters: { display_text: 'Pay now', url: 'http://127.0.0.1:1/pay/cs_x' } } },
		};
		expect((await call('POST', `${phoneId}/messages`, cta)).status).toBe(200);
		const ig = await call('POST', 'me/messages', { recipient: { id: '1789000000001' }, message: { text: 'Hi from IG' } });
		expect(ig.status).toBe(200);
		expect(ig.data.recipient_id).toBe('1789000000001');
		expect(ig.data.message_id).toMatch(/^m_SIM/);
		const button = {
			recipient: { id: '1789000000001' },
			message: { attachment: { type: 'template', payload: { template_type: 'button', text: 'Pay here', buttons: [{ type: 'web_url', url: 'http://127.0.0.1:1/pay/cs_y', title: 'Pay' }] } } },
		};
		expect((await call('POST', `${igId}/messages`, button)).status).toBe(200);

		expect(await graph.waitForSends(4, { timeoutMs: 2000 })).toHaveLength(4);
		expect(graph.sentTo('4915112345678')).toHaveLength(2);
		expect(graph.sentTo('1789000000001')).toHaveLength(2);
		expect(graph.sentTo('4915112345678')[1].urls).toEqual(['http://127.0.0.1:1/pay/cs_x']);
		expect(graph.sentTo('1789000000001')[1].urls).toEqual(['http://127.0.0.1:1/pay/cs_y']);
		expect(graph.sent[2]).toMatchObject({ channel: 'instagram', accountId: 'me' });
		expect(graph.sent[0].version).toBe('v26.0');
	});

	it('refuses a CTA label over 20 characters (131009) and a send with a bad token (401/190)', async () => {
		const long = {
			messaging_product: 'whatsapp',
			to: '1',
			type: 'interactive',
			interactive: { type: 'cta_url', body: { text: 'x' }, action: { name: 'cta_url', parameters: { display_text: 'This label is far too long', url: 'https://x.test' } } },
		};
		const refused = await call('POST', `${phoneId}/messages`, long);
		expect(refused.status).toBe(400);
		expect(refused.data.error.code).toBe(131009);
		const bad = await call('POST', `${phoneId}/messages`, waText('x'), 'bad');
		expect(bad.status).toBe(401);
		expect(bad.data.error.code).toBe(190);
		expect(graph.sent).toHaveLength(0);
	});

	it("failNext answers each queued preset with Meta's status and code, in order, then lets the send through", async () => {
		graph.failNext(graph.errors.throttled());
		graph.failNext(graph.errors.outsideWindow());
		graph.failNext(graph.errors.pairRateLimit());
		graph.failNext(graph.errors.tooManyRequests(7));
		graph.failNext(graph.errors.serverError(503));
		graph.failNext(graph.errors.apiRateLimit(), 2);
		graph.failNext(graph.errors.badGateway());
		const seen: Array<[number, number | null]> = [];
		for (let i = 0; i < 8; i++) {
			const r = await call('POST', `${phoneId}/messages`, waText('retry me'));
			seen.push([r.status, typeof r.data === 'object' ? r.data.error.code : null]);
			if (r.status === 429) expect(r.headers.get('retry-after')).toBe('7');
		}
		expect(seen).toEqual([
			[400, 130429],
			[400, 131047],
			[400, 131056],
			[429, 4],
			[503, 2],
			[400, 613],
			[400, 613],
			[502, null],
		]);
		expect(graph.errors.throttled().body.error.error_data.details).toBe('Cloud API message throughput has been reached.');
		expect((await call('POST', `${phoneId}/messages`, waText('retry me'))).status).toBe(200);
		expect(graph.sentTo('4915112345678')).toHaveLength(1);
		expect(graph.attempts.filter((a: any) => a.injected)).toHaveLength(8);
	});

	it('reset forgets sends, attempts, requests and failures; waitForSends gives up at its timeout', async () => {
		graph.failNext(graph.errors.throttled());
		await call('POST', `${phoneId}/messages`, waText('one'));
		await call('POST', `${phoneId}/messages`, waText('two'));
		graph.failNext(graph.errors.throttled());
		expect(graph.sent.length + graph.attempts.length + graph.requests.length + graph.pendingFailures()).toBeGreaterThan(0);
		graph.reset();
		expect(graph.sent.length + graph.attempts.length + graph.requests.length + graph.pendingFailures()).toBe(0);
		await expect(graph.waitForSends(1, { timeoutMs: 100 })).rejects.toThrow(/timed out/);
	});
});

describe('llm-sim: the request shapes beyond plain content that n8n model nodes send', () => {
	const KEY = 'sk-sim';
	const SYSTEM = [
		'You read the latest messages of a customer chatting with a shop and report what they ask for, as one JSON object.',
		'<today>2026-05-01 (Friday)</today>',
		'<catalog>',
		JSON.stringify([
			{ key: 'deluxe-room', name: 'Grand Hotel Deluxe Room', kind: 'per_night' },
			{ key: 'saas-pro-monthly', name: 'Pro plan (monthly)', kind: 'subscription' },
		]),
		'</catalog>',
		'<order_so_far>',
		'{}',
		'</order_so_far>',
	].join('\n');
	const TEXT = 'Hi, I need 2 deluxe rooms June 15-17, email anna@example.com';
	const EXPECTED = { intent: 'order', productKey: 'deluxe-room', quantity: 2, nights: null, checkIn: '2026-06-15', checkOut: '2026-06-17', email: 'anna@example.com' };
	const MESSAGES = [
		{ role: 'system', content: SYSTEM },
		{ role: 'user', content: TEXT },
	];
	const TOOLS = [
		{
			type: 'function',
			function: {
				name: 'extract',
				parameters: {
					type: 'object',
					properties: { output: { type: 'object', properties: { intent: { type: 'string' }, productKey: { type: 'string' }, checkIn: { type: 'string' }, checkOut: { type: 'string' } } } },
					required: ['output'],
				},
			},
		},
	];
	let llm: LlmSim;
	beforeAll(async () => {
		llm = await startLlmSim({ apiKey: KEY, now: new Date('2026-05-01T12:00:00Z') });
	});
	afterAll(async () => {
		await llm.stop();
	});
	beforeEach(() => llm.reset());

	async function post(url: string, body: Record<string, unknown>) {
		const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: response.status, text: await response.text() };
	}
	const sseData = (text: string) =>
		text
			.split('\n\n')
			.filter(Boolean)
			.map((chunk) => chunk.replace(/^data: /, ''));

	it('shapes content to a json_schema response_format (aliases, nullables), also for array content without /v1 in the path', async () => {
		const r = await post(`${llm.url}/chat/completions`, {
			model: 'gpt-4o-mini',
			messages: [
				{ role: 'system', content: SYSTEM },
				{ role: 'user', content: [{ type: 'text', text: 'pro plan please, 5 seats' }] },
			],
			response_format: {
				type: 'json_schema',
				json_schema: {
					name: 'extract',
					strict: true,
					schema: {
						type: 'object',
						properties: { product: { type: 'string' }, quantity: { type: 'integer' }, check_in: { type: ['string', 'null'] }, email: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
						required: ['product', 'quantity', 'check_in', 'email'],
						additionalProperties: false,
					},
				},
			},
		});
		expect(r.status).toBe(200);
		expect(JSON.parse(JSON.parse(r.text).choices[0].message.content)).toEqual({ product: 'saas-pro-monthly', quantity: 5, check_in: null, email: null });
	});

	it('answers a forced tool with one tool call whose arguments are shaped to its parameters (wrapped in output)', async () => {
		const r = await post(`${llm.baseURL}/chat/completions`, {
			model: 'gpt-4o-mini',
			messages: [
				{ role: 'system', content: SYSTEM },
				{ role: 'user', content: 'deluxe 15-17 June' },
			],
			tools: TOOLS,
			tool_choice: { type: 'function', function: { name: 'extract' } },
		});
		const choice = JSON.parse(r.text).choices[0];
		expect(choice.finish_reason).toBe('tool_calls');
		expect(choice.message.tool_calls[0].function.name).toBe('extract');
		expect(JSON.parse(choice.message.tool_calls[0].function.arguments)).toEqual({ output: { intent: 'order', productKey: 'deluxe-room', checkIn: '2026-06-15', checkOut: '2026-06-17' } });
		expect(llm.requests[0].reading?.productKey).toBe('deluxe-room');
	});

	it('streams a tool call as SSE argument chunks ending in [DONE]', async () => {
		const r = await post(`${llm.baseURL}/chat/completions`, { model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: MESSAGES, tools: TOOLS });
		const chunks = sseData(r.text);
		expect(chunks[chunks.length - 1]).toBe('[DONE]');
		const args = chunks
			.slice(0, -1)
			.map((c) => JSON.parse(c))
			.flatMap((c) => c.choices.map((ch: any) => ch.delta?.tool_calls?.[0]?.function?.arguments ?? ''))
			.join('');
		expect(JSON.parse(args).output.productKey).toBe('deluxe-room');
	});

	it('streams the Responses API as events ending in response.completed', async () => {
		const r = await post(`${llm.baseURL}/responses`, { model: 'gpt-4.1-mini', stream: true, instructions: SYSTEM, input: TEXT });
		expect(r.status).toBe(200);
		expect(r.text).toMatch(/event: response\.completed/);
		const plain = await post(`${llm.baseURL}/responses`, { model: 'gpt-4.1-mini', instructions: SYSTEM, input: [{ role: 'user', content: [{ type: 'input_text', text: TEXT }] }] });
		expect(JSON.parse(JSON.parse(plain.text).output[0].content[0].text)).toEqual(EXPECTED);
	});
});
