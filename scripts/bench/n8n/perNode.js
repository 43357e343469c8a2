// @ts-check
'use strict';
/**
 * Where a run's time goes: per node of the conversation workflow, the wall time n8n recorded for it
 * (`executionTime` in the saved run data), over finished executions of one capacity step. Wall time, not
 * CPU: a node waiting on the model or Stripe shows here too; the CPU per DM is measured for the whole n8n.
 */
const { listFinished } = require('./executions');

/** @param {number[]} values */
function median(values) {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * @param {any} api  N8nApi
 * @param {string} workflowId
 * @param {{ afterId: number, sample?: number }} o  executions after this id; at most `sample` of them (default 40)
 * @returns {Promise<{ executions: number, nodes: Array<{ node: string, medianMs: number | null, sharePct: number | null }>, runMedianMs: number | null }>}
 */
async function perNodeBreakdown(api, workflowId, o) {
	const finished = (await listFinished(api, workflowId, { afterId: o.afterId, max: 5000 })).filter((e) => e.status === 'success');
	const sample = finished.slice(-(o.sample ?? 40));
	/** @type {Map<string, number[]>} */
	const byNode = new Map();
	/** @type {number[]} */
	const runs = [];
	for (const summary of sample) {
		const execution = await api.getExecution(String(summary.id));
		const runData = execution?.data?.resultData?.runData ?? {};
		let total = 0;
		for (const [node, nodeRuns] of Object.entries(runData)) {
			for (const run of /** @type {any[]} */ (nodeRuns)) {
				const ms = Number(run?.executionTime ?? 0);
				total += ms;
				if (!byNode.has(node)) byNode.set(node, []);
				/** @type {number[]} */ (byNode.get(node)).push(ms);
			}
		}
		if (summary.stoppedAt !== null) runs.push(summary.stoppedAt - summary.startedAt);
		void total;
	}
	const medians = [...byNode.entries()].map(([node, values]) => ({ node, medianMs: median(values) }));
	const sum = medians.reduce((acc, m) => acc + (m.medianMs ?? 0), 0);
	return {
		executions: sample.length,
		nodes: medians
			.sort((a, b) => (b.medianMs ?? 0) - (a.medianMs ?? 0))
			.map((m) => ({ ...m, sharePct: sum > 0 && m.medianMs !== null ? Math.round((m.medianMs / sum) * 1000) / 10 : null })),
		runMedianMs: median(runs),
	};
}

module.exports = { perNodeBreakdown };
