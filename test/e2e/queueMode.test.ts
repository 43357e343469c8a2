/**
 * The template in n8n's queue mode, from real parts (test/e2e/harness/queue): PostgreSQL, Redis, one main, two
 * webhook hosts behind a round-robin load balancer, two workers; the pack installed in every process's own
 * user folder. Meta and Stripe (simulators) call the load balancer, or — to play a redelivery that lands on
 * the other host — each host directly.
 *
 * The concurrency trials print their figures (docs/queue-mode-notes.md records them).
 */
const fs = require('node:fs');
const path = require('node:path');
const { startQueueSandbox } = require('./harness/queue/sandbox');
const { whatsAppWebhookBody, nextMessageId } = require('./harness/sandbox');
const { eventually } = require('./harness/waiting');

export {};

/* eslint-disable @typescript-eslint/no-explicit-any */
type Sandbox = any;
let sandbox: Sandbox;
let nextUser = 0;
const figures: Record<string, unknown> = {};

function newCustomer(channel: 'whatsapp' | 'instagram'): string {
	nextUser += 1;
	return channel === 'whatsapp' ? `49152000${String(nextUser).padStart(5, '0')}` : `70000000099${String(nextUser).padStart(5, '0')}`;
}
const sendsTo = (user: string) => sandbox.graph.sent.filter((s: any) => s.to === user);
const linksTo = (user: string) => sendsTo(user).filter((s: any) => (s.urls ?? []).length > 0);
const sessionIdFromLink = (link: any): string => link.urls[0].slice(link.urls[0].lastIndexOf('/') + 1);
/** Checkout sessions Stripe holds for one inbound message, and how many create calls reached Stripe for it. */
const sessionsFor = (messageId: string) => [...sandbox.stripe.sessions.values()].filter((s: any) => s.metadata?.chat_message_id === messageId).length;
const createCallsFor = (messageId: string) =>
	sandbox.stripe.requests.filter((r: any) => r.method === 'POST' && r.path === '/v1/checkout/sessions' && r.params.metadata?.chat_message_id === messageId).length;
const UNFINISHED = ['running', 'new', 'waiting', 'queued'];
const allSettled = async () =>
	await eventually('all runs to finish', async () => {
		const list = await sandbox.api.listExecutions(sandbox.workflowId, { limit: 100 });
		return list.every((e: any) => !UNFINISHED.includes(e.status)) ? list.length : undefined;
	}, 300_000);
const executionsSince = async (since: number) =>
	(await sandbox.api.listExecutions(sandbox.workflowId, { limit: 100 })).filter((e: any) => Date.parse(e.startedAt) >= since);

function record(name: string, value: unknown) {
	figures[name] = value;
	process.stdout.write(`[queue figures] ${name}: ${JSON.stringify(value)}\n`);
}

beforeAll(async () => {
	sandbox = await startQueueSandbox({
		log: (line: string) => process.stdout.write(`[queue sandbox] ${line}\n`),
		// First the pack as it was: the per-host seen-id memory only (the shared claims come later in this file).
		hostEnv: (name: string) => (name.startsWith('webhook') ? { CHAT_CHECKOUT_SHARED_DEDUPE: 'false' } : {}),
	});
}, 1_500_000);

afterAll(async () => {
	if (sandbox) {
		const file = path.join(__dirname, '..', '..', '.sandbox', 'queue-figures.json');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2));
	}
	await sandbox?.stop();
}, 120_000);

