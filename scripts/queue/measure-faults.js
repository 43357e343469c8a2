// @ts-check
'use strict';
/**
 * Measures (does not judge) what n8n 2.40.7's queue mode does with this pack's template when things fail:
 *   A. a worker SIGKILLed in the middle of a DM's run (n8n's default stall settings, then short ones);
 *   B. a worker SIGKILLed in the middle of a run Stripe started (Stripe retries on its schedule);
 *   C. Redis restarted in the middle of a burst of DMs.
 * Prints one JSON document and writes it to .sandbox/queue-faults.json; docs/queue-mode-notes.md records the
 * figures. Run: bash scripts/with-node24.sh node scripts/queue/measure-faults.js   (≈ 10 min; bounded)
 */
// The simulators and the n8n harness under tools/ are TypeScript.
require('../../tools/register');
const { startQueueSandbox } = require('../../tools/n8n/queue/sandbox');
const { figuresFile } = require('./figures');
const { eventually, sleep } = require('../../tools/wait');

const UNFINISHED = ['running', 'new', 'waiting', 'queued'];
const log = (/** @type {string} */ line) => process.stdout.write(`[faults] ${line}\n`);
let nextUser = 0;
const newCustomer = () => `49153000${String(++nextUser).padStart(5, '0')}`;

/** @param {any} sandbox */
async function runningExecution(sandbox) {
	return await eventually('a running execution', async () => {
		const list = await sandbox.api.listExecutions(sandbox.workflowId, { limit: 20 });
		return list.find((/** @type {any} */ e) => e.status === 'running');
	}, 60_000);
}

/** The worker whose log says it started this execution. @param {any} sandbox @param {string} id */
function workerOf(sandbox, id) {
	return sandbox.queue.workers.find((/** @type {any} */ w) => new RegExp(`Worker started execution ${id} \\(`).test(w.handle().logs()));
}

/** Polls one execution until it is no longer unfinished; ms and final status. @param {any} sandbox @param {string} id @param {number} boundMs */
async function watchExecution(sandbox, id, boundMs) {
	const t0 = Date.now();
	for (;;) {
		const e = await sandbox.api.getExecution(id).catch(() => undefined);
		if (e && !UNFINISHED.includes(e.status)) return { afterMs: Date.now() - t0, status: e.status, finished: e.finished };
		if (Date.now() - t0 > boundMs) return { afterMs: Date.now() - t0, status: e?.status ?? 'unknown', bound: true };
		await sleep(1000);
	}
}

/** A. Kill the worker running a DM's run while its link is on the way to Meta. @param {any} sandbox */
async function killWorkerDuringDm(sandbox, label) {
	const user = newCustomer();
	const hold = sandbox.graph.holdSends();
	const delivery = await sandbox.customerSays('whatsapp', 'I want to book the Deluxe Suite for June 15-17', { from: user });
	await hold.waitForHeld(1, { timeoutMs: 90_000 });
	const execution = await runningExecution(sandbox);
	const worker = workerOf(sandbox, execution.id);
	const t0 = Date.now();
	await worker.kill();
	hold.release();
	const outcome = await watchExecution(sandbox, execution.id, 240_000);
	await sleep(15_000); // would anything pick the message up again?
	const runsForMessage = (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 50 })).filter((/** @type {any} */ e) => Date.parse(e.startedAt) >= t0 - 60_000).length;
	const result = {
		label,
		metaAnswer: delivery.status,
		killedWorker: worker.name,
		execution: execution.id,
		executionEnded: outcome,
		linksDelivered: sandbox.graph.sent.filter((/** @type {any} */ s) => s.to === user).length,
		abandonedSendCalls: sandbox.graph.attempts.filter((/** @type {any} */ a) => a.to === user && a.abandoned).length,
		runsSinceForAnyMessage: runsForMessage,
		orderRows: (await sandbox.orders()).filter((/** @type {any} */ r) => r.userId === user).map((/** @type {any} */ r) => r.status),
		webhookHostLog: sandbox.queue.webhookHosts.map((/** @type {any} */ h) => h.handle().logs().split('\n').filter((/** @type {string} */ l) => l.includes(`execution ${execution.id}`) || l.includes(`Execution ${execution.id}`)).slice(-3)).flat(),
	};
	await worker.restart();
	return result;
}

