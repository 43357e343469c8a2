// @ts-check
'use strict';
/**
 * Section 2, conversation capacity: DMs at a fixed rate (open loop: one every 1/rate s, whether or not
 * n8n keeps up), a step of `stepSeconds` per rate, rates going up. Per step: DM → link-button latency as
 * the Graph simulator recorded it (link send time minus the time the DM POST left the client), p50/p99,
 * the rate actually achieved (links per second over the step's send window + drain), lost (no link after
 * a bounded drain) and duplicated (more than one link per DM). The ladder stops once a step loses DMs or
 * its p99 passes `stopP99Ms` (2 s): the knee is behind it and higher rates only pile up a backlog (and
 * memory: n8n holds each waiting run).
 */
const { latencySummary, sleep, waitUntil, load, groupCpuMs, memoryGuard } = require('./util');
const { ORDER_TEXTS, customer, sendDm, Outcomes } = require('./conversation');
const { lastExecutionId } = require('./executions');
const { perNodeBreakdown } = require('./perNode');
const { monotonicMicros } = require('./profile');

/**
 * The quiet window the template's triggers wait before answering a turn ("Combine Quick Messages", 3 s as
 * shipped) is a deliberate wait, not n8n's work: the ladder runs with `combineSeconds` (0 = off, the knee of
 * what n8n itself can do) and reports latencies with and without the window.
 * @param {any} api @param {string} workflowId @param {number} seconds
 */
async function setCombineWindow(api, workflowId, seconds) {
	const w = await api.getWorkflow(workflowId);
	const nodes = w.nodes.map((/** @type {any} */ n) =>
		/\.(whatsAppTrigger|instagramTrigger)$/.test(n.type) ? { ...n, parameters: { ...n.parameters, options: { ...(n.parameters.options ?? {}), combineWithinSeconds: seconds } } } : n);
	await api.request('PATCH', `/workflows/${workflowId}`, { body: { versionId: w.versionId, nodes, connections: w.connections } });
	await api.publishWorkflow(workflowId);
}

/**
 * One step at `rate` DMs/s.
 * @param {any} sb
 * @param {Outcomes} outcomes
 * @param {number} rate
 * @param {{ stepSeconds: number, drainMs: number, runTag: number, rssCapBytes: number }} o
 */
async function step(sb, outcomes, rate, o) {
	const count = Math.max(1, Math.round(rate * o.stepSeconds));
	const interval = 1000 / rate;
	/** @type {Array<Promise<any>>} */
	const sends = [];
	const cpuBefore = groupCpuMs(sb.n8n.pid);
	const loadBefore = load();
	const guard = memoryGuard(sb.n8n.pid, o.rssCapBytes);
	const firstExecution = await lastExecutionId(sb.api, sb.workflowId);
	const startUs = monotonicMicros();
	const t0 = Date.now();
	const deadline = t0 + o.stepSeconds * 1000 + 5000; // a slow client may not fall further behind than this
	for (let i = 0; i < count && Date.now() < deadline && !guard.tripped; i++) {
		const due = t0 + i * interval;
		const wait = due - Date.now();
		if (wait > 0) await sleep(wait);
		const channel = i % 2 === 0 ? 'whatsapp' : 'instagram';
		sends.push(sendDm(sb, channel, customer(channel, o.runTag, i), ORDER_TEXTS[i % ORDER_TEXTS.length]));
	}
	const sendWindowMs = Date.now() - t0;
	const dms = await Promise.all(sends);
	const users = dms.map((d) => d.user);
	const drain = await waitUntil(() => {
		const t = outcomes.tally(users);
		return t.linked >= users.length || guard.tripped ? t : undefined;
	}, { timeoutMs: o.drainMs, intervalMs: 250 });
	guard.stop();
	const tally = outcomes.tally(users);
	const cpuAfter = groupCpuMs(sb.n8n.pid);
	const endUs = monotonicMicros();
	/** @type {number[]} */
	const latencies = [];
	for (const d of dms) {
		const u = outcomes.get(d.user);
		if (u.links.length) latencies.push(u.links[0] - d.sentAt);
	}
	const spanMs = tally.lastLinkAt ? tally.lastLinkAt - t0 : null;
	const breakdown = await perNodeBreakdown(sb.api, sb.workflowId, { afterId: firstExecution, sample: 40 }).catch(() => null);
	return {
		rate,
		sent: dms.length,
		accepted: dms.filter((d) => d.status !== null && d.status >= 200 && d.status < 300).length,
		retriedDms: dms.filter((d) => d.attempts > 1).length,
		sendWindowMs,
		linked: tally.linked,
		lost: dms.length - tally.linked,
		duplicated: tally.linkDuplicates,
		otherReplies: tally.otherReplies,
		latency: latencySummary(latencies),
		achievedPerS: spanMs ? tally.linked / (spanMs / 1000) : null,
		drainTimedOut: drain.timedOut,
		scheduled: count,
		peakRssBytes: guard.peakBytes || null,
		memoryCapHit: guard.tripped ? guard.trippedAtBytes : null,
		cpuMsPerDm: cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / dms.length : null,
		load: { before: loadBefore, after: load() },
		perNode: breakdown,
		window: { startUs, endUs },
	};
}

