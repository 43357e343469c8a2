// @ts-check
'use strict';
/**
 * Section 3, burst: `dms` DMs across both channels (alternating), each from a new customer, sent as fast as
 * the client can at `concurrency` connections; then every link's session is paid, and the Stripe events
 * delivered as fast as the client can at `stripeConcurrency` connections (the template answers Stripe after
 * the run, so each connection waits for a whole run), `redeliverShare` of them once more: half of those concurrently with
 * the first delivery, half after all first deliveries. Deliveries that fail or time out (the simulator
 * waits 10 s for an answer) are retried by the Stripe simulator on the schedule the sandbox was started
 * with (`stripeRetryDelaysMs`), as Stripe retries.
 * Counted only at the simulators and in the orders table: sessions created, links sent, rows paid,
 * confirmations sent, lost and duplicated; and the time each phase took to drain.
 */
const { pool, sleep, waitUntil, load, groupCpuMs, memoryGuard, latencySummary } = require('./util');
const { ORDER_TEXTS, customer, sendDm, Outcomes } = require('./conversation');

/** Rows in the orders table with `status` = value (n8n's row count for a filter, one request). */
async function countRows(/** @type {any} */ sb, /** @type {string} */ status) {
	const r = await sb.api.listRows(sb.tableIds.chat_checkout_orders, { take: 1, filter: { type: 'and', filters: [{ columnName: 'status', condition: 'eq', value: status }] } });
	return Number(r.count ?? 0);
}

/** Every order row (paged 250 at a time, bounded). */
async function allRows(/** @type {any} */ sb, /** @type {number} */ max) {
	/** @type {any[]} */
	const rows = [];
	for (let skip = 0; skip < max + 250; skip += 250) {
		const page = await sb.api.listRows(sb.tableIds.chat_checkout_orders, { take: 250, skip });
		rows.push(...(page.data ?? []));
		if ((page.data ?? []).length < 250) break;
	}
	return rows;
}

/**
 * @param {any} sb
 * @param {{ dms: number, concurrency: number, stripeConcurrency: number, redeliverShare: number, dmDrainMs: number, stripeDrainMs: number, rssCapBytes: number, log: (l: string) => void }} o
 */
