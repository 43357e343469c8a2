// @ts-check
'use strict';
/** The markdown tables of the real-n8n bench (printed, written to bench/results/latest.md). */
const { fmt, ms, mib, mdTable } = require('./util');

/** @param {any} m machine */
function machineLine(m) {
	return `${m.cpu.model} (${m.cpu.cores} cores), ${fmt(m.memoryBytes / 1024 ** 3, 1)} GiB RAM, ${m.os}, Node ${m.node}, n8n ${m.n8n}; load average at start ${m.loadavgAtStart.join(' / ')}`;
}

/** @param {any} ingress */
function ingressTable(ingress) {
	const r = ingress.results;
	const floor = r.bare;
	const rows = [];
	for (const key of ['bare', 'ours', 'builtin', 'code', 'oursV2', 'oursNoDedupe']) {
		const t = r[key];
		if (!t) continue;
		if (t.notServed) {
			rows.push([t.name, 'webhook not served', '–', '–', '–', '–', '–', '–', '–']);
			continue;
		}
		const ratio = floor && floor.requestsPerS ? t.requestsPerS / floor.requestsPerS : null;
		const cpuRatio = floor && floor.cpuMsPerRequest && t.cpuMsPerRequest ? t.cpuMsPerRequest / floor.cpuMsPerRequest : null;
		rows.push([
			`${t.name}${key === 'builtin' && t.publication && !t.publication.published ? ' †' : ''}`,
			`${t.ok}/${t.sent}${t.cappedByTime ? '*' : ''}`,
			fmt(t.requestsPerS, 1),
			ms(t.latency.p50),
			ms(t.latency.p99),
			fmt(t.executions.perS, 1),
			t.cpuMsPerRequest === null ? '–' : fmt(t.cpuMsPerRequest, 0),
			ratio === null ? '–' : `${fmt(ratio, 2)}×`,
			cpuRatio === null ? '–' : `${fmt(cpuRatio, 2)}×`,
		]);
	}
	return mdTable(['ingress target', 'answered', 'req/s', 'p50', 'p99', 'runs done/s', 'n8n CPU ms/req', 'req/s vs floor', 'CPU vs floor'], rows);
}

/** @param {any} capacity @param {any} [ingress] */
function capacityTable(capacity, ingress) {
	const rows = capacity.steps.map((/** @type {any} */ s) => [
		`${fmt(s.rate, s.rate < 1 ? 1 : 0)} DM/s × ${capacity.settings.stepSeconds} s`,
		s.sent,
		ms(s.latency.p50),
		ms(s.latency.p99),
		fmt(s.achievedPerS, 2),
		s.lost,
		s.duplicated,
		s.cpuMsPerDm === null ? '–' : fmt(s.cpuMsPerDm, 0),
	]);
	const window = capacity.settings.combineSeconds ?? 0;
	return mdTable(['step', 'DMs', 'DM→link p50', 'p99', 'links/s achieved', 'lost', 'duplicated', 'n8n CPU ms/DM'], rows)
		+ `\n\nHighest rate with p99 under 2 s: **${capacity.highestRateP99Under2s === null ? 'none of the steps' : `${capacity.highestRateP99Under2s} DM/s`}**`
		+ (ingress?.results?.bare ? ` (bare-webhook floor on the same n8n: ${fmt(ingress.results.bare.executions.perS, 1)} runs/s)` : '')
		+ (capacity.stoppedBecause ? `; ladder stopped: ${capacity.stoppedBecause}.` : '.')
		+ (window === 0 ? ' The triggers\' quiet window was off for the ladder (n8n\'s own work); the shipped template waits 3 s for more messages of the chat before it answers, which adds exactly that to each answer.' : ` The triggers waited ${window} s for more messages before each answer (included above).`)
		+ perNodeTable(capacity);
}

