// @ts-check
'use strict';
/**
 * Section 5, queue mode: the template in n8n's queue mode on this machine (tools/n8n/queue: PostgreSQL,
 * Redis, main, two webhook hosts behind the round-robin balancer, two workers), a burst of DMs with two
 * workers, then — the second worker stopped — the same burst with one. Per burst: how fast the links drain,
 * and where n8n's CPU goes per conversation (webhook hosts, each worker, main, PostgreSQL, Redis), measured as
 * CPU time from /proc, the figure least disturbed by other load on a shared machine; each worker's peak
 * resident memory during the burst.
 *
 * Two cores cannot show that two workers are twice one: all seven processes share them. What carries over to
 * a bigger host is the cost per conversation: a worker core gives 1000 / (worker CPU ms per DM) DMs per
 * second if nothing else is short (the webhook hosts, PostgreSQL and Redis need their own share, also shown).
 */
const fs = require('node:fs');
const path = require('node:path');
const { startQueueSandbox } = require('../../../tools/n8n/queue/sandbox');
const { pool, sleep, waitUntil, load, groupCpuMs, groupRssBytes, fmt, mib, mdTable } = require('./util');
const { ORDER_TEXTS, customer, sendDm, Outcomes } = require('./conversation');

/** CPU time (ms) of a process and all its descendants (PostgreSQL's backends, the Redis server). */
function treeCpuMs(/** @type {number} */ rootPid) {
	/** @type {Map<number, { ppid: number, cpu: number }>} */
	const procs = new Map();
	for (const d of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
			const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			procs.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * 10 });
		} catch {}
	}
	let total = 0;
	const stack = [rootPid];
	while (stack.length) {
		const pid = /** @type {number} */ (stack.pop());
		const p = procs.get(pid);
		if (!p) continue;
		total += p.cpu;
		for (const [child, c] of procs) if (c.ppid === pid) stack.push(child);
	}
	return total;
}

