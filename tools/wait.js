// @ts-check
'use strict';
/** Polling the end-to-end tests share: n8n answers webhooks before its runs end. */

const UNFINISHED = ['running', 'new', 'waiting', 'queued'];

/**
 * Polls `probe` every 250 ms until it returns something other than undefined/false; rethrows nothing, but
 * names the last error in the timeout message.
 * @template T
 * @param {string} what
 * @param {() => Promise<T | undefined | false> | T | undefined | false} probe
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
async function eventually(what, probe, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	/** @type {unknown} */
	let last;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return /** @type {T} */ (value);
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Waits until every execution of the workflow(s) has finished, then returns how many there are.
 * @param {{ listExecutions: (workflowId: string) => Promise<Array<{ status: string }>> }} api
 * @param {string | string[] | Record<string, string>} workflowIds
 */
async function settledExecutionCount(api, workflowIds) {
	const ids = typeof workflowIds === 'string' ? [workflowIds] : Object.values(workflowIds);
	return await eventually('executions to finish', async () => {
		const lists = await Promise.all(ids.map((id) => api.listExecutions(id)));
		const all = lists.flat();
		return all.every((e) => !UNFINISHED.includes(e.status)) ? all.length : undefined;
	});
}

module.exports = { eventually, settledExecutionCount, UNFINISHED };
