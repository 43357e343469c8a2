// @ts-check
'use strict';
/**
 * Reading a workflow's executions back from n8n's REST API: how many are finished / still going, and
 * their start and stop times (paged, newest first, 100 a page, bounded).
 */
const { eventuallyOrUndefined } = require('../../../tools/wait');

const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const GOING = ['new', 'running', 'waiting'];

/**
 * @param {any} api  N8nApi
 * @param {string} workflowId
 * @param {string[]} status
 * @returns {Promise<number>}
 */
async function countExecutions(api, workflowId, status) {
	const r = await api.request('GET', '/executions', { query: { filter: JSON.stringify({ workflowId, status }), limit: 1, lastId: '9999999999', firstId: '0' } });
	return Number(r.count ?? 0);
}

/**
 * Waits (bounded) until the workflow has at least `total` finished executions and none going.
 * @param {any} api
 * @param {string} workflowId
 * @param {number} total
 * @param {number} timeoutMs
 */
async function waitForFinished(api, workflowId, total, timeoutMs) {
	/** @type {{ finished: number, going: number }} */
	let last = { finished: 0, going: 0 };
	const started = Date.now();
	const done = await eventuallyOrUndefined(`${total} finished executions of workflow ${workflowId}`, async () => {
		const [finished, going] = await Promise.all([countExecutions(api, workflowId, FINISHED), countExecutions(api, workflowId, GOING)]);
		last = { finished, going };
		return finished >= total && going === 0 ? last : undefined;
	}, { timeoutMs, intervalMs: 300, retryErrors: false });
	// A bench reports a wait that ran out (timedOut) beside its figures instead of failing the run.
	return { ...last, timedOut: done === undefined, waitedMs: Date.now() - started };
}

/**
 * Summaries of the workflow's finished executions with an id above `afterId` (numeric ids), at most `max`.
 * @param {any} api
 * @param {string} workflowId
 * @param {{ afterId?: number, max?: number }} [o]
 * @returns {Promise<Array<{ id: number, status: string, startedAt: number, stoppedAt: number | null }>>}
 */
async function listFinished(api, workflowId, o = {}) {
	const afterId = o.afterId ?? 0;
	const max = o.max ?? 20_000;
	/** @type {Array<{ id: number, status: string, startedAt: number, stoppedAt: number | null }>} */
	const out = [];
	let lastId = '9999999999';
	for (let page = 0; page < Math.ceil(max / 100) + 1; page++) {
		const r = await api.request('GET', '/executions', {
			query: { filter: JSON.stringify({ workflowId, status: FINISHED }), limit: 100, lastId, firstId: String(afterId) },
		});
		const results = r.results ?? [];
		for (const e of results) {
			const id = Number(e.id);
			if (id <= afterId) continue;
			out.push({ id, status: e.status, startedAt: Date.parse(e.startedAt), stoppedAt: e.stoppedAt ? Date.parse(e.stoppedAt) : null });
		}
		if (results.length < 100 || out.length >= max) break;
		lastId = String(Math.min(...results.map((/** @type {any} */ e) => Number(e.id))));
	}
	return out;
}

/** Highest execution id n8n has handed out so far for the workflow (0 if none). */
async function lastExecutionId(/** @type {any} */ api, /** @type {string} */ workflowId) {
	const r = await api.request('GET', '/executions', { query: { filter: JSON.stringify({ workflowId, status: FINISHED }), limit: 1, lastId: '9999999999', firstId: '0' } });
	return r.results?.[0] ? Number(r.results[0].id) : 0;
}

module.exports = { countExecutions, waitForFinished, listFinished, lastExecutionId, FINISHED, GOING };