/** B. Kill the worker running a Stripe-started run while the confirmation is on its way. @param {any} sandbox */
async function killWorkerDuringStripeRun(sandbox) {
	const user = newCustomer();
	await sandbox.customerSays('whatsapp', 'I want to book the Deluxe Suite for June 15-17', { from: user });
	const [link] = await sandbox.graph.waitForSends(1, { to: user, timeoutMs: 120_000 });
	const sessionId = link.urls[0].slice(link.urls[0].lastIndexOf('/') + 1);
	await eventually('the link run to finish', async () => (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 20 })).every((/** @type {any} */ e) => !UNFINISHED.includes(e.status)), 120_000);
	const hold = sandbox.graph.holdSends();
	const t0 = Date.now();
	const paying = sandbox.stripe.pay(sessionId);
	await hold.waitForHeld(1, { timeoutMs: 90_000 });
	const execution = await runningExecution(sandbox);
	const worker = workerOf(sandbox, execution.id);
	const killedAt = Date.now();
	await worker.kill();
	hold.release();
	const paid = await paying;
	const completed = paid.events.find((/** @type {any} */ e) => e.type === 'checkout.session.completed');
	const firstAnswerMs = Date.now() - killedAt;
	const outcome = await watchExecution(sandbox, execution.id, 240_000);
	await worker.restart();
	await sandbox.stripe.waitForDelivered(completed.id, { timeoutMs: 300_000 });
	await sleep(3000);
	const rows = (await sandbox.orders()).filter((/** @type {any} */ r) => r.sessionId === sessionId);
	return {
		killedWorker: worker.name,
		execution: execution.id,
		stripeFirstDelivery: { status: completed.deliveries[0].status, answeredAfterKillMs: firstAnswerMs },
		deadExecutionEnded: outcome,
		deliveries: completed.deliveries.map((/** @type {any} */ d) => d.status),
		deliveredAfterMs: Date.now() - t0,
		confirmations: sandbox.graph.sent.filter((/** @type {any} */ s) => s.to === user && /Payment received/.test(s.text ?? '')).length,
		rows: rows.map((/** @type {any} */ r) => [r.status, r.repliedNotice]),
	};
}

/**
 * C. Restart Redis in the middle of a burst of DMs through the load balancer: SIGTERM (AOF written) or SIGKILL.
 * @param {any} sandbox @param {{ kill?: boolean }} [o]
 */