/** The per-node wall times of the last step that kept up (or the first step). @param {any} capacity */
function perNodeTable(capacity) {
	const kept = capacity.steps.filter((/** @type {any} */ s) => s.perNode && s.lost === 0 && s.latency.p99 !== null && s.latency.p99 < 2000);
	const step = kept[kept.length - 1] ?? capacity.steps.find((/** @type {any} */ s) => s.perNode);
	if (!step?.perNode?.nodes?.length) return '';
	const rows = step.perNode.nodes.map((/** @type {any} */ n) => [n.node, ms(n.medianMs), n.sharePct === null ? '–' : `${fmt(n.sharePct, 1)} %`]);
	return `\n\nWhere a DM's run spends its time (${fmt(step.rate, 0)} DM/s step, median over ${step.perNode.executions} executions; wall time per node as n8n records it, run median ${ms(step.perNode.runMedianMs)}):\n\n${mdTable(['node', 'median', 'share'], rows)}`;
}

/** @param {Array<{ config: any, result: any }>} bursts */
function burstTable(bursts) {
	const head = ['burst', ...bursts.map((b) => b.config.label)];
	/** @type {Array<[string, (r: any) => string]>} */
	const lines = [
		['DMs sent (client, s)', (r) => `${r.dm.sent} (${fmt(r.dm.clientSendMs / 1000, 1)} s)`],
		['DMs: time to drain (last link)', (r) => (r.dm.drainMs === null ? '–' : `${fmt(r.dm.drainMs / 1000, 1)} s${r.dm.drainTimedOut ? ' (cap hit)' : ''}`)],
		['sessions created', (r) => String(r.dm.sessionsCreated)],
		['links sent', (r) => String(r.dm.linksSent)],
		['DMs lost / duplicated', (r) => `${r.dm.lost} / ${r.dm.duplicated}`],
		['n8n CPU per DM', (r) => (r.dm.cpuMsPerDm === null ? '–' : `${fmt(r.dm.cpuMsPerDm, 0)} ms`)],
		['Stripe events (deliveries)', (r) => `${r.stripe.events} (${r.stripe.deliveries})`],
		['Stripe: time to drain (last confirmation)', (r) => (r.stripe.drainMs === null ? '–' : `${fmt(r.stripe.drainMs / 1000, 1)} s${r.stripe.drainTimedOut ? ' (cap hit)' : ''}`)],
		['delivery p50 / p99 (run time)', (r) => `${ms(r.stripe.deliveryMs.p50)} / ${ms(r.stripe.deliveryMs.p99)}`],
		['failed deliveries → Stripe retries', (r) => `${r.stripe.failedDeliveries} → ${r.stripe.retries}`],
		['rows paid', (r) => String(r.stripe.rowsPaid)],
		['confirmations sent', (r) => String(r.stripe.confirmations)],
		['confirmations lost / duplicated', (r) => `${r.stripe.lost} / ${r.stripe.duplicated}`],
		['n8n CPU per delivery', (r) => (r.stripe.cpuMsPerEvent === null ? '–' : `${fmt(r.stripe.cpuMsPerEvent, 0)} ms`)],
		['n8n peak RSS (DMs / Stripe)', (r) => `${r.dm.peakRssBytes ? mib(r.dm.peakRssBytes) : '–'} / ${r.stripe.peakRssBytes ? mib(r.stripe.peakRssBytes) : '–'}`],
		['memory guard (load stopped)', (r) => (r.dm.memoryCapHit || r.stripe.memoryCapHit ? `hit in the ${r.dm.memoryCapHit ? 'DM' : 'Stripe'} phase` : 'not hit')],
	];
	return mdTable(head, lines.map(([label, f]) => [label, ...bursts.map((b) => (b.result.error ? (label === 'DMs sent (client, s)' ? `failed: ${b.result.error}` : '–') : f(b.result)))]));
}