describe('queue mode, through the load balancer', () => {
	it('every process runs its own n8n with its own user folder, and the pack loaded from it', () => {
		const processes = [sandbox.queue.main, ...sandbox.queue.webhookHosts, ...sandbox.queue.workers];
		expect(processes.map((p: any) => p.name).sort()).toEqual(['main', 'webhook-1', 'webhook-2', 'worker-1', 'worker-2']);
		const folders = new Set(processes.map((p: any) => p.handle().userFolder));
		expect(folders.size).toBe(5);
		for (const p of processes) {
			const installed = path.join(p.handle().userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-chat-checkout', 'package.json');
			expect(JSON.parse(fs.readFileSync(installed, 'utf8')).version).toBe(require('../../package.json').version);
		}
	});

	it('WhatsApp: DM → link → pay → confirmation, the row paid (executions on the workers)', async () => {
		const user = newCustomer('whatsapp');
		const delivery = await sandbox.customerSays('whatsapp', 'Hi! I want to book the Deluxe Suite for June 15-17', { from: user });
		expect(delivery.status).toBe(200);
		const [link] = await sandbox.graph.waitForSends(1, { to: user, timeoutMs: 90_000 });
		expect(link.text).toMatch(/checkout link/i);
		const sessionId = sessionIdFromLink(link);
		await sandbox.stripe.pay(sessionId);
		const [, confirmation] = await sandbox.graph.waitForSends(2, { to: user, timeoutMs: 90_000 });
		expect(confirmation.text).toMatch(/Payment received \(398\.00 USD\)/);
		const rows = (await sandbox.orders()).filter((r: any) => r.sessionId === sessionId);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ status: 'paid', repliedStatus: 'paid', userId: user });
		// main serves no production webhooks (N8N_DISABLE_PRODUCTION_MAIN_PROCESS): the runs came through the hosts
		expect(sandbox.queue.proxy.counts().reduce((a: number, b: number) => a + b, 0)).toBeGreaterThanOrEqual(2);
		const workerLogs = sandbox.queue.workers.map((w: any) => w.handle().logs()).join('\n');
		expect(workerLogs).toMatch(/Worker finished execution \d+/);
	});

	it('Instagram: a subscription — link, subscribe, "active until"', async () => {
		const user = newCustomer('instagram');
		await sandbox.customerSays('instagram', 'Hello! I would like to subscribe to the Pro plan', { from: user });
		const [link] = await sandbox.graph.waitForSends(1, { to: user, timeoutMs: 90_000 });
		const sessionId = sessionIdFromLink(link);
		await sandbox.stripe.pay(sessionId);
		const [, active] = await sandbox.graph.waitForSends(2, { to: user, timeoutMs: 90_000 });
		expect(active.text).toMatch(/subscription is active until/);
		const [row] = (await sandbox.orders()).filter((r: any) => r.sessionId === sessionId);
		expect(row.status).toBe('active');
		expect(sandbox.queue.proxy.counts().every((n: number) => n > 0)).toBe(true); // round robin used both hosts
	});
});

/**
 * One trial: the same signed DM posted to both webhook hosts at the same moment. Returns per trial what the
 * customer and the shop ended up with.
 */
async function sameDmToBothHostsAtOnce(trials: number) {
	const since = Date.now();
	const results: Array<{ user: string; messageId: string; body: any; statuses: number[] }> = [];
	for (let i = 0; i < trials; i++) {
		const user = newCustomer('whatsapp');
		const messageId = nextMessageId('whatsapp');
		const body = whatsAppWebhookBody({ from: user, text: 'I want to book the Deluxe Suite for June 15-17', messageId, name: 'Race' });
		const answers = await Promise.all([sandbox.postToHost(0, 'whatsapp', body), sandbox.postToHost(1, 'whatsapp', body)]);
		results.push({ user, messageId, body, statuses: answers.map((a: any) => a.status) });
		await new Promise((r) => setTimeout(r, 150)); // bounded pace: 25 trials ≈ 4 s
	}
	// Every trial ends with at least one link (no DM is lost); wait for it, then for all runs to finish.
	await eventually('a link for every trial', () => results.every((t) => linksTo(t.user).length >= 1), 240_000);
	await new Promise((r) => setTimeout(r, 2000)); // a second run of a pair may start a moment later
	await allSettled();
	// Meta retries a delivery that did not get a 200 (through the load balancer, as it calls the public URL).
	const retries: number[] = [];
	for (const t of results) {
		for (const status of t.statuses) if (status !== 200) retries.push((await sandbox.postMeta('whatsapp', t.body)).status);
	}
	if (retries.length > 0) {
		await new Promise((r) => setTimeout(r, 2000));
		await allSettled();
	}
	const runs = await executionsSince(since);
	const rows = await sandbox.orders();
	const perTrial = results.map((t) => ({
		links: linksTo(t.user).length,
		sessions: sessionsFor(t.messageId),
		createCalls: createCallsFor(t.messageId),
		rows: rows.filter((r: any) => r.userId === t.user).length,
	}));
	const tally = (key: 'links' | 'sessions' | 'rows' | 'createCalls') => perTrial.reduce((acc: Record<number, number>, t) => ({ ...acc, [t[key]]: (acc[t[key]] ?? 0) + 1 }), {});
	return {
		trials,
		answers: results.flatMap((t) => t.statuses).reduce((acc: Record<number, number>, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {}),
		pairsWithA200: results.filter((t) => t.statuses.includes(200)).length,
		retriedByMeta: retries.reduce((acc: Record<number, number>, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {}),
		runsStarted: runs.length,
		runStatuses: runs.reduce((acc: Record<string, number>, e: any) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }), {}),
		linksPerTrial: tally('links'),
		sessionsPerTrial: tally('sessions'),
		stripeCreateCallsPerTrial: tally('createCalls'),
		rowsPerTrial: tally('rows'),
		trialsWithTwoLinks: perTrial.filter((t) => t.links > 1).length,
		trialsWithTwoRows: perTrial.filter((t) => t.rows > 1).length,
	};
}

