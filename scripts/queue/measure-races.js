// @ts-check
'use strict';
/**
 * Measures (does not judge) what the two-workflow template does in n8n 2.40.7's queue mode when two turns of
 * one chat run at the same time, and what n8n does with a DM run whose worker died:
 *   R1  a new customer's two first messages, one to each webhook host at the same moment;
 *   R2a a turn whose model call is slow (held 8 s by a proxy in front of the model simulator), and the
 *       customer's next message 4 s later on the other host: "deluxe room June 20-23" then "make it 2 rooms";
 *   R2b the same with a changed date: "deluxe room June 20-23" then "actually June 21-24";
 *   D   a worker SIGKILLed while a DM's run is sending its answer (short stall settings): the execution's
 *       status, what the webhook host logs, and whether n8n starts the workflow's Error Trigger for it.
 * The conversation workflow gets an Error Trigger → "Crash seen" (NoOp) for D; nothing else of the template
 * changes. Prints one JSON document and writes .sandbox/queue-races.json.
 * Run: bash scripts/with-node24.sh node scripts/queue/measure-races.js [r1] [r2] [d]   (≈ 6 min; bounded)
 */
// The simulators and the n8n harness under tools/ are TypeScript.
require('../../tools/register');
const { startQueueSandbox } = require('../../tools/n8n/queue/sandbox');
const { figuresFile } = require('./figures');
const { whatsAppWebhookBody, nextMessageId } = require('../../tools/n8n/sandbox');
const { eventually, sleep, UNFINISHED } = require('../../tools/wait');
const { startSlowModelProxy } = require('../../tools/n8n/queue/slowModel');

const log = (/** @type {string} */ line) => process.stdout.write(`[races] ${line}\n`);
let nextUser = 0;
const newCustomer = () => `49154000${String(++nextUser).padStart(5, '0')}`;
const tally = (/** @type {Array<string | number>} */ values) => values.reduce((/** @type {Record<string, number>} */ acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});

/** @param {any} sandbox */
const settle = async (sandbox) => {
	await sleep(2500);
	await eventually('runs to finish', async () => (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 100 })).every((/** @type {any} */ e) => !UNFINISHED.includes(e.status)), 240_000);
};

/** @param {any} sandbox @param {string} user */
function customerView(sandbox, user, chats) {
	const sends = sandbox.graph.sent.filter((/** @type {any} */ s) => s.to === user);
	const links = sends.filter((/** @type {any} */ s) => (s.urls ?? []).length > 0);
	const sessions = [...sandbox.stripe.sessions.values()].filter((/** @type {any} */ s) => String(s.metadata?.chat_user_id ?? '') === user);
	const rows = chats.filter((/** @type {any} */ r) => String(r.userId) === user);
	return {
		messages: sends.length,
		texts: sends.map((/** @type {any} */ s) => String(s.text ?? '').slice(0, 90)),
		links: links.length,
		sessions: sessions.length,
		openSessions: sessions.filter((/** @type {any} */ s) => s.status === 'open').length,
		chatRows: rows.length,
		pending: rows.map((/** @type {any} */ r) => r.pending),
	};
}

/** @param {any} sandbox @param {number} trials */
async function firstMessagesOnBothHosts(sandbox, trials) {
	const since = Date.now();
	const users = [];
	await Promise.all(Array.from({ length: trials }, async (_, i) => {
		await sleep(i * 400);
		const user = newCustomer();
		users.push(user);
		const a = whatsAppWebhookBody({ from: user, text: 'hi there', messageId: nextMessageId('whatsapp'), name: 'Race' });
		const b = whatsAppWebhookBody({ from: user, text: 'I would like the deluxe room June 20-23', messageId: nextMessageId('whatsapp'), name: 'Race' });
		await Promise.all([sandbox.postToHost(0, 'whatsapp', a), sandbox.postToHost(1, 'whatsapp', b)]);
	}));
	await sleep(8000);
	await settle(sandbox);
	const chats = await sandbox.chats();
	const runs = (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 100 })).filter((/** @type {any} */ e) => Date.parse(e.startedAt) >= since);
	const views = users.map((u) => customerView(sandbox, u, chats));
	return {
		trials,
		runs: runs.length,
		chatRowsPerCustomer: tally(views.map((v) => v.chatRows)),
		messagesPerCustomer: tally(views.map((v) => v.messages)),
		linksPerCustomer: tally(views.map((v) => v.links)),
		example: views.find((v) => v.chatRows > 1) ?? views[0],
	};
}

/**
 * @param {any} sandbox @param {any} proxy
 * @param {number} trials @param {string} first @param {string} second
 */
async function slowTurnThenNextMessage(sandbox, proxy, trials, first, second) {
	const users = [];
	// Each customer first greets (their chat row exists, as in a running conversation).
	for (let i = 0; i < trials; i++) {
		const user = newCustomer();
		users.push(user);
		await sandbox.postToHost(i % 2, 'whatsapp', whatsAppWebhookBody({ from: user, text: 'hello', messageId: nextMessageId('whatsapp'), name: 'Race' }));
	}
	await eventually('greetings answered', () => users.every((u) => sandbox.graph.sent.some((/** @type {any} */ s) => s.to === u)), 120_000);
	await settle(sandbox);
	proxy.slow.texts = [first];
	proxy.slow.holdMs = 8000;
	await Promise.all(users.map(async (user, i) => {
		await sleep(i * 300);
		await sandbox.postToHost(0, 'whatsapp', whatsAppWebhookBody({ from: user, text: first, messageId: nextMessageId('whatsapp'), name: 'Race' }));
		await sleep(4000); // past the 3 s quiet window: a turn of its own
		await sandbox.postToHost(1, 'whatsapp', whatsAppWebhookBody({ from: user, text: second, messageId: nextMessageId('whatsapp'), name: 'Race' }));
	}));
	await sleep(12_000);
	await settle(sandbox);
	proxy.slow.texts = [];
	const chats = await sandbox.chats();
	const views = users.map((u) => customerView(sandbox, u, chats));
	return {
		trials,
		first,
		second,
		linksPerCustomer: tally(views.map((v) => v.links)),
		openSessionsPerCustomer: tally(views.map((v) => v.openSessions)),
		chatRowsPerCustomer: tally(views.map((v) => v.chatRows)),
		examples: views.slice(0, 2),
	};
}