/** @param {any} f */
function footprintTable(f) {
	const pk = Object.entries(f.installed.packages).map(([name, p]) => `${name}@${/** @type {any} */ (p).version} ${mib(/** @type {any} */ (p).apparent)}`).join(', ');
	return mdTable(['footprint', 'value'], [
		['packed tarball', `${fmt(f.tarball.bytes / 1024, 1)} KiB (${f.tarball.files} files)`],
		['installed by n8n, apparent', `${mib(f.installed.total.apparent)} (${fmt(f.installed.total.files, 0)} files: ${pk})`],
		['installed by n8n, on disk', mib(f.installed.total.disk)],
		['n8n start, with the pack (median)', `${fmt(f.startup.withPackMedianMs, 0)} ms (${f.startup.withPackMs.join(', ')})`],
		['n8n start, without (median)', `${fmt(f.startup.withoutPackMedianMs, 0)} ms (${f.startup.withoutPackMs.join(', ')})`],
		['difference of the medians', `${fmt(f.startup.deltaMedianMs, 0)} ms`],
	]);
}

/**
 * @param {any} results  the object written to latest.json
 */
function markdown(results) {
	const parts = [`### Real-n8n bench (${results.quick ? 'quick mode: short steps, small bursts — not the reference figures' : 'full run'})`, '', `Machine: ${machineLine(results.machine)}. Date: ${results.date}.`, ''];
	if (results.ingress) {
		const s = results.ingress.settings;
		parts.push(`**1. Ingress** — same signed WhatsApp body (fresh message id each), ${s.count} requests per target in ${s.rounds} interleaved round(s) at concurrency ${s.concurrency} (after ${s.warmup} warm-up), ${results.baseConfig && results.baseConfig.key !== 'defaults' ? `n8n setting: ${results.baseConfig.label}` : 'n8n defaults'} (execution saving included); \`NODE_FUNCTION_ALLOW_BUILTIN=crypto\` set for the Code node. "runs done/s": executions finished per second (n8n answers before the run ends); "n8n CPU": n8n's processes' CPU time per request, the figure least disturbed by other load on the machine.`, '', ingressTable(results.ingress), '');
		const pub = results.ingress.results.builtin?.publication;
		const why = (pub?.publication?.triggers ?? []).map((/** @type {any} */ t) => t.errorMessage).filter(Boolean).join('; ') || pub?.reason;
		if (pub && !pub.published) parts.push(`† Publishing n8n's own WhatsApp Trigger ends '${pub.publication?.status ?? 'failed'}' ("${why}"). Its activation registers the Meta app subscription at graph.facebook.com (hard-coded; refused offline: ${pub.blockedOutbound.join(', ') || '–'}). n8n ${results.machine.n8n} still kept the workflow active${pub.active ? ' and served its webhook' : ''}, so its request path is measured; in production it cannot be published without reaching Meta.`, '');
	}
	if (results.capacity) parts.push(`**2. Conversation capacity** — DM → link button at the Graph simulator, template as shipped, ${results.baseConfig && results.baseConfig.key !== 'defaults' ? results.baseConfig.label : 'n8n defaults'}.`, '', capacityTable(results.capacity, results.ingress), '');
	if (results.bursts?.length) {
		const b = results.bursts.find((/** @type {any} */ x) => x.result.settings)?.result.settings ?? {};
		parts.push(`**3. Burst** — ${b.dms} DMs over both channels (${b.concurrency} connections), then their Stripe events (${b.stripeConcurrency} connections, each waiting for its run; ${Math.round((b.redeliverShare ?? 0) * 100)} % redelivered, half of those concurrently; failed deliveries retried by the Stripe simulator after ${(results.parameters?.stripeRetryDelaysMs ?? []).map((/** @type {number} */ d) => `${d / 1000} s`).join(', ')}); a fresh n8n per column.`, '', burstTable(results.bursts), '');
	}
	if (results.footprint) parts.push('**4. Footprint**', '', footprintTable(results.footprint), '');
	return parts.join('\n');
}

module.exports = { markdown, ingressTable, capacityTable, burstTable, footprintTable, machineLine };
