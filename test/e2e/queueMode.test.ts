/**
 * The template in n8n's queue mode, from real parts (test/e2e/harness/queue): PostgreSQL, Redis, one main, two
 * webhook hosts behind a round-robin load balancer, two workers; the pack installed in every process's own
 * user folder. Meta and Stripe (simulators) call the load balancer, or each host directly — a redelivery may
 * land on the other host.
 *
 * Workers run with short stall detection (QUEUE_WORKER_LOCK_DURATION 10 s, …_STALLED_INTERVAL 5 s) so that a
 * killed worker is noticed in seconds, not the default ~80 s; every process compares the pack's processes
 * with n8n's every 5 s (CHAT_CHECKOUT_PROCESS_CHECK_SECONDS); N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true as the README
 * recommends (the other e2e suites run n8n's defaults). Figures go to stdout and .sandbox/queue-figures.json.
 */
import fs from 'node:fs';
import path from 'node:path';

import { startQueueSandbox } from '../../tools/n8n/queue/sandbox';
import { type SlowModelProxy, startSlowModelProxy } from '../../tools/n8n/queue/slowModel';
import { whatsAppWebhookBody, instagramWebhookBody, nextMessageId } from '../../tools/n8n/sandbox';
import { eventually, UNFINISHED } from '../../tools/wait';
import type { N8nJson } from '../../tools/n8n/api';
import type { QueueProcess } from '../../tools/n8n/queue/sandbox';
import type { SentMessage } from '../../tools/sandbox/graph';
import type { EventRecord } from '../../tools/sandbox/stripe';
import { metaSignature } from '../../tools/sandbox/metaWebhooks';

type Sandbox = Awaited<ReturnType<typeof startQueueSandbox>>;
type Channel = 'whatsapp' | 'instagram';
let sandbox: Sandbox;
let model: SlowModelProxy;
let nextUser = 0;
const figures: Record<string, unknown> = {};
const ORDER = 'I want the deluxe room June 20-23';
const SHORT_STALL = { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newCustomer(channel: Channel): string {
	nextUser += 1;
	return channel === 'whatsapp' ? `49155000${String(nextUser).padStart(5, '0')}` : `70000000088${String(nextUser).padStart(5, '0')}`;
}
const bodyOf = (channel: Channel, user: string, text: string, messageId: string) =>
	channel === 'whatsapp' ? whatsAppWebhookBody({ from: user, text, messageId, name: 'Queue' }) : instagramWebhookBody({ from: user, text, messageId });
const sendsTo = (user: string) => sandbox.graph.sent.filter((s) => s.to === user);
const linksTo = (user: string) => sendsTo(user).filter((s) => (s.urls ?? []).some((u: string) => u.includes('/pay/')));
const sessionIdFromLink = (link: SentMessage): string => {
	const url = link.urls.find((u: string) => u.includes('/pay/'))!;
	return url.slice(url.lastIndexOf('/') + 1);
};
const sessionsOf = (user: string) => [...sandbox.stripe.sessions.values()].filter((s) => String(s.metadata?.chat_user_id ?? '') === user);
const tally = (values: Array<string | number>) => values.reduce((acc: Record<string, number>, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});

/** Every row of a data table (paged). */
async function allRows(table: 'chat_checkout_orders' | 'chat_checkout_chats'): Promise<N8nJson[]> {
	const rows: N8nJson[] = [];
	for (let skip = 0; skip < 5000; skip += 250) {
		const page = await sandbox.api.listRows(sandbox.tableIds[table], { take: 250, skip });
		rows.push(...(page.data ?? []));
		if ((page.data ?? []).length < 250) break;
	}
	return rows;
}

/** Runs task(i) for i < count with at most `width` at once. */
async function pool(count: number, width: number, task: (i: number) => Promise<void>) {
	let next = 0;
	await Promise.all(Array.from({ length: width }, async () => {
		while (next < count) await task(next++);
	}));
}

const allSettled = async (workflowId = sandbox.workflowId) =>
	await eventually('all runs to finish', async () => {
		const list = await sandbox.api.listExecutions(workflowId, { limit: 100 });
		return list.every((e) => !UNFINISHED.includes(e.status)) ? list.length : undefined;
	}, 300_000);

/** A signed Stripe event to one webhook host (the same bytes Stripe would send), or through the balancer. */
async function deliverStripe(payload: string, hostIndex: number | 'balancer'): Promise<number> {
	const signed = sandbox.stripe.signedRequest(payload);
	const url = hostIndex === 'balancer' ? sandbox.urls.stripe : sandbox.urls.stripe.replace(sandbox.queue.proxy.url, sandbox.queue.webhookHosts[hostIndex].handle().baseUrl);
	const answer = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(60_000) }).catch(() => undefined);
	return answer?.status ?? 0;
}