async function runBurst(sb, o) {
	const outcomes = new Outcomes(sb.graph);
	const runTag = 20;
	const dmLoadBefore = load();

	// Phase 1: the DMs.
	const dmCpu0 = groupCpuMs(sb.n8n.pid);
	const dmGuard = memoryGuard(sb.n8n.pid, o.rssCapBytes);
	const dmPhase = await (async () => {
		/** @type {any[]} */
		const dms = [];
		const t0 = Date.now();
		await pool(o.dms, o.concurrency, t0 + o.dmDrainMs, async (i) => {
			const channel = i % 2 === 0 ? 'whatsapp' : 'instagram';
			dms[i] = await sendDm(sb, channel, customer(channel, runTag, i), ORDER_TEXTS[i % ORDER_TEXTS.length]);
		}, () => dmGuard.tripped);
		const sentMs = Date.now() - t0;
		const sent = dms.filter(Boolean);
		const users = sent.map((d) => d.user);
		const drain = await waitUntil(() => {
			const t = outcomes.tally(users);
			return t.linked >= users.length || dmGuard.tripped ? t : undefined;
		}, { timeoutMs: Math.max(0, t0 + o.dmDrainMs - Date.now()), intervalMs: 500 });
		return { t0, sentMs, sent, users, drainTimedOut: drain.timedOut };
	})();
	dmGuard.stop();
	const dmCpu1 = groupCpuMs(sb.n8n.pid);
	const { t0, sentMs, sent, users, drainTimedOut } = dmPhase;
	await sleep(2000); // a late duplicate would show up here
	const afterDms = outcomes.tally(users);
	const userSet = new Set(users);
	const sessions = [...sb.stripe.sessions.values()].filter((s) => userSet.has(String(s.metadata?.chat_user_id ?? '')));
	const dm = {
		sent: sent.length,
		accepted: sent.filter((d) => d.status !== null && d.status >= 200 && d.status < 300).length,
		retriedDms: sent.filter((d) => d.attempts > 1).length,
		clientSendMs: sentMs,
		clientPerS: sent.length / (sentMs / 1000),
		sessionsCreated: sessions.length,
		linksSent: afterDms.linked,
		lost: sent.length - afterDms.linked,
		duplicated: afterDms.linkDuplicates,
		otherReplies: afterDms.otherReplies,
		drainMs: afterDms.lastLinkAt ? afterDms.lastLinkAt - t0 : null,
		drainTimedOut,
		cpuMsPerDm: dmCpu0 !== null && dmCpu1 !== null ? (dmCpu1 - dmCpu0) / sent.length : null,
		peakRssBytes: dmGuard.peakBytes || null,
		memoryCapHit: dmGuard.tripped ? dmGuard.trippedAtBytes : null,
		load: { before: dmLoadBefore, after: load() },
	};
	o.log(`  DMs: ${dm.sent} sent in ${(sentMs / 1000).toFixed(1)} s, ${dm.linksSent} links after ${((dm.drainMs ?? 0) / 1000).toFixed(1)} s, ${dm.sessionsCreated} sessions, lost ${dm.lost}, duplicated ${dm.duplicated}`);

	// Phase 2: pay every session that got a link; deliver its checkout.session.completed.
	const toPay = users.map((user) => ({ user, session: outcomes.get(user).sessions[0] })).filter((p) => p.session);
	const share = Math.round(toPay.length * o.redeliverShare);
	const concurrentDup = new Set(toPay.slice(0, Math.ceil(share / 2)).map((p) => p.session));
	const laterDup = toPay.slice(Math.ceil(share / 2), share).map((p) => p.session);
	const stripeLoadBefore = load();
	const sCpu0 = groupCpuMs(sb.n8n.pid);
	const sGuard = memoryGuard(sb.n8n.pid, o.rssCapBytes);
	const stripePhase = await (async () => {
		const p0 = Date.now();
		/** @type {Map<string, string>} session → event id */
		const eventOf = new Map();
		let payErrors = 0;
		await pool(toPay.length, o.stripeConcurrency, p0 + o.stripeDrainMs, async (i) => {
			const { session } = toPay[i];
			try {
				const r = await sb.stripe.pay(session, concurrentDup.has(session) ? { order: 'concurrent', duplicates: 1 } : { order: 'sequential', duplicates: 0 });
				for (const e of r.events) eventOf.set(session, e.id);
			} catch {
				payErrors += 1;
			}
		}, () => sGuard.tripped);
		await pool(laterDup.length, o.stripeConcurrency, p0 + o.stripeDrainMs, async (i) => {
			const id = eventOf.get(laterDup[i]);
			if (id) await sb.stripe.redeliver(id);
		}, () => sGuard.tripped);
		const deliveredMs = Date.now() - p0;
		// Deliveries that failed or timed out are retried by the Stripe simulator itself, on the schedule
		// the sandbox gave it (stripeRetryDelaysMs), as Stripe does.
		const drain = await waitUntil(() => {
			const t = outcomes.tally(toPay.map((p) => p.user));
			return t.confirmed >= toPay.length || sGuard.tripped ? t : undefined;
		}, { timeoutMs: Math.max(0, p0 + o.stripeDrainMs - Date.now()), intervalMs: 500 });
		return { p0, eventOf, payErrors, deliveredMs, drainTimedOut: drain.timedOut };
	})();
	sGuard.stop();
	// Past the memory guard: the simulator's pending automatic retries would only add to the pile.
	if (sGuard.tripped) sb.stripe.setRetryDelays([]);
	const sCpu1 = groupCpuMs(sb.n8n.pid);
	const { p0, eventOf, payErrors, deliveredMs } = stripePhase;
	await sleep(2000);
	const payUsers = toPay.map((p) => p.user);
	const afterPay = outcomes.tally(payUsers);
	const eventIds = new Set(eventOf.values());
	const records = sb.stripe.events.filter((/** @type {any} */ e) => eventIds.has(e.id));
	const deliveries = records.flatMap((/** @type {any} */ e) => e.deliveries);
	const retries = records.reduce((/** @type {number} */ n, /** @type {any} */ e) => n + (e.autoRetries ?? 0), 0);
	const durations = deliveries.filter((/** @type {any} */ d) => d.status !== null).map((/** @type {any} */ d) => d.durationMs);
	const rows = await allRows(sb, sent.length);
	const paidRows = rows.filter((r) => r.status === 'paid' && userSet.has(String(r.userId)));
	const stripe = {
		events: eventIds.size,
		deliveries: deliveries.length,
		redelivered: share,
		failedDeliveries: deliveries.filter((/** @type {any} */ d) => !(d.status >= 200 && d.status < 300)).length,
		failedBy: deliveries.filter((/** @type {any} */ d) => !(d.status >= 200 && d.status < 300)).reduce((/** @type {Record<string, number>} */ acc, /** @type {any} */ d) => {
			const k = d.status === null ? String(d.error ?? 'no answer').slice(0, 60) : `${d.status} ${String(d.responseBody ?? '').slice(0, 80)}`;
			acc[k] = (acc[k] ?? 0) + 1;
			return acc;
		}, {}),
		retries,
		neverAcknowledged: records.filter((/** @type {any} */ e) => !e.delivered).length,
		payErrors,
		deliveryMs: latencySummary(durations),
		clientDeliverMs: deliveredMs,
		rowsPaid: paidRows.length,
		rowsPaidTotal: await countRows(sb, 'paid'),
		rowsTotal: rows.length,
		confirmations: afterPay.confirmed,
		lost: toPay.length - afterPay.confirmed,
		duplicated: afterPay.confirmationDuplicates,
		drainMs: afterPay.lastConfirmationAt ? afterPay.lastConfirmationAt - p0 : null,
		drainTimedOut: stripePhase.drainTimedOut,
		cpuMsPerEvent: sCpu0 !== null && sCpu1 !== null && deliveries.length ? (sCpu1 - sCpu0) / deliveries.length : null,
		peakRssBytes: sGuard.peakBytes || null,
		memoryCapHit: sGuard.tripped ? sGuard.trippedAtBytes : null,
		load: { before: stripeLoadBefore, after: load() },
	};
	o.log(`  Stripe: ${stripe.events} events (${stripe.deliveries} deliveries, ${stripe.failedDeliveries} failed, ${retries} automatic retries, ${stripe.neverAcknowledged} never acknowledged), ${stripe.rowsPaid} rows paid, ${stripe.confirmations} confirmations after ${((stripe.drainMs ?? 0) / 1000).toFixed(1)} s, lost ${stripe.lost}, duplicated ${stripe.duplicated}`);
	return { settings: { dms: o.dms, concurrency: o.concurrency, stripeConcurrency: o.stripeConcurrency, redeliverShare: o.redeliverShare }, dm, stripe };
}

module.exports = { runBurst };