describe('the same DM delivered to both webhook hosts at the same moment (25 trials)', () => {
	it('per-host memory only (the pack before queue-mode claims): measured, every DM answered', async () => {
		const result = await sameDmToBothHostsAtOnce(25);
		record('sameDmBothHosts.perHostMemoryOnly', result);
		expect(result.answers).toEqual({ 200: 50 });
		expect(result.runsStarted).toBeGreaterThanOrEqual(25); // nothing lost
	}, 600_000);

	it("with the shared claims in n8n's Redis (on by itself in queue mode): one run, one session, one link, one row per DM", async () => {
		// The same hosts, restarted as an operator would deploy the new setting (here: removing the opt-out).
		for (const host of sandbox.queue.webhookHosts) await host.restart({ CHAT_CHECKOUT_SHARED_DEDUPE: undefined });
		const result = await sameDmToBothHostsAtOnce(25);
		record('sameDmBothHosts.sharedClaims', result);
		// One copy of each pair is taken; the other is dropped (200) or, while the first is still being queued,
		// refused (503) — and Meta's retry of it is then dropped with 200.
		expect(result.pairsWithA200).toBe(25);
		expect(Object.keys(result.answers).sort()).toEqual(expect.arrayContaining(['200']));
		expect(Object.keys(result.answers).every((s) => s === '200' || s === '503')).toBe(true);
		expect(Object.keys(result.retriedByMeta).every((s) => s === '200')).toBe(true);
		expect(result.runsStarted).toBe(25);
		expect(result.linksPerTrial).toEqual({ 1: 25 });
		expect(result.sessionsPerTrial).toEqual({ 1: 25 });
		expect(result.rowsPerTrial).toEqual({ 1: 25 });
		const keys = sandbox.queue.redis.cli('--scan', '--pattern', 'n8n:chat-checkout:seen:*').split('\n').filter(Boolean);
		expect(keys.length).toBeGreaterThanOrEqual(25);
	}, 600_000);
});