/** The pids whose CPU a burst is charged to. @param {any} sb */
function meters(sb) {
	const q = sb.queue;
	/** @type {Array<{ name: string, cpu: () => number | null, rss?: () => number | null }>} */
	const list = [q.main, ...q.webhookHosts, ...q.workers].filter((p) => p.running()).map((p) => ({
		name: p.name,
		cpu: () => groupCpuMs(p.handle().pid),
		rss: () => groupRssBytes(p.handle().pid),
	}));
	const postmaster = (() => {
		try {
			return Number(fs.readFileSync(path.join(q.postgres.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
		} catch {
			return 0;
		}
	})();
	if (postmaster) list.push({ name: 'postgresql', cpu: () => treeCpuMs(postmaster) });
	const redisPid = Number(q.redis.cli('INFO', 'server').match(/process_id:(\d+)/)?.[1] ?? 0);
	if (redisPid) list.push({ name: 'redis', cpu: () => treeCpuMs(redisPid) });
	return list;
}

/**
 * One burst: `dms` DMs (both channels, new customers) through the balancer at `concurrency`, until every
 * link is out (or the cap); CPU per process and peak RSS per process while it runs.
 * @param {any} sb @param {{ dms: number, concurrency: number, drainMs: number, runTag: number, log: (l: string) => void, dbNotReadyBefore?: number }} o
 */
async function burst(sb, o) {
	const outcomes = new Outcomes(sb.graph);
	o.dbNotReadyBefore = sb.queue.webhookHosts.reduce((/** @type {number} */ n, /** @type {any} */ h) => n + (h.handle().logs().match(/503 Database is not ready/g) ?? []).length, 0);
	const procs = meters(sb);
	const cpu0 = procs.map((p) => p.cpu());
	/** @type {Record<string, number>} */
	const peak = {};
	const sampler = setInterval(() => {
		for (const p of procs) if (p.rss) peak[p.name] = Math.max(peak[p.name] ?? 0, p.rss() ?? 0);
	}, 500);
	const loadBefore = load();
	const t0 = Date.now();
	/** @type {any[]} */
	const dms = [];
	await pool(o.dms, o.concurrency, t0 + o.drainMs, async (i) => {
		const channel = i % 2 === 0 ? 'whatsapp' : 'instagram';
		dms[i] = await sendDm(sb, channel, customer(channel, o.runTag, i), ORDER_TEXTS[i % ORDER_TEXTS.length]);
	});
	// A DM n8n still refused after the retries (Meta keeps retrying such a delivery for hours) is not counted
	// as lost: it never had its 200. Lost = answered 2xx and no link.
	const accepted = dms.filter((d) => d && d.status >= 200 && d.status < 300);
	const refused = dms.filter((d) => d && !(d.status >= 200 && d.status < 300));
	const users = accepted.map((d) => d.user);
	const drain = await waitUntil(() => {
		const t = outcomes.tally(users);
		return t.linked >= users.length ? t : undefined;
	}, { timeoutMs: Math.max(0, t0 + o.drainMs - Date.now()), intervalMs: 250 });
	clearInterval(sampler);
	await sleep(1500);
	const cpu1 = procs.map((p) => p.cpu());
	const tally = outcomes.tally(users);
	const lastLinkMs = tally.lastLinkAt ? tally.lastLinkAt - t0 : null;
	/** @type {Record<string, number | null>} */
	const cpuMsPerDm = {};
	procs.forEach((p, i) => {
		cpuMsPerDm[p.name] = cpu0[i] !== null && cpu1[i] !== null ? (/** @type {number} */ (cpu1[i]) - /** @type {number} */ (cpu0[i])) / users.length : null;
	});
	const sum = (/** @type {string[]} */ names) => names.reduce((a, n) => a + (cpuMsPerDm[n] ?? 0), 0);
	const workers = procs.filter((p) => p.name.startsWith('worker')).map((p) => p.name);
	const hosts = procs.filter((p) => p.name.startsWith('webhook')).map((p) => p.name);
	const result = {
		workers: workers.length,
		dms: dms.filter(Boolean).length,
		refused: refused.length,
		refusedStatuses: refused.map((d) => d.status),
		dbNotReady503: sb.queue.webhookHosts.reduce((n, h) => n + (h.handle().logs().match(/503 Database is not ready/g) ?? []).length, 0) - o.dbNotReadyBefore,
		linksSent: tally.linked,
		lost: users.length - tally.linked,
		duplicated: tally.linkDuplicates,
		drainTimedOut: drain.timedOut,
		lastLinkMs,
		linksPerS: lastLinkMs ? users.length / (lastLinkMs / 1000) : null,
		cpuMsPerDm,
		cpuMsPerDmBy: { webhookHosts: sum(hosts), workers: sum(workers), main: cpuMsPerDm.main ?? null, postgresql: cpuMsPerDm.postgresql ?? null, redis: cpuMsPerDm.redis ?? null, total: sum(Object.keys(cpuMsPerDm)) },
		peakRssBytes: peak,
		load: { before: loadBefore, after: load() },
	};
	o.log(`  ${workers.length} worker(s): ${result.refused} of ${result.dms} DMs refused by n8n after 4 tries (${result.dbNotReady503} × "503 Database is not ready!" from the webhook hosts); ${result.linksSent}/${users.length} accepted DMs got their link in ${fmt((lastLinkMs ?? 0) / 1000, 1)} s (${fmt(result.linksPerS, 2)}/s), CPU per DM: workers ${fmt(result.cpuMsPerDmBy.workers)} ms, webhook hosts ${fmt(result.cpuMsPerDmBy.webhookHosts)} ms, all ${fmt(result.cpuMsPerDmBy.total)} ms`);
	return result;
}

/**
 * @param {{ quick: boolean, log: (l: string) => void, cleanups: Set<() => Promise<unknown>>, dms?: number }} o
 */
async function runQueueSection(o) {
	const dms = o.dms ?? (o.quick ? 60 : 300);
	const P = { dms, concurrency: 32, drainMs: o.quick ? 240_000 : 600_000, warmup: 10 };
	// BENCH_QUEUE_PG_POOL: n8n's PostgreSQL pool per process (DB_POSTGRESDB_POOL_SIZE; n8n's default is 2).
	const n8nEnv = process.env.BENCH_QUEUE_PG_POOL ? { DB_POSTGRESDB_POOL_SIZE: process.env.BENCH_QUEUE_PG_POOL } : {};
	const sb = await startQueueSandbox({ log: (/** @type {string} */ l) => o.log(`  [queue sandbox] ${l}`), n8nEnv });
	const stop = () => sb.stop();
	o.cleanups.add(stop);
	try {
		/** @type {any[]} */
		const bursts = [];
		let runTag = 30;
		for (const workers of [2, 1]) {
			if (workers === 1) {
				o.log(`  stopping ${sb.queue.workers[1].name}: the same burst with one worker`);
				await sb.queue.workers[1].stop();
			}
			// Warm-up (expression isolates, caches) on every process, not measured.
			await burst(sb, { ...P, dms: P.warmup, runTag: runTag++, log: () => undefined });
			bursts.push(await burst(sb, { ...P, runTag: runTag++, log: o.log }));
		}
		const [two, one] = bursts;
		const perWorkerCoreDmsPerS = (/** @type {any} */ b) => (b.cpuMsPerDmBy.workers > 0 ? 1000 / b.cpuMsPerDmBy.workers : null);
		return {
			settings: { ...P, n8nEnv },
			topology: 'main + 2 webhook hosts (balancer) + 2 workers (then 1), PostgreSQL, Redis: all on this machine',
			bursts,
			paper: {
				workerCpuMsPerDm: one.cpuMsPerDmBy.workers,
				dmsPerSPerWorkerCore: perWorkerCoreDmsPerS(one),
				webhookHostCpuMsPerDm: one.cpuMsPerDmBy.webhookHosts,
				otherCpuMsPerDm: (one.cpuMsPerDmBy.main ?? 0) + (one.cpuMsPerDmBy.postgresql ?? 0) + (one.cpuMsPerDmBy.redis ?? 0),
				scalingOnTwoCores: two.linksPerS && one.linksPerS ? two.linksPerS / one.linksPerS : null,
			},
		};
	} finally {
		o.cleanups.delete(stop);
		await sb.stop();
	}
}

/** @param {any} q  runQueueSection's result */
function queueMarkdown(q) {
	if (!q || q.error) return `**5. Queue mode** — ${q?.error ? `failed: ${q.error}` : 'not run'}\n`;
	const rows = q.bursts.map((/** @type {any} */ b) => [
		`${b.workers} worker${b.workers > 1 ? 's' : ''}`,
		`${b.refused ?? 0} (${b.dbNotReady503 ?? 0})`,
		`${b.linksSent}/${b.dms - (b.refused ?? 0)}`,
		`${fmt((b.lastLinkMs ?? 0) / 1000, 1)} s`,
		fmt(b.linksPerS, 2),
		`${b.lost} / ${b.duplicated}`,
		fmt(b.cpuMsPerDmBy.workers),
		fmt(b.cpuMsPerDmBy.webhookHosts),
		fmt(b.cpuMsPerDmBy.main),
		fmt(b.cpuMsPerDmBy.postgresql),
		fmt(b.cpuMsPerDmBy.redis),
		fmt(b.cpuMsPerDmBy.total),
		Object.entries(b.peakRssBytes).filter(([n]) => n.startsWith('worker')).map(([n, v]) => `${n} ${mib(/** @type {number} */ (v))}`).join(', '),
		`${b.load.before.loadavg1} → ${b.load.after.loadavg1}`,
	]);
	const table = mdTable(['workers', 'refused by n8n (its 503s)', 'links / accepted', 'drain', 'links/s', 'lost / dup', 'CPU ms/DM workers', 'webhook hosts', 'main', 'PostgreSQL', 'Redis', 'all', 'peak RSS per worker', 'load 1 min'], rows);
	const p = q.paper;
	return [
		`**5. Queue mode** — ${q.topology}; ${q.settings.dms} DMs per burst over both channels at ${q.settings.concurrency} connections through the balancer (template as shipped, 3 s quiet window), after ${q.settings.warmup} warm-up DMs${Object.keys(q.settings.n8nEnv ?? {}).length ? `; ${Object.entries(q.settings.n8nEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : `; n8n's default PostgreSQL pool (2 connections per process)`}. A DM is sent again (the same message id, as Meta redelivers) up to 3 times, 1 s apart, while n8n answers non-2xx; *refused* are those still refused then (Meta would keep retrying), *lost* those answered 2xx that never got a link.`,
		'',
		table,
		'',
		`Per worker core: ${fmt(p.workerCpuMsPerDm)} ms of worker CPU per conversation → about **${fmt(p.dmsPerSPerWorkerCore, 1)} DMs/s per worker core** on a bigger host, if the webhook hosts (${fmt(p.webhookHostCpuMsPerDm)} ms per DM), PostgreSQL, Redis and main (${fmt(p.otherCpuMsPerDm)} ms per DM together) have cores of their own. On these 2 cores two workers drained ${fmt(p.scalingOnTwoCores, 2)}× as fast as one: every process shares the same two cores, so this machine cannot show linear scaling.`,
		'',
	].join('\n');
}

module.exports = { runQueueSection, queueMarkdown };
