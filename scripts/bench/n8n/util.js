// @ts-check
'use strict';
/**
 * Small helpers for the real-n8n bench: statistics, bounded waits, bounded load loops, formatting.
 * Every loop here stops at a count AND at a deadline; nothing judges a figure.
 */
const os = require('node:os');

const { eventuallyOrUndefined, sleep } = require('../../../tools/wait');

/**
 * Nearest-rank percentile of an unsorted list (null when empty).
 * @param {number[]} values
 * @param {number} p  0..100
 */
function percentile(values, p) {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
	return sorted[rank - 1];
}

/** @param {number[]} values */
function median(values) {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** @param {number[]} values */
function latencySummary(values) {
	return {
		count: values.length,
		p50: percentile(values, 50),
		p99: percentile(values, 99),
		max: values.length ? Math.max(...values) : null,
	};
}

/**
 * tools/wait's eventually for the bench: `{ value, timedOut, waitedMs }`, never a throw on timeout (a bench
 * reports a wait that ran out beside its figures, it does not fail).
 * @template T
 * @param {() => Promise<T | undefined | false> | T | undefined | false} probe
 * @param {{ timeoutMs: number, intervalMs?: number }} o
 * @returns {Promise<{ value: T | undefined, timedOut: boolean, waitedMs: number }>}
 */
async function waitUntil(probe, o) {
	const started = Date.now();
	const value = await eventuallyOrUndefined('a bench condition', probe, { ...o, retryErrors: false });
	return { value, timedOut: value === undefined, waitedMs: Date.now() - started };
}

/**
 * Runs `task(i)` for i = 0..count-1 with at most `concurrency` in flight (a closed loop: a worker sends
 * the next one when its previous one answered). Stops starting new tasks at `deadline` (ms epoch) or once
 * `stop()` says so (the memory guard).
 * @param {number} count
 * @param {number} concurrency
 * @param {number} deadline
 * @param {(i: number) => Promise<void>} task
 * @param {() => boolean} [stop]
 * @returns {Promise<{ started: number, cappedByTime: boolean }>}
 */
async function pool(count, concurrency, deadline, task, stop) {
	let next = 0;
	let cappedByTime = false;
	const worker = async () => {
		while (next < count) {
			if (Date.now() >= deadline || stop?.()) {
				cappedByTime = true;
				return;
			}
			const i = next++;
			await task(i);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
	return { started: next, cappedByTime };
}

/**
 * POSTs raw bytes; never throws (a refused or timed-out request is a result too).
 * @param {string} url
 * @param {string} body
 * @param {Record<string, string>} headers
 * @param {number} [timeoutMs]
 * @returns {Promise<{ status: number | null, ms: number, error: string | null }>}
 */
async function post(url, body, headers, timeoutMs = 60_000) {
	const t0 = performance.now();
	try {
		const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
		await res.arrayBuffer();
		return { status: res.status, ms: performance.now() - t0, error: null };
	} catch (error) {
		return { status: null, ms: performance.now() - t0, error: String(/** @type {any} */ (error)?.cause?.code ?? /** @type {any} */ (error)?.name ?? error) };
	}
}

/** @param {number | null | undefined} v @param {number} [digits] */
function fmt(v, digits = 0) {
	if (v === null || v === undefined || Number.isNaN(v)) return '–';
	return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds, with one decimal below 10 ms. @param {number | null | undefined} v */
function ms(v) {
	if (v === null || v === undefined) return '–';
	return v < 10 ? `${fmt(v, 1)} ms` : `${fmt(v, 0)} ms`;
}

/** @param {number} bytes */
function mib(bytes) {
	return `${fmt(bytes / 1024 / 1024, 1)} MiB`;
}

/**
 * A markdown table (also readable on a terminal).
 * @param {string[]} head
 * @param {Array<Array<string | number>>} rows
 */
function mdTable(head, rows) {
	const cells = [head, ...rows.map((r) => r.map((c) => String(c)))];
	const widths = head.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
	const line = (/** @type {string[]} */ r) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
	return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

/** One-minute load average and the number of cores: how busy the machine was around a measurement. */
function load() {
	return { loadavg1: Math.round(os.loadavg()[0] * 100) / 100, cores: os.cpus().length };
}

/**
 * CPU time (user + system, ms) used so far by every live process in the process group `pgid` (n8n and
 * the task runner it spawns: the harness starts n8n as its own group). Linux /proc only; null elsewhere.
 * @param {number} pgid
 * @returns {number | null}
 */
function groupCpuMs(pgid) {
	const fs = require('node:fs');
	let total = 0;
	let found = false;
	/** @type {string[]} */
	let pids;
	try {
		pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
	} catch {
		return null;
	}
	const tick = 1000 / 100; // USER_HZ is 100 on Linux
	for (const pid of pids) {
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		} catch {
			continue; // gone meanwhile
		}
		// Fields after the command name (which may hold spaces) in parentheses.
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(f[2]) !== pgid) continue;
		found = true;
		total += (Number(f[11]) + Number(f[12])) * tick;
	}
	return found ? total : null;
}

/**
 * Resident memory (bytes) of every live process in the process group `pgid`; null without /proc.
 * @param {number} pgid
 */
function groupRssBytes(pgid) {
	const fs = require('node:fs');
	let total = 0;
	let found = false;
	try {
		for (const pid of fs.readdirSync('/proc')) {
			if (!/^\d+$/.test(pid)) continue;
			try {
				const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
				const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				if (Number(f[2]) !== pgid) continue;
				found = true;
				total += Number(f[21]) * 4096; // rss in pages
			} catch {}
		}
	} catch {
		return null;
	}
	return found ? total : null;
}

/**
 * Watches n8n's memory while a phase runs: the peak, and a trip wire. Once the group's RSS passes
 * `capBytes`, `tripped` stays true and load loops stop sending (a burst must not take a shared machine's
 * memory; n8n holds an expression isolate per waiting webhook call, see the README section).
 * @param {number} pgid
 * @param {number} capBytes
 */
function memoryGuard(pgid, capBytes) {
	const g = { peakBytes: 0, tripped: false, trippedAtBytes: /** @type {number | null} */ (null), stop: () => clearInterval(timer) };
	const sample = () => {
		const rss = groupRssBytes(pgid);
		if (rss === null) return;
		g.peakBytes = Math.max(g.peakBytes, rss);
		if (!g.tripped && rss > capBytes) {
			g.tripped = true;
			g.trippedAtBytes = rss;
		}
	};
	const timer = setInterval(sample, 500);
	sample();
	return g;
}

module.exports = { groupRssBytes, memoryGuard, groupCpuMs, sleep, percentile, median, latencySummary, waitUntil, pool, post, fmt, ms, mib, mdTable, load };
