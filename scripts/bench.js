'use strict';
/**
 * `npm run bench` (via scripts/bench.sh, after the build): timings of the pack's hot paths on the compiled
 * modules in dist/, set against n8n's own cost of ~40 ms per execution (≈24 executions/s for a bare Webhook
 * workflow on the 2-core reference machine), and memory while the dedupe store fills up.
 *
 * Figures only: nothing here asserts a timing. Every loop is bounded by an iteration count and a time cap
 * (scripts/bench/harness.js). No network: the only I/O is stdout, one child process (section 5) and the
 * triggers' seen-id files, which go to a fresh temporary N8N_USER_FOLDER (set before anything is loaded,
 * removed at the end; the child process makes and removes its own).
 * Fixture checks do throw: a wrong fixture would time a fast rejection instead of the real work.
 */
// First of all: the dedupe store reads N8N_USER_FOLDER, and must never touch a real ~/.n8n.
const { useTempUserFolder, removeTempUserFolder, removeChildFolders } = require('./bench/userFolder');

const userFolder = useTempUserFolder();

const { spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const fs = require('node:fs');

const { root } = require('./bench/paths');
const { N8N_MS_PER_EXECUTION, fmt, mb } = require('./bench/harness');

async function main() {
	if (!fs.existsSync(path.join(root, 'dist', 'nodes', 'shared', 'meta', 'dedupe.js'))) {
		console.error('dist/ is missing: run `npm run build` first (or `npm run bench`, which builds)');
		process.exit(1);
	}
	const started = performance.now();
	const cpu = os.cpus()[0];
	console.log(
		`chat-checkout bench — Node ${process.version}, ${os.cpus().length} × ${cpu ? cpu.model.trim() : 'unknown CPU'}, ${os.platform()}-${os.arch()}`,
	);
	console.log(
		`Reference: n8n itself needs ~${N8N_MS_PER_EXECUTION} ms per execution (≈${fmt(1000 / N8N_MS_PER_EXECUTION, 0)}/s, bare Webhook workflow, 2-core machine).`,
	);
	console.log('Each row: warm-up, then a fixed iteration count, stopped early at its time cap (marked *).');
	console.log(`N8N_USER_FOLDER (seen-id files) = ${userFolder}, a fresh temporary folder removed at the end.`);

	await require('./bench/meta').run();
	require('./bench/stripe').run();
	require('./bench/checkout').run();
	await require('./bench/send').run();

	const mem = process.memoryUsage();
	console.log(`\nthis process after sections 1–4 (no forced gc, so it includes uncollected garbage such as the pre-built request bodies): heapUsed ${mb(mem.heapUsed)}, rss ${mb(mem.rss)}`);

	// Section 5 in a fresh process, so the dedupe memory starts empty and gc() is available; it uses its own
	// temporary N8N_USER_FOLDER (bench/memory.js), so its store file starts empty too.
	const child = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'bench', 'memory.js')], {
		stdio: 'inherit',
		timeout: 60_000,
		killSignal: 'SIGKILL',
	});
	if (child.error || child.status !== 0) {
		console.error(`memory section failed: ${child.error ? child.error.message : `exit ${child.status ?? child.signal}`}`);
		process.exitCode = 1;
	}
	const leftover = removeChildFolders(); // normally none: the child removes its own
	if (leftover > 0) console.error(`removed ${leftover} temporary folder(s) the memory section left behind`);
	await removeTempUserFolder();
	console.log(`\nbench done in ${fmt((performance.now() - started) / 1000, 1)} s`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