describe('the same Stripe event delivered to both webhook hosts at the same moment', () => {
	it('measured: row changes and confirmations per event (10 trials), then Stripe retries the failed deliveries', async () => {
		const trials = 10;
		// Ten customers order first (through the load balancer) …
		const orders: Array<{ user: string; sessionId: string }> = [];
		for (let i = 0; i < trials; i++) {
			const user = newCustomer('whatsapp');
			await sandbox.customerSays('whatsapp', 'I want the deluxe room June 20-23', { from: user });
			orders.push({ user, sessionId: '' });
		}
		for (const order of orders) order.sessionId = sessionIdFromLink((await sandbox.graph.waitForSends(1, { to: order.user, timeoutMs: 120_000 }))[0]);
		await allSettled();
		// … then each pays; Stripe's checkout.session.completed reaches both hosts at once, same bytes and signature.
		const statuses: number[] = [];
		const failedDeliveries: string[] = [];
		for (const order of orders) {
			const action = await sandbox.stripe.pay(order.sessionId, { deliver: false });
			const event = action.events.find((e: any) => e.type === 'checkout.session.completed');
			const signed = sandbox.stripe.signedRequest(event.payload); // the exact bytes Stripe would send
			const hostUrls = sandbox.queue.webhookHosts.map((h: any) => sandbox.urls.stripe.replace(sandbox.queue.proxy.url, h.handle().baseUrl));
			const answers = await Promise.all(hostUrls.map((url: string) => fetch(url, { method: 'POST', headers: signed.headers, body: signed.body })));
			statuses.push(...answers.map((a) => a.status));
			for (const a of answers) if (a.status !== 200) failedDeliveries.push(event.payload);
		}
		await eventually('a confirmation for every order', () => orders.every((o) => sendsTo(o.user).length >= 2), 180_000);
		await new Promise((r) => setTimeout(r, 2000));
		await allSettled();
		// Stripe retries each delivery that did not get a 2xx (fresh signature, through the load balancer).
		const retries: number[] = [];
		for (const payload of failedDeliveries) {
			const signed = sandbox.stripe.signedRequest(payload);
			retries.push((await fetch(sandbox.urls.stripe, { method: 'POST', headers: signed.headers, body: signed.body })).status);
		}
		await new Promise((r) => setTimeout(r, 2000));
		await allSettled();
		const rows = await sandbox.orders();
		const perTrial = orders.map((o) => ({
			confirmations: sendsTo(o.user).filter((s: any) => /Payment received/.test(s.text ?? '')).length,
			paidRows: rows.filter((r: any) => r.sessionId === o.sessionId && r.status === 'paid').length,
		}));
		const result = {
			trials,
			answers: statuses.reduce((acc: Record<number, number>, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {}),
			stripeRetries: retries.reduce((acc: Record<number, number>, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {}),
			confirmationsPerEvent: perTrial.reduce((acc: Record<number, number>, t) => ({ ...acc, [t.confirmations]: (acc[t.confirmations] ?? 0) + 1 }), {}),
			paidRowsPerEvent: perTrial.reduce((acc: Record<number, number>, t) => ({ ...acc, [t.paidRows]: (acc[t.paidRows] ?? 0) + 1 }), {}),
		};
		record('sameStripeEventBothHosts', result);
		expect(perTrial.every((t) => t.paidRows === 1 && t.confirmations >= 1)).toBe(true); // paid once, never unconfirmed
		expect(retries.every((status) => status === 200)).toBe(true); // a retry finds nothing owed and succeeds
	}, 600_000);
});

describe('a webhook host goes away', () => {
	it('SIGKILL of one host: the load balancer passes its share to the other, every DM is answered; it comes back', async () => {
		const [, second] = sandbox.queue.webhookHosts;
		await second.kill();
		const before = sandbox.queue.proxy.counts();
		const users = [newCustomer('whatsapp'), newCustomer('instagram'), newCustomer('whatsapp'), newCustomer('instagram')];
		const answers = [];
		for (const [i, user] of users.entries()) {
			const channel = i % 2 === 0 ? 'whatsapp' : 'instagram';
			answers.push((await sandbox.customerSays(channel, 'I want to book the Deluxe Suite for June 15-17', { from: user })).status);
		}
		expect(answers).toEqual([200, 200, 200, 200]);
		const after = sandbox.queue.proxy.counts();
		expect([after[0] - before[0], after[1] - before[1]]).toEqual([4, 0]);
		for (const user of users) await sandbox.graph.waitForSends(1, { to: user, timeoutMs: 120_000 });

		await second.restart();
		const back = newCustomer('whatsapp');
		const counts = sandbox.queue.proxy.counts();
		for (let i = 0; i < 2; i++) await sandbox.customerSays('whatsapp', 'I want to book the Deluxe Suite for June 15-17', { from: i === 0 ? back : newCustomer('whatsapp') });
		expect(sandbox.queue.proxy.counts()[1] - counts[1]).toBe(1); // round robin includes it again
		await sandbox.graph.waitForSends(1, { to: back, timeoutMs: 120_000 });
	}, 300_000);
});