function record(name: string, value: unknown) {
	figures[name] = value;
	process.stdout.write(`[queue figures] ${name}: ${JSON.stringify(value)}\n`);
}

/** The worker whose log says it started this execution. */
const workerOf = (executionId: string) => sandbox.queue.workers.find((w) => new RegExp(`Worker started execution ${executionId} \\(`).test(w.handle().logs()));

beforeAll(async () => {
	// The model is reached through a proxy that can play a slow model (the races below).
	model = await startSlowModelProxy(() => sandbox.llm.baseURL);
	sandbox = await startQueueSandbox({
		log: (line: string) => process.stdout.write(`[queue sandbox] ${line}\n`),
		// Shorter than the shipped 120 s so a killed worker's claim passes to Stripe's retry within the test, long enough that
		// no run of the 200-DM burst outlives it (5 s did: 3 of 200 customers were confirmed twice).
		replyLeaseSeconds: 30,
		stripeRetryDelaysMs: [3000, 6000, 12_000, 24_000, 48_000],
		// The README's recommended setting for the webhook path (half the CPU per webhook call): keeps CI short.
		n8nEnv: { CHAT_CHECKOUT_PROCESS_CHECK_SECONDS: '5', N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
		hostEnv: (name: string) => (name.startsWith('worker') ? SHORT_STALL : {}),
		credentialData: (type: string, data: Record<string, unknown>) => (type === 'openAiApi' ? { ...data, url: model.baseURL } : data),
	});
}, 1_500_000);

afterAll(async () => {
	if (sandbox) {
		const file = path.join(__dirname, '..', '..', '.sandbox', 'queue-figures.json');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2));
	}
	await sandbox?.stop();
	await model?.stop();
}, 180_000);

