// @ts-check
'use strict';
/**
 * Section 1, ingress: signed webhook requests, posted at a fixed concurrency to tiny workflows in the same n8n,
 * one after the other:
 *   bare           n8n's Webhook node (POST, respond immediately) → NoOp: the floor
 *   ours           our WhatsApp Trigger as shipped (version 2: signature, parse, dedupe) → NoOp, combining off
 *   oursInstagram  our Instagram Trigger (version 2), a signed Instagram DM, combining off
 *   oursStripe     our Stripe Webhook Verify (version 2), a signed checkout.session.completed, answered on verification
 *   oursCombine    our WhatsApp Trigger with the template's 3-second combining (answers at once, runs start 3 s later)
 *   oursV1         our WhatsApp Trigger as version 1 (what workflows made before version 2 keep)
 *   code           n8n's Webhook node (raw body on) → a Code node that checks X-Hub-Signature-256 with
 *                  require('crypto'): what operators build today. Needs NODE_FUNCTION_ALLOW_BUILTIN=crypto
 *                  (without it the Code node fails with "Module 'crypto' is disallowed").
 *   builtin        n8n's own WhatsApp Trigger (same HMAC check, with the app secret as its credential's client
 *                  secret). Its activation calls graph.facebook.com, which is refused offline, so publication
 *                  ends 'failed' (the reason is reported); n8n 2.40.7 still serves its webhook, so it is measured
 *                  when that is so, and reported as not served otherwise.
 *   oursNoDedupe   diagnostic: version 2 without the seen-id store.
 * Targets are measured in interleaved rounds. Each request carries a fresh message or event id (our triggers would
 * skip a repeated one) and comes from another customer. Per target: answer latency p50/p99 and requests/s at the
 * client, then the time until n8n has finished every execution the requests started (n8n answers before the run)
 * → executions/s, n8n's CPU time per request and its peak resident memory. Execution saving stays at n8n's defaults.
 */
const { metaSignature } = require('../../../tools/sandbox/metaWebhooks');
const crypto = require('node:crypto');
const { whatsAppWebhookBody, instagramWebhookBody } = require('../../../tools/n8n/sandbox');
const { latencySummary, pool, post, waitUntil, load, groupCpuMs, groupRssBytes, memoryGuard } = require('./util');
const { waitForFinished, listFinished, lastExecutionId } = require('./executions');
const { monotonicMicros } = require('./profile');

/** The env the Code-node variant needs in n8n (and what an operator must set for it). */
const CODE_NODE_ENV = { NODE_FUNCTION_ALLOW_BUILTIN: 'crypto' };

const noOp = (/** @type {string} */ id) => ({ id, name: 'NoOp', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} });
const link = (/** @type {string} */ from, /** @type {string} */ to) => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });

/** The Code node an operator writes: HMAC-SHA256 of the raw body with the app secret, constant-time compare. */
function hmacCode(/** @type {string} */ appSecret) {
	return [
		'// Meta signs the raw body: X-Hub-Signature-256 = sha256=<hex HMAC-SHA256(app secret, raw body)>.',
		"const crypto = require('crypto');",
		`const APP_SECRET = ${JSON.stringify(appSecret)};`,
		"const raw = await this.helpers.getBinaryDataBuffer(0, 'data');",
		"const expected = 'sha256=' + crypto.createHmac('sha256', APP_SECRET).update(raw).digest('hex');",
		"const got = String($input.first().json.headers['x-hub-signature-256'] ?? '');",
		"if (got.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(got), Buffer.from(expected))) {",
		"  throw new Error('invalid signature');",
		'}',
		'return [{ json: $input.first().json.body }];',
	].join('\n');
}

/**
 * @typedef {object} Target
 * @property {string} name
 * @property {any} workflow
 * @property {string} url
 * @property {(o?: { forged?: boolean }) => { body: string, headers: Record<string, string> }} request
 *   one request as its sender makes it (a fresh message or event id each); forged: a wrong signature
 */

