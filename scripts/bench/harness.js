'use strict';
/**
 * Measuring and printing for scripts/bench.js. Every loop is bounded twice: by an iteration count and by a
 * time cap; the row reports the count actually run. Figures only: nothing here judges a timing.
 */
const { performance } = require('node:perf_hooks');

/** n8n's own cost per execution of a bare Webhook workflow, measured on the 2-core reference machine. */
const N8N_MS_PER_EXECUTION = 40;

const DEFAULTS = { iterations: 10_000, warmup: 500, warmupMaxMs: 300, maxMs: 2000 };

/** Holds results so the optimiser cannot drop the measured calls. */
let sink = 0;
function consume(value) {
	if (value === undefined || value === null) return;
	sink = (sink + (typeof value === 'object' ? 1 : String(value).length)) | 0;
}

function opts(o) {
	return { ...DEFAULTS, ...o };
}

/**
 * A phase's time cap, looked at every 16 calls (a clock read per call would be measured too): `over(calls)`
 * says whether the phase must stop before the next call.
 */
function timeCap(maxMs) {
	const start = performance.now();
	return { start, over: (calls) => calls > 0 && (calls & 15) === 0 && performance.now() - start >= maxMs };
}

/** After the timed phase: the result checked once more (the fixture still took its path) and the row. */
function result(name, o, last, done, cap) {
	const totalMs = performance.now() - cap.start;
	consume(last);
	if (o.check) o.check(last);
	return row(name, done, totalMs, done < o.iterations);
}

/**
 * Runs fn(i) for warm-up, then for `iterations` calls or until `maxMs`, whichever comes first.
 * `check(lastResult)` (optional) must throw when the fixture did not take the intended path, so a
 * wrong fixture can never pass off a fast rejection as the real work.
 */
function measure(name, fn, options = {}) {
	const o = opts(options);
	let last;
	const warm = timeCap(o.warmupMaxMs);
	for (let i = 0; i < o.warmup && !warm.over(i); i++) last = fn(i);
	if (o.check) o.check(last);
	const cap = timeCap(o.maxMs);
	let done = 0;
	while (done < o.iterations && !cap.over(done)) last = fn(o.warmup + done++);
	return result(name, o, last, done, cap);
}

/** The same for async work (each call awaited before the next). */
async function measureAsync(name, fn, options = {}) {
	const o = opts(options);
	let last;
	const warm = timeCap(o.warmupMaxMs);
	for (let i = 0; i < o.warmup && !warm.over(i); i++) last = await fn(i);
	if (o.check) o.check(last);
	const cap = timeCap(o.maxMs);
	let done = 0;
	while (done < o.iterations && !cap.over(done)) last = await fn(o.warmup + done++);
	return result(name, o, last, done, cap);
}

function row(name, iterations, totalMs, capped) {
	const usPerOp = (totalMs * 1000) / iterations;
	return { name, iterations, totalMs, usPerOp, opsPerSec: 1e6 / usPerOp, capped };
}

function fmt(n, digits) {
	return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fmtUs(us) {
	if (us >= 100) return fmt(us, 0);
	if (us >= 10) return fmt(us, 1);
	return fmt(us, 2);
}

/** Prints one section's table and how its slowest row compares with n8n's own cost per execution. */
function printTable(title, rows) {
	const headers = ['operation', 'iterations', 'total ms', 'µs/op', 'ops/s'];
	const cells = rows.map((r) => [
		r.name,
		`${fmt(r.iterations, 0)}${r.capped ? '*' : ''}`,
		fmt(r.totalMs, 1),
		fmtUs(r.usPerOp),
		fmt(r.opsPerSec, 0),
	]);
	const widths = headers.map((h, c) => Math.max(h.length, ...cells.map((line) => line[c].length)));
	const line = (values) =>
		values.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
	console.log(`\n${title}`);
	console.log(line(headers));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const values of cells) console.log(line(values));
	if (rows.some((r) => r.capped)) console.log('  * stopped by the time cap; the count shown is what ran');
	const worst = rows.reduce((a, b) => (b.usPerOp > a.usPerOp ? b : a));
	const share = (worst.usPerOp / 1000 / N8N_MS_PER_EXECUTION) * 100;
	console.log(
		`  slowest row: ${fmtUs(worst.usPerOp)} µs = ${fmt(share, share < 1 ? 2 : 1)}% of n8n's ~${N8N_MS_PER_EXECUTION} ms per execution`,
	);
}

function mb(bytes) {
	return `${fmt(bytes / 1024 / 1024, 1)} MB`;
}

function kb(bytes) {
	return `${fmt(bytes / 1024, 1)} KiB`;
}

module.exports = { N8N_MS_PER_EXECUTION, measure, measureAsync, printTable, fmt, fmtUs, mb, kb, getSink: () => sink };