async function restartRedisDuringBurst(sandbox, o = {}, count = 30) {
	const since = Date.now();
	/** @type {Array<{ user: string, status: number | string, answerMs: number }>} */
	const sent = [];
	let redisAwayMs = 0;
	for (let i = 0; i < count; i++) {
		if (i === Math.floor(count / 3)) {
			// In the background: SIGTERM (the AOF is written), 2 s away, start on the same port.
			void sandbox.queue.redis.restart({ downMs: 2000, kill: o.kill === true }).then((/** @type {number} */ ms) => (redisAwayMs = ms));
		}
		const user = newCustomer();
		const t0 = Date.now();
		const delivery = await sandbox.customerSays('whatsapp', 'I want to book the Deluxe Suite for June 15-17', { from: user }).catch((/** @type {Error} */ e) => ({ status: `error: ${e.message}` }));
		sent.push({ user, status: delivery.status, answerMs: Date.now() - t0 });
		await sleep(150);
	}
	await sleep(5000);
	await eventually('the burst to settle', async () => (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 100 })).every((/** @type {any} */ e) => !UNFINISHED.includes(e.status) || Date.now() - Date.parse(e.startedAt) > 240_000), 300_000).catch(() => undefined);
	await sleep(3000);
	const runs = (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 100 })).filter((/** @type {any} */ e) => Date.parse(e.startedAt) >= since);
	/** @type {Array<{ id: string, status: string, lastNode?: string, error?: string }>} */
	const failed = [];
	for (const run of runs.filter((/** @type {any} */ e) => e.status !== 'success')) {
		const full = await sandbox.api.getExecution(run.id).catch(() => undefined);
		failed.push({ id: run.id, status: run.status, lastNode: full?.data?.resultData?.lastNodeExecuted, error: full?.data?.resultData?.error?.message });
	}
	const links = sent.map((s) => sandbox.graph.sent.filter((/** @type {any} */ m) => m.to === s.user && (m.urls ?? []).length > 0).length);
	const processesAlive = [sandbox.queue.main, ...sandbox.queue.webhookHosts, ...sandbox.queue.workers].map((/** @type {any} */ p) => ({ name: p.name, healthz: null }));
	for (const p of processesAlive) {
		const proc = sandbox.queue.process(p.name);
		p.healthz = await fetch(`${proc.handle().baseUrl}healthz`).then((r) => r.status, () => 'no answer');
	}
	// The trigger's warnings about n8n's Redis in the webhook hosts' logs so far (at most one a minute per host).
	const claimWarnings = sandbox.queue.webhookHosts.flatMap((/** @type {any} */ h) => h.handle().logs().split('\n').filter((/** @type {string} */ l) => /could not (check|mark) .*Redis/.test(l))).length;
	return {
		how: o.kill ? 'SIGKILL' : 'SIGTERM',
		dms: count,
		redisAwayMs,
		claimWarningsInHostLogsSoFar: claimWarnings,
		slowestAnswersMs: sent.map((s) => s.answerMs).sort((a, b) => b - a).slice(0, 3),
		medianAnswerMs: sent.map((s) => s.answerMs).sort((a, b) => a - b)[Math.floor(sent.length / 2)],
		metaAnswers: sent.reduce((/** @type {Record<string, number>} */ acc, s) => ({ ...acc, [s.status]: (acc[s.status] ?? 0) + 1 }), {}),
		runs: runs.length,
		failedRuns: failed,
		runStatuses: runs.reduce((/** @type {Record<string, number>} */ acc, /** @type {any} */ e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }), {}),
		linksPerDm: links.reduce((/** @type {Record<number, number>} */ acc, n) => ({ ...acc, [n]: (acc[n] ?? 0) + 1 }), {}),
		dmsWithoutLink: sent.filter((_, i) => links[i] === 0).map((s) => s.status),
		processesAfter: processesAlive,
	};
}

async function main() {
	const sandbox = await startQueueSandbox({ log, replyLeaseSeconds: 5, stripeRetryDelaysMs: [5_000, 10_000, 20_000, 40_000, 80_000] });
	const run = figuresFile('queue-faults.json', log);
	try {
		if (run.wants('dm')) {
			await run.record('workerKilledDuringDm_defaults', () => killWorkerDuringDm(sandbox, 'QUEUE_WORKER_LOCK_DURATION=60000, QUEUE_WORKER_STALLED_INTERVAL=30000 (defaults)'));
		}
		if (run.wants('stripe')) {
			await run.record('workerKilledDuringStripeRun_defaults', () => killWorkerDuringStripeRun(sandbox));
		}
		if (run.wants('short')) {
			const short = { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };
			for (const w of sandbox.queue.workers) await w.restart(short);
			await run.record('workerKilledDuringDm_short', () => killWorkerDuringDm(sandbox, JSON.stringify(short)));
			await run.record('workerKilledDuringStripeRun_short', () => killWorkerDuringStripeRun(sandbox));
		}
		if (run.wants('redis')) {
			await run.record('redisRestartedDuringBurst', () => restartRedisDuringBurst(sandbox));
		}
		if (run.wants('redis-kill')) {
			await run.record('redisKilledDuringBurst', () => restartRedisDuringBurst(sandbox, { kill: true }));
		}
	} finally {
		run.save();
		await sandbox.stop();
	}
	process.stdout.write(`${JSON.stringify(run.figures, null, 2)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
	process.exit(1);
});