/**
 * The ingress targets, each a tiny workflow: a webhook node, then a NoOp (or the Code node's check).
 * Our nodes are measured as shipped (version 2) with "Combine Quick Messages" off, so that every request
 * starts its run at once like the floor's; `oursCombine` adds the template's 3-second combining.
 * @param {any} sb  the sandbox
 * @returns {Promise<Record<string, Target>>}
 */
async function targetWorkflows(sb) {
	const credentials = await sb.api.request('GET', '/credentials');
	const credential = (/** @type {string} */ type) => {
		const c = credentials.find((/** @type {any} */ x) => x.type === type);
		if (!c) throw new Error(`bench: the sandbox has no ${type} credential`);
		return { [type]: { id: c.id, name: c.name } };
	};
	const whatsApp = (/** @type {{ forged?: boolean }} */ o = {}) => signedMeta(o.forged ? 'not-the-secret' : sb.secrets.appSecret, 'whatsapp');
	const instagram = (/** @type {{ forged?: boolean }} */ o = {}) => signedMeta(o.forged ? 'not-the-secret' : sb.secrets.appSecret, 'instagram');
	/**
	 * One of our nodes followed by a NoOp.
	 * @param {string} name @param {string} type @param {number} typeVersion @param {Record<string, unknown>} parameters
	 * @param {string} credentialType @param {string} pathSuffix @param {Target['request']} request
	 */
	const ourNode = (name, type, typeVersion, parameters, credentialType, pathSuffix, request) => {
		const hook = crypto.randomUUID();
		const nodeName = type === 'stripeWebhookVerify' ? 'Stripe Webhook Verify' : `${type === 'whatsAppTrigger' ? 'WhatsApp' : 'Instagram'} Trigger`;
		return {
			name,
			workflow: {
				name: `bench ingress: ${name}`,
				nodes: [
					{ id: 't1', name: nodeName, type: `n8n-nodes-chat-checkout.${type}`, typeVersion, position: [0, 0], webhookId: hook, parameters, credentials: credential(credentialType) },
					noOp('t2'),
				],
				connections: link(nodeName, 'NoOp'),
			},
			url: sb.n8n.webhookUrl(`${hook}/${pathSuffix}`),
			request,
		};
	};
	const whatsAppTrigger = (/** @type {string} */ name, /** @type {number} */ typeVersion, /** @type {Record<string, unknown>} */ options) =>
		ourNode(name, 'whatsAppTrigger', typeVersion, { options }, 'chatCheckoutWhatsAppApi', 'webhook', whatsApp);
	const bareHook = crypto.randomUUID();
	const codeHook = crypto.randomUUID();
	const builtinHook = crypto.randomUUID();
	// n8n's own WhatsApp Trigger authenticates with the Meta app's id and secret (a Graph app token).
	const builtinCred = await sb.api.createCredential('Built-in WhatsApp Trigger (bench)', 'whatsAppTriggerApi', { clientId: '100000000000009', clientSecret: sb.secrets.appSecret });
	return {
		bare: {
			name: 'n8n Webhook node (floor)',
			workflow: {
				name: 'bench ingress: bare Webhook',
				nodes: [
					{ id: 'w1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position: [0, 0], webhookId: bareHook, parameters: { httpMethod: 'POST', path: `bench-bare-${bareHook}`, responseMode: 'onReceived', options: {} } },
					noOp('w2'),
				],
				connections: link('Webhook', 'NoOp'),
			},
			url: sb.n8n.webhookUrl(`bench-bare-${bareHook}`),
			request: whatsApp,
		},
		ours: whatsAppTrigger('our WhatsApp Trigger (v2)', 2, { combineWithinSeconds: 0 }),
		oursInstagram: ourNode('our Instagram Trigger (v2)', 'instagramTrigger', 2, { options: { combineWithinSeconds: 0 } }, 'chatCheckoutInstagramApi', 'webhook', instagram),
		// A signed checkout.session.completed (the event the template's payments start with), answered on verification.
		oursStripe: ourNode('our Stripe Webhook Verify (v2), signed Stripe event', 'stripeWebhookVerify', 2, { acknowledge: 'onReceived', events: ['checkout.session.completed'] }, 'chatCheckoutStripeApi', 'stripe', (o = {}) => signedStripe(sb, o.forged === true)),
		// The template's setting: answers at once, each run starts once its chat was quiet 3 s (every request here is
		// another customer, so every request still starts one run, 3 s later).
		oursCombine: whatsAppTrigger('our WhatsApp Trigger (v2), template\'s 3-s combining', 2, { combineWithinSeconds: 3 }),
		// Version 1, as workflows made before version 2 keep it: n8n evaluates an expression per request for it.
		oursV1: whatsAppTrigger('our WhatsApp Trigger (v1)', 1, {}),
		// Diagnostic: "Ignore Redeliveries" off, i.e. without the seen-id store.
		oursNoDedupe: whatsAppTrigger('our WhatsApp Trigger (v2), no dedupe (diagnostic)', 2, { combineWithinSeconds: 0, deduplicate: false }),
		code: {
			name: 'Webhook + Code node HMAC check',
			workflow: {
				name: 'bench ingress: Webhook + Code HMAC',
				nodes: [
					{ id: 'c1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position: [0, 0], webhookId: codeHook, parameters: { httpMethod: 'POST', path: `bench-code-${codeHook}`, responseMode: 'onReceived', options: { rawBody: true } } },
					{ id: 'c2', name: 'Check signature', type: 'n8n-nodes-base.code', typeVersion: 2, position: [260, 0], parameters: { jsCode: hmacCode(sb.secrets.appSecret) } },
				],
				connections: link('Webhook', 'Check signature'),
			},
			url: sb.n8n.webhookUrl(`bench-code-${codeHook}`),
			request: whatsApp,
		},
		builtin: {
			name: 'n8n\'s own WhatsApp Trigger',
			workflow: {
				name: 'bench ingress: built-in WhatsApp Trigger',
				nodes: [
					{ id: 'b1', name: 'WhatsApp Trigger', type: 'n8n-nodes-base.whatsAppTrigger', typeVersion: 1, position: [0, 0], webhookId: builtinHook, parameters: { updates: ['messages'] }, credentials: { whatsAppTriggerApi: { id: builtinCred, name: 'Built-in WhatsApp Trigger (bench)' } } },
					noOp('b2'),
				],
				connections: link('WhatsApp Trigger', 'NoOp'),
			},
			url: sb.n8n.webhookUrl(`${builtinHook}/webhook`),
			request: whatsApp,
		},
	};
}

let seq = 0;
/** One signed Meta POST with a fresh message id and sender (each request another customer). */
function signedMeta(/** @type {string} */ appSecret, /** @type {'whatsapp' | 'instagram'} */ channel) {
	seq += 1;
	const unique = `${Date.now()}${seq}${crypto.randomBytes(6).toString('hex')}`;
	const text = 'I want to book the Deluxe Suite for June 15-17';
	const body = JSON.stringify(channel === 'whatsapp'
		? whatsAppWebhookBody({ from: `4915190${String(seq).padStart(6, '0')}`, text, messageId: `wamid.BENCH${unique}`, name: 'Bench' })
		: instagramWebhookBody({ from: `70000${String(seq).padStart(11, '0')}`, text, messageId: `aWdfBENCH${unique}` }));
	const signature = metaSignature(body, appSecret);
	return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
}

/** A signed checkout.session.completed with fresh ids, signed as the Stripe simulator (the sandbox's secret) signs. */
function signedStripe(/** @type {any} */ sb, /** @type {boolean} */ forged) {
	seq += 1;
	const unique = `${seq}${crypto.randomBytes(6).toString('hex')}`;
	const event = {
		id: `evt_bench${unique}`, object: 'event', api_version: '2026-02-25.clover', created: Math.floor(Date.now() / 1000), livemode: false, type: 'checkout.session.completed',
		data: { object: { id: `cs_test_bench${unique}`, object: 'checkout.session', mode: 'payment', payment_status: 'paid', status: 'complete', amount_total: 39800, currency: 'usd',
			metadata: { chat_channel: 'whatsapp', chat_account_id: '100000000000001', chat_user_id: '4915112345678', chat_message_id: `wamid.BENCH${unique}` } } },
	};
	const { body, headers } = sb.stripe.signedRequest(event, forged ? { secret: `whsec_${crypto.randomBytes(18).toString('hex')}` } : undefined);
	return { body, headers: { 'content-type': 'application/json', ...headers } };
}

/**
 * Fires `count` requests at `concurrency` (closed loop) within `maxMs`; returns client-side figures.
 * @param {Target} target
 * @param {{ count: number, concurrency: number, maxMs: number }} o
 */
async function fire(target, o) {
	const url = target.url;
	// Bodies signed up front, so the client's own HMAC is not inside the timing.
	const requests = Array.from({ length: o.count }, () => target.request());
	/** @type {number[]} */
	const latencies = [];
	/** @type {Record<string, number>} */
	const statuses = {};
	const t0 = performance.now();
	const startedAt = Date.now();
	const { started, cappedByTime } = await pool(o.count, o.concurrency, Date.now() + o.maxMs, async (i) => {
		const r = await post(url, requests[i].body, requests[i].headers, 30_000);
		const key = r.status === null ? `error ${r.error}` : String(r.status);
		statuses[key] = (statuses[key] ?? 0) + 1;
		if (r.status !== null && r.status < 300) latencies.push(r.ms);
	});
	const wallMs = performance.now() - t0;
	return { sent: started, cappedByTime, ok: latencies.length, statuses, wallMs, startedAt, latencies, latency: latencySummary(latencies), requestsPerS: latencies.length / (wallMs / 1000) };
}

/**
 * One measured round on one target: the requests, then the wait until n8n finished their executions.
 * @param {any} sb
 * @param {string} workflowId
 * @param {Target} target
 * @param {number} expectedFinished  finished executions of this workflow once the round is done
 * @param {{ count: number, concurrency: number, maxMs: number, drainMs: number }} o
 */
async function measureRound(sb, workflowId, target, expectedFinished, o) {
	const afterId = await lastExecutionId(sb.api, workflowId);
	const cpuBefore = groupCpuMs(sb.n8n.pid);
	const rssBefore = groupRssBytes(sb.n8n.pid);
	// n8n's resident memory while the round runs (no cap: this only watches)
	const memory = memoryGuard(sb.n8n.pid, Number.POSITIVE_INFINITY);
	const startUs = monotonicMicros();
	const run = await fire(target, o);
	const drained = await waitForFinished(sb.api, workflowId, expectedFinished + run.ok, o.drainMs);
	const endUs = monotonicMicros();
	memory.stop();
	const cpuAfter = groupCpuMs(sb.n8n.pid);
	const executions = await listFinished(sb.api, workflowId, { afterId, max: run.ok + 100 });
	const stopped = executions.map((e) => e.stoppedAt ?? 0);
	const lastStop = stopped.length ? Math.max(...stopped) : null;
	return {
		run,
		executions,
		drainTimedOut: drained.timedOut,
		spanMs: lastStop ? lastStop - run.startedAt : null,
		cpuMs: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
		rssBeforeBytes: rssBefore,
		peakRssBytes: memory.peakBytes || null,
		window: { startUs, endUs },
	};
}

/**
 * Sums a target's rounds into one row: latencies pooled, rates over the summed times.
 * @param {Array<Awaited<ReturnType<typeof measureRound>>>} rounds
 */
function aggregate(rounds) {
	/** @type {Record<string, number>} */
	const statuses = {};
	for (const r of rounds) for (const [k, v] of Object.entries(r.run.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
	const ok = rounds.reduce((n, r) => n + r.run.ok, 0);
	const sent = rounds.reduce((n, r) => n + r.run.sent, 0);
	const wallMs = rounds.reduce((n, r) => n + r.run.wallMs, 0);
	const executions = rounds.flatMap((r) => r.executions);
	const spanMs = rounds.every((r) => r.spanMs !== null) ? rounds.reduce((n, r) => n + /** @type {number} */ (r.spanMs), 0) : null;
	const cpuMs = rounds.every((r) => r.cpuMs !== null) ? rounds.reduce((n, r) => n + /** @type {number} */ (r.cpuMs), 0) : null;
	const runMs = executions.filter((e) => e.stoppedAt).map((e) => /** @type {number} */ (e.stoppedAt) - e.startedAt);
	const byStatus = executions.reduce((/** @type {Record<string, number>} */ acc, e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }), {});
	return {
		rounds: rounds.length,
		sent,
		ok,
		cappedByTime: rounds.some((r) => r.run.cappedByTime),
		statuses,
		wallMs,
		latency: latencySummary(rounds.flatMap((r) => r.run.latencies)),
		requestsPerS: ok / (wallMs / 1000),
		// n8n's own CPU time (main process + task runner) per request: robust to a busy machine, unlike rates.
		cpuMsPerRequest: cpuMs !== null && ok > 0 ? cpuMs / ok : null,
		executions: {
			count: executions.length,
			byStatus,
			drainTimedOut: rounds.some((r) => r.drainTimedOut),
			spanMs,
			perS: spanMs ? executions.length / (spanMs / 1000) : null,
			runMs: latencySummary(runMs),
		},
		peakRssBytes: Math.max(0, ...rounds.map((r) => r.peakRssBytes ?? 0)) || null,
		// how far n8n's memory rose during a round, at most (the combining row holds every call for 3 s)
		rssRiseBytes: Math.max(0, ...rounds.map((r) => (r.peakRssBytes !== null && r.rssBeforeBytes !== null ? r.peakRssBytes - r.rssBeforeBytes : 0))),
		perRound: rounds.map((r) => ({ ok: r.run.ok, requestsPerS: r.run.requestsPerS, p50: r.run.latency.p50, p99: r.run.latency.p99, cpuMsPerRequest: r.cpuMs !== null && r.run.ok ? r.cpuMs / r.run.ok : null })),
	};
}

/**
 * Publishes n8n's own WhatsApp Trigger. Its activation registers the app's webhook subscription at
 * graph.facebook.com (hard-coded URL, no base-URL setting), which the harness's outbound sink refuses:
 * publication ends 'failed'. n8n 2.40.7 nevertheless keeps the workflow active and serves the webhook,
 * which is what makes its request path measurable here. Returns what happened.
 */
async function publishBuiltin(/** @type {any} */ sb, /** @type {string} */ workflowId) {
	const blockedBefore = sb.n8n.blockedOutbound().length;
	/** @type {{ published: boolean, reason: string | null, blockedOutbound: string[], publication?: any, active?: boolean }} */
	const result = { published: false, reason: null, blockedOutbound: [] };
	try {
		await sb.api.publishWorkflow(workflowId, { timeoutMs: 30_000 });
		result.published = true;
	} catch (error) {
		result.reason = String(/** @type {Error} */ (error).message);
	}
	result.publication = await sb.api.request('GET', `/workflows/${workflowId}/publication-status`).catch(() => null);
	result.active = Boolean((await sb.api.getWorkflow(workflowId)).activeVersionId);
	result.blockedOutbound = [...new Set(sb.n8n.blockedOutbound().slice(blockedBefore).map((/** @type {any} */ b) => `${b.method} ${b.target}`))];
	return result;
}

/**
 * @param {any} sb  a sandbox started with CODE_NODE_ENV
 * @param {{ count: number, rounds: number, warmup: number, concurrency: number, maxMs: number, drainMs: number, targets: string[], log: (l: string) => void }} o
 */
async function runIngress(sb, o) {
	const targets = await targetWorkflows(sb);
	/** @type {Record<string, { id: string, finished: number, rounds: any[] }>} */
	const live = {};
	/** @type {string[]} */
	const unserved = [];
	/** @type {any} */
	let publication = null;
	for (const key of o.targets) {
		const t = targets[key];
		const id = await sb.api.importWorkflow(t.workflow);
		if (key === 'builtin') {
			publication = await publishBuiltin(sb, id);
			o.log(`ingress: ${t.name}: publication ${publication.published ? 'succeeded' : `failed (${publication.reason}; refused outbound: ${publication.blockedOutbound.join(', ') || 'none'})`}; workflow active: ${publication.active}`);
		} else await sb.api.publishWorkflow(id);
		// The webhook is served a moment after publication: wait (bounded) until it is no longer a 404.
		// (A wrong signature: our trigger answers 401, the others start a run that the warm-up wait absorbs.)
		const served = await waitUntil(async () => {
			const r = t.request({ forged: true });
			const st = (await post(t.url, r.body, r.headers, 5000)).status;
			return st !== null && st !== 404;
		}, { timeoutMs: 15_000 });
		if (served.timedOut) {
			o.log(`ingress: ${t.name}: its webhook is not served (404), not measured`);
			unserved.push(key);
			continue;
		}
		const warm = await fire(t, { count: o.warmup, concurrency: o.concurrency, maxMs: 30_000 });
		const settled = await waitForFinished(sb.api, id, warm.ok, 60_000);
		live[key] = { id, finished: settled.finished, rounds: [] };
	}
	// Rounds interleave the targets, so a neighbour's load on a shared machine weighs on all of them alike.
	const loadBefore = load();
	const perRound = Math.ceil(o.count / o.rounds);
	const measured = o.targets.filter((k) => live[k]);
	for (let round = 0; round < o.rounds; round++) {
		for (const key of measured) {
			const l = live[key];
			o.log(`ingress round ${round + 1}/${o.rounds}: ${targets[key].name}: ${perRound} requests at concurrency ${o.concurrency} …`);
			const r = await measureRound(sb, l.id, targets[key], l.finished, { count: perRound, concurrency: o.concurrency, maxMs: o.maxMs / o.rounds, drainMs: o.drainMs });
			l.finished += r.executions.length;
			l.rounds.push(r);
			o.log(`  ${r.run.ok}/${r.run.sent} answered, ${r.run.requestsPerS.toFixed(1)} req/s, p50 ${r.run.latency.p50?.toFixed(0)} ms, p99 ${r.run.latency.p99?.toFixed(0)} ms; runs done ${r.spanMs ? (r.executions.length / (r.spanMs / 1000)).toFixed(1) : '–'}/s; n8n CPU ${r.cpuMs !== null && r.run.ok ? (r.cpuMs / r.run.ok).toFixed(0) : '–'} ms/request`);
		}
	}
	/** @type {Record<string, any>} */
	const results = {};
	for (const key of measured) {
		results[key] = { name: targets[key].name, ...aggregate(live[key].rounds) };
		// (for the built-in trigger this also ends n8n's background retries of its failed activation)
		await sb.api.unpublishWorkflow(live[key].id).catch(() => undefined);
	}
	for (const key of unserved) results[key] = { name: targets[key].name, notServed: true };
	// when n8n was profiled: which part of its CPU profile belongs to which target (scripts/bench/n8n/profile.js)
	const profileWindows = measured.flatMap((key) => live[key].rounds.map((r) => ({ key, ...r.window, requests: r.run.ok })));
	if (results.builtin) results.builtin.publication = publication;
	return {
		settings: { count: o.count, rounds: o.rounds, warmup: o.warmup, concurrency: o.concurrency, maxMs: o.maxMs, n8nEnv: CODE_NODE_ENV, executionSaving: 'n8n defaults (successful and failed executions saved)' },
		results,
		profileWindows,
		load: { before: loadBefore, after: load() },
	};
}

module.exports = { runIngress, targetWorkflows, fire, CODE_NODE_ENV };