/**
 * @param {any} sb
 * @param {{ rates: number[], stepSeconds: number, drainMs: number, stopP99Ms: number, pauseMs: number, rssCapBytes: number, combineSeconds: number, log: (l: string) => void }} o
 */
async function runCapacity(sb, o) {
	const outcomes = new Outcomes(sb.graph);
	await setCombineWindow(sb.api, sb.workflowId, o.combineSeconds);
	/** @type {any[]} */
	const steps = [];
	// Warm-up conversation (not counted): the first run of the template loads node code and the model client.
	const warm = await sendDm(sb, 'whatsapp', customer('whatsapp', 9, 0), ORDER_TEXTS[0]);
	await waitUntil(() => outcomes.tally([warm.user]).linked > 0 || undefined, { timeoutMs: 60_000 });
	let stoppedBecause = null;
	for (const [index, rate] of o.rates.entries()) {
		o.log(`capacity: ${rate} DM/s for ${o.stepSeconds} s …`);
		const s = await step(sb, outcomes, rate, { ...o, runTag: 10 + index });
		steps.push(s);
		o.log(`  ${s.linked}/${s.sent} links (peak RSS ${Math.round((s.peakRssBytes ?? 0) / 2 ** 20)} MiB), p50 ${s.latency.p50} ms, p99 ${s.latency.p99} ms, achieved ${s.achievedPerS?.toFixed(2)}/s, lost ${s.lost}, duplicated ${s.duplicated}, n8n CPU ${s.cpuMsPerDm?.toFixed(0)} ms/DM`);
		if (s.memoryCapHit || s.lost > 0 || (s.latency.p99 ?? Infinity) > o.stopP99Ms) {
			stoppedBecause = s.memoryCapHit
				? `${rate} DM/s: n8n passed the ${Math.round(o.rssCapBytes / 2 ** 20)} MiB memory guard (RSS ${Math.round(s.memoryCapHit / 2 ** 20)} MiB), sending stopped`
				: s.lost > 0 ? `${rate} DM/s lost DMs within the drain wait` : `${rate} DM/s had p99 > ${o.stopP99Ms} ms`;
			break;
		}
		await sleep(o.pauseMs); // let the executions list and the DB settle between steps
	}
	const underTwoSeconds = steps.filter((s) => s.lost === 0 && s.latency.p99 !== null && s.latency.p99 < 2000).map((s) => s.rate);
	return {
		settings: { rates: o.rates, stepSeconds: o.stepSeconds, drainMs: o.drainMs, stopP99Ms: o.stopP99Ms, combineSeconds: o.combineSeconds, channels: 'alternating WhatsApp / Instagram, one new customer per DM' },
		steps,
		stoppedBecause,
		highestRateP99Under2s: underTwoSeconds.length ? Math.max(...underTwoSeconds) : null,
	};
}

module.exports = { runCapacity };
