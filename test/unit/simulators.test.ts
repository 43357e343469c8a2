/**
 * The fault-injection parts of the loopback simulators that the e2e fault tests rely on: if these lied,
 * a fault test could pass without the fault ever happening.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startGraphSim, type GraphSim } from '../../tools/sandbox/graph';

const { startStripeSim } = require('../../tools/sandbox/stripe');

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
	let receiver: Server;
	let answers: number[];
	let received: number;
	let stripe: any;
	beforeEach(async () => {
		received = 0;
		receiver = createServer((req, res) => {
			received += 1;
			req.resume();
			res.writeHead(answers.shift() ?? 200).end();
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		stripe = await startStripeSim({ secretKeys: ['sk_test_unit'], webhookSecret: 'whsec_unit', retryDelaysMs: [50, 50, 50] });
		stripe.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/stripe`);
	});
	afterEach(async () => {
		await stripe.stop();
		await new Promise((resolve) => receiver.close(resolve));
	});

	it('retries a failed delivery on its schedule and stops at the first 2xx', async () => {
		answers = [500, 503, 200];
		const record = await stripe.emit('checkout.session.completed', { id: 'cs_test_unit', object: 'checkout.session' });
		await stripe.waitForDelivered(record.id, { timeoutMs: 5_000 });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(record.deliveries.map((d: any) => d.status)).toEqual([500, 503, 200]);
		expect(received).toBe(3);
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
		expect(fine.deliveries.map((d: any) => d.status)).toEqual([200]);
	});
});