describe('the deployment', () => {
	it('every process runs its own n8n with its own user folder and the pack loaded from it; each has written itself into Redis', async () => {
		const processes = [sandbox.queue.main, ...sandbox.queue.webhookHosts, ...sandbox.queue.workers];
		expect(processes.map((p) => p.name).sort()).toEqual(['main', 'webhook-1', 'webhook-2', 'worker-1', 'worker-2']);
		expect(new Set(processes.map((p) => p.handle().userFolder)).size).toBe(5);
		for (const p of processes) {
			const installed = path.join(p.handle().userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-chat-checkout', 'package.json');
			expect(JSON.parse(fs.readFileSync(installed, 'utf8')).version).toBe(require('../../package.json').version);
		}
		const registered = await eventually('every process in the registry', () => {
			const roles = sandbox.queue.redis.cli('HKEYS', 'n8n:chat-checkout:processes').split('\n').filter(Boolean).map((k: string) => k.split(':')[0]).sort();
			return roles.length >= 5 ? roles : undefined;
		}, 30_000);
		expect(registered).toEqual(['main', 'webhook', 'webhook', 'worker', 'worker']);
		expect(Number(sandbox.queue.redis.cli('PUBSUB', 'NUMSUB', 'n8n:n8n.commands').split('\n')[1])).toBe(5);
	});
});

describe('a burst: 200 DMs over both channels across both hosts, 25 % redelivered to the other host (25 at the same moment), then their payments', () => {
	const N = 200;
	const customers: Array<{ i: number; channel: Channel; user: string; messageId: string; host: number; sessionId?: string; event?: EventRecord }> = [];
	const hostOf = (i: number) => Math.floor(i / 2) % 2; // both channels reach both hosts

	it('DMs: one session, one link, one order row and one chat row per customer', async () => {
		for (let i = 0; i < N; i++) {
			const channel: Channel = i % 2 === 0 ? 'whatsapp' : 'instagram';
			customers.push({ i, channel, user: newCustomer(channel), messageId: nextMessageId(channel), host: hostOf(i) });
		}
		const body = (c: (typeof customers)[number]) => bodyOf(c.channel, c.user, ORDER, c.messageId);
		const statuses: Array<{ c: (typeof customers)[number]; status: number }> = [];
		const t0 = Date.now();
		// First deliveries; every eighth also to the other host at the same moment (25 trials of the race).
		await pool(N, 16, async (i) => {
			const c = customers[i];
			const copies = i % 16 === 0 || i % 16 === 9 ? [c.host, 1 - c.host] : [c.host]; // WhatsApp and Instagram alike
			const answers = await Promise.all(copies.map((h) => sandbox.postToHost(h, c.channel, body(c))));
			for (const a of answers) statuses.push({ c, status: a.status });
		});
		// Another eighth redelivered to the other host afterwards (Meta's retry of a delivery it thought lost).
		for (const c of customers.filter((x) => x.i % 16 === 4 || x.i % 16 === 13)) statuses.push({ c, status: (await sandbox.postToHost(1 - c.host, c.channel, body(c))).status });
		const sentMs = Date.now() - t0;
		await eventually('a link for every customer', () => customers.every((c) => linksTo(c.user).length >= 1), 420_000);
		const drainMs = Date.now() - t0;
		// Meta retries what was not answered 2xx (a copy refused while the other host was queuing it): through the balancer.
		const retries: number[] = [];
		for (const { c, status } of statuses) if (status !== 200) retries.push((await sandbox.postMeta(c.channel, body(c))).status);
		await sleep(4000); // a second run would start within the 3 s quiet window
		await allSettled();
		const orders = await allRows('chat_checkout_orders');
		const chats = await allRows('chat_checkout_chats');
		const per = customers.map((c) => ({
			links: linksTo(c.user).length,
			sessions: sessionsOf(c.user).length,
			orderRows: orders.filter((r) => String(r.userId) === c.user).length,
			chatRows: chats.filter((r) => String(r.userId) === c.user).length,
		}));
		record('burst.dms', {
			dms: N,
			deliveries: statuses.length,
			answers: tally(statuses.map((s) => s.status)),
			metaRetries: tally(retries),
			clientSendMs: sentMs,
			lastLinkAfterMs: drainMs,
			linksPerCustomer: tally(per.map((p) => p.links)),
			sessionsPerCustomer: tally(per.map((p) => p.sessions)),
			orderRowsPerCustomer: tally(per.map((p) => p.orderRows)),
			chatRowsPerCustomer: tally(per.map((p) => p.chatRows)),
			perHost: sandbox.queue.webhookHosts.map((h) => (h.handle().logs().match(/Enqueued execution/g) ?? []).length),
			perWorker: sandbox.queue.workers.map((w) => (w.handle().logs().match(/Worker finished execution/g) ?? []).length),
		});
		expect(statuses.every((s) => s.status === 200 || s.status === 503)).toBe(true); // 503: a copy while the other host queues it
		expect(retries.every((s) => s === 200)).toBe(true);
		expect(per.filter((p) => p.links !== 1 || p.sessions !== 1 || p.orderRows !== 1 || p.chatRows !== 1)).toEqual([]);
		for (const c of customers) c.sessionId = sessionIdFromLink(linksTo(c.user)[0]);
		// main serves no production webhooks (N8N_DISABLE_PRODUCTION_MAIN_PROCESS); both workers ran some.
		expect(sandbox.queue.workers.every((w) => /Worker finished execution \d+/.test(w.handle().logs()))).toBe(true);
	}, 900_000);

	it('payments: one paid row and one confirmation per customer, whatever host each delivery and redelivery reached', async () => {
		expect(customers.every((c) => c.sessionId)).toBe(true);
		for (const c of customers) {
			const paid = await sandbox.stripe.pay(c.sessionId!, { deliver: false });
			c.event = paid.events.find((e) => e.type === 'checkout.session.completed');
		}
		const answers: Array<{ c: (typeof customers)[number]; status: number }> = [];
		const t0 = Date.now();
		await pool(N, 16, async (i) => {
			const c = customers[i];
			const host = 1 - c.host;
			const copies = i % 8 === 1 ? [host, 1 - host] : [host];
			const statuses = await Promise.all(copies.map((h) => deliverStripe(c.event!.payload, h)));
			for (const status of statuses) answers.push({ c, status });
		});
		for (const c of customers.filter((x) => x.i % 8 === 5)) answers.push({ c, status: await deliverStripe(c.event!.payload, c.host) });
		// Stripe retries every event that got no 2xx, through the balancer, until it does (bounded).
		const retried: number[] = [];
		let owed = customers.filter((c) => !answers.some((a) => a.c === c && a.status >= 200 && a.status < 300));
		for (let round = 0; round < 6 && owed.length > 0; round++) {
			await sleep(round === 0 ? 6000 : 3000); // the run that won the claim has answered by then
			const now = await Promise.all(owed.map(async (c) => ({ c, status: await deliverStripe(c.event!.payload, 'balancer') })));
			retried.push(...now.map((x) => x.status));
			owed = now.filter((x) => x.status < 200 || x.status >= 300).map((x) => x.c);
		}
		await eventually('a confirmation for every customer', () => customers.every((c) => sendsTo(c.user).some((s) => /Payment received/.test(s.text ?? ''))), 300_000);
		const drainMs = Date.now() - t0;
		await sleep(2000);
		await allSettled(sandbox.workflowIds.payments);
		const orders = await allRows('chat_checkout_orders');
		const per = customers.map((c) => ({
			confirmations: sendsTo(c.user).filter((s) => /Payment received/.test(s.text ?? '')).length,
			paidRows: orders.filter((r) => r.sessionId === c.sessionId && r.status === 'paid').length,
		}));
		record('burst.stripe', {
			events: N,
			deliveries: answers.length + retried.length,
			answers: tally(answers.map((a) => a.status)),
			stripeRetries: tally(retried),
			lastConfirmationAfterMs: drainMs,
			confirmationsPerCustomer: tally(per.map((p) => p.confirmations)),
			paidRowsPerCustomer: tally(per.map((p) => p.paidRows)),
		});
		expect(owed).toEqual([]);
		expect(per.filter((p) => p.confirmations !== 1 || p.paidRows !== 1)).toEqual([]);
	}, 900_000);
});

describe('two turns of one chat at the same time', () => {
	it("a new customer's two first messages on the two hosts at once: one chat row, each message answered, one link", async () => {
		const users = Array.from({ length: 6 }, () => newCustomer('whatsapp'));
		await Promise.all(users.map(async (user, i) => {
			await sleep(i * 300);
			await Promise.all([
				sandbox.postToHost(0, 'whatsapp', bodyOf('whatsapp', user, 'hi there', nextMessageId('whatsapp'))),
				sandbox.postToHost(1, 'whatsapp', bodyOf('whatsapp', user, ORDER, nextMessageId('whatsapp'))),
			]);
		}));
		await eventually('two answers each', () => users.every((u) => sendsTo(u).length >= 2), 120_000);
		await sleep(4000);
		await allSettled();
		const chats = await allRows('chat_checkout_chats');
		const per = users.map((u) => ({ chatRows: chats.filter((r) => String(r.userId) === u).length, answers: sendsTo(u).length, sessions: sessionsOf(u).length }));
		record('races.firstMessagesOnBothHosts', { trials: users.length, chatRows: tally(per.map((p) => p.chatRows)), answers: tally(per.map((p) => p.answers)), sessions: tally(per.map((p) => p.sessions)) });
		expect(per.every((p) => p.chatRows === 1 && p.answers === 2 && p.sessions === 1)).toBe(true);
	}, 300_000);

	it('the next message arrives on the other host while the first turn waits for a slow model: it waits its turn, nothing is lost', async () => {
		const users = Array.from({ length: 4 }, () => newCustomer('whatsapp'));
		for (const [i, user] of users.entries()) await sandbox.postToHost(i % 2, 'whatsapp', bodyOf('whatsapp', user, 'hello', nextMessageId('whatsapp')));
		await eventually('greetings answered', () => users.every((u) => sendsTo(u).length >= 1), 120_000);
		await allSettled();
		model.slow.texts = [ORDER];
		model.slow.holdMs = 8000;
		const seconds = ['make it 2 rooms please', 'actually June 21-24 instead'];
		try {
			await Promise.all(users.map(async (user, i) => {
				await sleep(i * 300);
				await sandbox.postToHost(0, 'whatsapp', bodyOf('whatsapp', user, ORDER, nextMessageId('whatsapp')));
				await sleep(4000); // past the 3 s quiet window: a turn of its own, while the first is still reading
				await sandbox.postToHost(1, 'whatsapp', bodyOf('whatsapp', user, seconds[i % 2], nextMessageId('whatsapp')));
			}));
			await eventually('both turns answered', () => users.every((u) => sendsTo(u).length >= 3), 180_000);
		} finally {
			model.slow.texts = [];
		}
		await sleep(4000);
		await allSettled();
		const per = users.map((u, i) => {
			const last = sendsTo(u)[sendsTo(u).length - 1];
			const open = sessionsOf(u).filter((s) => s.status === 'open');
			return { asked: seconds[i % 2], last: String(last.text), openSessions: open.length, openAmount: open[0]?.amount_total };
		});
		record('races.slowTurnThenNextMessage', { trials: users.length, held: model.slow.held, outcomes: per.map((p) => ({ ...p, last: p.last.slice(p.last.indexOf('Here is'), p.last.indexOf('Here is') + 110) })) });
		for (const [i, p] of per.entries()) {
			expect(p.openSessions).toBe(1); // only the last order can be paid
			// 2 rooms × 3 nights × 199.00 = 1194.00; 1 room × 3 nights (June 21-24) = 597.00, and the link names the new dates
			if (i % 2 === 0) expect([p.openAmount, p.last]).toEqual([119_400, expect.stringMatching(/2 rooms × 3 nights/)]);
			else expect([p.openAmount, p.last]).toEqual([59_700, expect.stringMatching(/Jun 21, 2027 → Thu, Jun 24, 2027|Jun 21.*Jun 24/)]);
		}
	}, 300_000);
});

describe('faults', () => {
	let restarting: Promise<void> | undefined;
	let packlessBoot: Promise<QueueProcess>;
	// A webhook process set up without the pack (an empty user folder, told not to install missing packages),
	// not behind the balancer: it boots while the cases below run, and is looked at last but one.
	beforeAll(() => {
		packlessBoot = sandbox.queue.addProcess('webhook-nopack', 'webhook', { N8N_REINSTALL_MISSING_PACKAGES: 'false' });
		packlessBoot.catch(() => undefined);
	});

	it("a worker SIGKILLed in the middle of a DM's run: n8n reports the run failed, the turn is resumed on the other worker, answered once", async () => {
		const user = newCustomer('whatsapp');
		const hold = sandbox.graph.holdSends();
		const delivery = await sandbox.customerSays('whatsapp', ORDER, { from: user });
		await hold.waitForHeld(1, { timeoutMs: 120_000 });
		const running = await eventually('the running execution', async () => (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 20 })).find((e) => e.status === 'running'), 60_000);
		const worker = workerOf(running.id)!;
		const killedAt = Date.now();
		await worker.kill();
		hold.release();
		await eventually('the customer answered', () => linksTo(user).length >= 1, 180_000);
		const answeredAfterMs = Date.now() - killedAt;
		await sleep(3000);
		await allSettled();
		const crashed = await sandbox.api.getExecution(running.id);
		const resumes = (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 30 })).filter((e) => e.mode === 'error' && Date.parse(e.startedAt) >= killedAt);
		const resume = await sandbox.api.getExecution(resumes[0].id);
		const hostLog = sandbox.queue.webhookHosts.map((h) => h.handle().logs()).join('\n');
		record('faults.workerKilledDuringDm', {
			metaAnswer: delivery.status,
			crashedExecution: { id: running.id, status: crashed.status, error: crashed.data?.resultData?.error?.message },
			resumedBy: resumes.map((e) => ({ id: e.id, mode: e.mode, status: e.status })),
			answeredAfterKillMs: answeredAfterMs,
			answers: sendsTo(user).map((s) => String(s.text).slice(0, 80)),
			abandonedSends: sandbox.graph.attempts.filter((a) => a.to === user && a.abandoned).length,
		});
		expect(delivery.status).toBe(200);
		expect(crashed.status).toBe('error');
		expect(crashed.data.resultData.error.message).toMatch(/failed to be processed too many times/);
		expect(hostLog).toMatch(new RegExp(`Problem with execution ${running.id}: This execution failed to be processed too many times`));
		expect(resumes).toHaveLength(1);
		expect(sandbox.api.nodeOutput(resume, 'Resume crashed turn')).toEqual([expect.objectContaining({ text: ORDER, resumedFrom: running.id, chatRef: expect.objectContaining({ userId: user }) })]);
		expect(sendsTo(user)).toHaveLength(1);
		expect(sessionsOf(user)).toHaveLength(1);
		expect(sendsTo(user)[0].urls.some((u: string) => u.endsWith(sessionsOf(user)[0].id))).toBe(true);
		expect((await allRows('chat_checkout_orders')).filter((r) => String(r.userId) === user)).toHaveLength(1);
		restarting = worker.restart(); // back while the next case runs
	}, 300_000);

	it("Redis restarted (SIGTERM, ~2 s away) in the middle of a burst: nothing doubled; every DM answered once but those caught in the outage, which are reported", async () => {
		const users = Array.from({ length: 30 }, (_, i) => newCustomer(i % 2 ? 'instagram' : 'whatsapp'));
		const answers: Array<{ user: string; status: number | string; channel: Channel; body: unknown; sentAt: number }> = [];
		let awayMs = 0;
		let restartAt = 0;
		let backAt = 0;
		for (const [i, user] of users.entries()) {
			if (i === 10) {
				restartAt = Date.now();
				void sandbox.queue.redis.restart({ downMs: 2000 }).then((ms: number) => {
					awayMs = ms;
					backAt = Date.now();
				});
			}
			const channel: Channel = i % 2 ? 'instagram' : 'whatsapp';
			const body = bodyOf(channel, user, ORDER, nextMessageId(channel));
			const sentAt = Date.now();
			const status = await sandbox.postMeta(channel, body).then((r) => r.status, (e: Error) => `error: ${e.message}`);
			answers.push({ user, status, channel, body, sentAt });
			await sleep(150);
		}
		// Meta retries what it did not get a 2xx for.
		const retried = [];
		for (const a of answers.filter((x) => x.status !== 200)) retried.push((await sandbox.postMeta(a.channel, a.body)).status);
		await eventually('the burst answered', () => users.every((u) => linksTo(u).length >= 1), 240_000).catch(() => undefined);
		await sleep(4000);
		await allSettled();
		const neverStarted = users.filter((u) => sendsTo(u).length === 0);
		record('faults.redisRestartedDuringBurst', {
			dms: users.length,
			redisAwayMs: awayMs,
			answers: tally(answers.map((a) => a.status)),
			metaRetries: tally(retried),
			linksPerDm: tally(users.map((u) => linksTo(u).length)),
			dmsNeverAnswered: neverStarted,
			processesHealthy: await Promise.all([sandbox.queue.main, ...sandbox.queue.webhookHosts].map(async (p) => fetch(`${p.handle().baseUrl}healthz`).then((r) => r.status, () => 'down'))),
		});
		// What the issue asks the test to report: a DM whose run never started. Seen in 1 of 7 runs (3 of 30, all on
		// one webhook host, under extra CPU load): their turn was answered 200 at once and handed to n8n while its
		// Redis was away (README, Scaling out). Only a DM whose quiet window (3 s) overlapped the outage may be one.
		const mayBeCaught = (u: string) => {
			const sentAt = answers.find((a) => a.user === u)!.sentAt;
			return sentAt >= restartAt - 3500 && sentAt <= (backAt || Date.now()) + 1000;
		};
		expect(neverStarted.filter((u) => !mayBeCaught(u))).toEqual([]);
		expect(neverStarted.length).toBeLessThanOrEqual(5);
		// Nothing doubled, and every other DM answered once.
		expect(users.filter((u) => !neverStarted.includes(u)).every((u) => linksTo(u).length === 1 && sessionsOf(u).length === 1)).toBe(true);
		expect(users.every((u) => linksTo(u).length <= 1 && sessionsOf(u).length <= 1)).toBe(true);
	}, 300_000);

	it('a worker SIGKILLed in the middle of a run Stripe started: Stripe\'s retry completes it — paid once, confirmed once', async () => {
		await restarting;
		const user = newCustomer('whatsapp');
		await sandbox.customerSays('whatsapp', ORDER, { from: user });
		const [link] = await sandbox.graph.waitForSends(1, { to: user, timeoutMs: 120_000 });
		const sessionId = sessionIdFromLink(link);
		await allSettled();
		const hold = sandbox.graph.holdSends();
		const paying = sandbox.stripe.pay(sessionId);
		await hold.waitForHeld(1, { timeoutMs: 120_000 });
		const running = await eventually('the running payment run', async () => (await sandbox.api.listExecutions(sandbox.workflowIds.payments, { limit: 20 })).find((e) => e.status === 'running'), 60_000);
		const worker = workerOf(running.id)!;
		const killedAt = Date.now();
		await worker.kill();
		hold.release();
		const paid = await paying;
		const completed = paid.events.find((e) => e.type === 'checkout.session.completed')!;
		await sandbox.stripe.waitForDelivered(completed.id, { timeoutMs: 240_000 });
		const confirmedAfterMs = Date.now() - killedAt;
		await sleep(3000);
		await allSettled(sandbox.workflowIds.payments);
		const rows = (await allRows('chat_checkout_orders')).filter((r) => r.sessionId === sessionId);
		const confirmations = sendsTo(user).filter((s) => /Payment received/.test(s.text ?? ''));
		record('faults.workerKilledDuringStripeRun', {
			deliveries: completed.deliveries.map((d) => d.status ?? d.error ?? 'no answer'),
			confirmedAfterKillMs: confirmedAfterMs,
			crashedExecution: (await sandbox.api.getExecution(running.id)).status,
			confirmations: confirmations.length,
			rows: rows.map((r) => r.status),
		});
		expect(rows).toHaveLength(1);
		expect(rows[0].status).toBe('paid');
		expect(confirmations).toHaveLength(1);
		restarting = worker.restart();
	}, 300_000);

	it('a webhook host without the pack: answers Meta 400, and every process with the pack reports it in its log', async () => {
		const packless = await packlessBoot;
		const user = newCustomer('whatsapp');
		const url = sandbox.urls.whatsapp.replace(sandbox.queue.proxy.url, packless.handle().baseUrl);
		const raw = JSON.stringify(bodyOf('whatsapp', user, ORDER, nextMessageId('whatsapp')));
		const signature = metaSignature(raw, sandbox.secrets.appSecret);
		const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw });
		const reported = await eventually('the missing pack reported', () => {
			const line = sandbox.queue.main.handle().logs().split('\n').find((l: string) => /has not loaded n8n-nodes-chat-checkout/.test(l));
			return line;
		}, 90_000);
		const reportedBy = [sandbox.queue.main, ...sandbox.queue.webhookHosts, ...sandbox.queue.workers].filter((p) => /has not loaded n8n-nodes-chat-checkout/.test(p.handle().logs())).map((p) => p.name);
		record('faults.hostWithoutPack', { answer: answer.status, body: (await answer.text()).slice(0, 120), reported: reported.slice(reported.indexOf('n8n-nodes-chat-checkout:'), reported.indexOf('n8n-nodes-chat-checkout:') + 200), reportedBy });
		expect(answer.status).toBe(400);
		expect(reported).toMatch(/1 of the \d+ n8n processes connected to this Redis has not loaded n8n-nodes-chat-checkout/);
		await packless.stop();
		// Gone: reported as resolved.
		await eventually('the report cleared', () => /has the pack loaded again/.test(sandbox.queue.main.handle().logs()), 60_000);
	}, 300_000);

	it('one webhook host stopped (SIGTERM) in the middle of a burst: the other answers every DM through the balancer; none lost', async () => {
		await restarting;
		const [, second] = sandbox.queue.webhookHosts;
		const users = Array.from({ length: 10 }, (_, i) => newCustomer(i % 2 ? 'instagram' : 'whatsapp'));
		const sent: Array<{ user: string; channel: Channel; body: unknown; status: number | string }> = [];
		let stopping: Promise<void> | undefined;
		let stoppedAt = 0;
		const before = sandbox.queue.proxy.counts();
		for (const [i, user] of users.entries()) {
			if (i === 3) {
				stoppedAt = Date.now();
				stopping = second.stop(); // n8n's graceful shutdown; its open turns start at once (chatTurns.ts)
			}
			const channel: Channel = i % 2 ? 'instagram' : 'whatsapp';
			const body = bodyOf(channel, user, ORDER, nextMessageId(channel));
			const status = await sandbox.postMeta(channel, body).then((r) => r.status, (e: Error) => `error: ${e.message}`);
			sent.push({ user, channel, body, status });
			await sleep(200);
		}
		await stopping;
		const stopMs = Date.now() - stoppedAt;
		const retried = [];
		for (const x of sent.filter((y) => y.status !== 200)) retried.push((await sandbox.postMeta(x.channel, x.body)).status); // Meta's retry
		// Once the host is gone, the balancer sends everything to the other one.
		const stoppedCounts = sandbox.queue.proxy.counts();
		for (let i = 0; i < 4; i++) {
			const user = newCustomer('whatsapp');
			users.push(user);
			const status = (await sandbox.postMeta('whatsapp', bodyOf('whatsapp', user, ORDER, nextMessageId('whatsapp')))).status;
			sent.push({ user, channel: 'whatsapp', body: undefined, status });
		}
		const afterStop = sandbox.queue.proxy.counts();
		await eventually('every DM answered', () => users.every((u) => linksTo(u).length >= 1), 120_000).catch(() => undefined);
		const after = sandbox.queue.proxy.counts();
		record('faults.webhookHostStopped', {
			answers: tally(sent.map((x) => x.status)),
			metaRetries: tally(retried),
			stopTookMs: stopMs,
			perHost: [after[0] - before[0], after[1] - before[1]],
			linksPerDm: tally(users.map((u) => linksTo(u).length)),
		});
		expect(users.map((u) => linksTo(u).length)).toEqual(users.map(() => 1));
		expect(retried.every((status) => status === 200)).toBe(true); // what the stopping host refused, Meta's retry got through
		expect(sent.slice(10).map((x) => x.status)).toEqual([200, 200, 200, 200]);
		expect([afterStop[0] - stoppedCounts[0], afterStop[1] - stoppedCounts[1]]).toEqual([4, 0]);
	}, 300_000);
});