/** D: a worker dies while a DM's run is sending its answer. @param {any} sandbox */
async function workerDiesDuringDm(sandbox) {
	const user = newCustomer();
	const hold = sandbox.graph.holdSends();
	const delivery = await sandbox.customerSays('whatsapp', 'I want the deluxe room June 20-23', { from: user });
	await hold.waitForHeld(1, { timeoutMs: 90_000 });
	const running = await eventually('a running execution', async () => (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 20 })).find((/** @type {any} */ e) => e.status === 'running'), 60_000);
	const worker = sandbox.queue.workers.find((/** @type {any} */ w) => new RegExp(`Worker started execution ${running.id} \\(`).test(w.handle().logs()));
	const killedAt = Date.now();
	await worker.kill();
	hold.release();
	const ended = await eventually('the dead run to end', async () => {
		const e = await sandbox.api.getExecution(running.id).catch(() => undefined);
		return e && !UNFINISHED.includes(e.status) ? e : undefined;
	}, 240_000);
	const endedAfterMs = Date.now() - killedAt;
	await sleep(10_000);
	const list = await sandbox.api.listExecutions(sandbox.workflowId, { limit: 30 });
	const errorRuns = list.filter((/** @type {any} */ e) => e.mode === 'error' && Date.parse(e.startedAt) >= killedAt);
	const errorRun = errorRuns[0] ? await sandbox.api.getExecution(errorRuns[0].id) : undefined;
	const seen = errorRun ? sandbox.api.nodeOutput(errorRun, 'Crash seen') : [];
	const hostLines = sandbox.queue.webhookHosts.flatMap((/** @type {any} */ h) => h.handle().logs().split('\n').filter((/** @type {string} */ l) => l.includes(running.id))).slice(-6);
	await worker.restart();
	return {
		metaAnswer: delivery.status,
		execution: running.id,
		endedAfterKillMs: endedAfterMs,
		status: ended.status,
		savedError: ended.data?.resultData?.error?.message ?? null,
		savedRunDataNodes: Object.keys(ended.data?.resultData?.runData ?? {}),
		inExecutionsListAs: list.find((/** @type {any} */ e) => e.id === running.id)?.status,
		errorTriggerRuns: errorRuns.map((/** @type {any} */ e) => ({ id: e.id, status: e.status })),
		errorTriggerSaw: seen.map((/** @type {any} */ j) => ({ executionId: j.execution?.id, error: j.execution?.error?.message, lastNode: j.execution?.lastNodeExecuted, mode: j.execution?.mode })),
		answersToCustomer: sandbox.graph.sent.filter((/** @type {any} */ s) => s.to === user).length,
		webhookHostLog: hostLines,
	};
}

async function main() {
	/** @type {any} */
	let sandbox;
	// Started first, so the model credential points at it; it reaches the simulator once the sandbox runs.
	const proxy = await startSlowModelProxy(() => sandbox.llm.baseURL);
	sandbox = await startQueueSandbox({
		log,
		// Short stall detection on the workers (a dead worker's job is seen ~15 s later instead of ~80 s).
		hostEnv: (name) => (name.startsWith('worker') ? { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' } : {}),
		credentialData: (type, data) => (type === 'openAiApi' ? { ...data, url: proxy.baseURL } : data),
		editTemplate: (workflow) => {
			if (!workflow.nodes.some((/** @type {any} */ n) => n.type === 'n8n-nodes-chat-checkout.whatsAppTrigger')) return;
			workflow.nodes.push(
				{ id: 'measure-error-trigger', name: 'When a run fails', type: 'n8n-nodes-base.errorTrigger', typeVersion: 1, position: [-1400, 900], parameters: {} },
				{ id: 'measure-crash-seen', name: 'Crash seen', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [-1150, 900], parameters: {} },
			);
			workflow.connections['When a run fails'] = { main: [[{ node: 'Crash seen', type: 'main', index: 0 }]] };
		},
	}).catch(async (error) => {
		await proxy.stop();
		throw error;
	});
	const run = figuresFile('queue-races.json', log);
	try {
		if (run.wants('r1')) {
			await run.record('r1_firstMessagesOnBothHosts', () => firstMessagesOnBothHosts(sandbox, 10));
		}
		if (run.wants('r2')) {
			await run.record('r2a_slowTurnThenQuantity', () => slowTurnThenNextMessage(sandbox, proxy, 5, 'I want the deluxe room June 20-23', 'make it 2 rooms please'));
			await run.record('r2b_slowTurnThenNewDates', () => slowTurnThenNextMessage(sandbox, proxy, 5, 'I want the deluxe room June 20-23', 'actually June 21-24 instead'));
		}
		if (run.wants('d')) {
			await run.record('d_workerDiesDuringDm', () => workerDiesDuringDm(sandbox));
		}
	} finally {
		run.save();
		await proxy.stop();
		await sandbox.stop();
	}
	process.stdout.write(`${JSON.stringify(run.figures, null, 2)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
	process.exit(1);
});
