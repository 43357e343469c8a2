'use strict';
/**
 * Section 5, run by scripts/bench.js in a fresh process with --expose-gc: heap and RSS before and while
 * 50,000 distinct message ids go through claimUnseenKeys (as 1,000 POSTs of 50 messages, one trigger node).
 * A trigger node's seen-id store (memory + file) is capped at DEDUPE_MAX_KEYS ids: the heap must level off
 * once the cap is reached, and the file must hold exactly that many entries. Between POSTs the event loop
 * turns, as it does in n8n, so the file writes the claims schedule actually run.
 * Bounded by the id count and by a time cap. Uses its own temporary N8N_USER_FOLDER, removed at the end.
 */
// First of all, before anything from dist/ is loaded: a fresh user folder for the seen-id files.
const { useTempUserFolder, removeTempUserFolder, childFolderPrefix, storeFiles, newStoreFile } = require('./userFolder');

useTempUserFolder(childFolderPrefix(process.ppid));

const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const v8 = require('node:v8');
const { fmt, mb, kb } = require('./harness');
const { dist } = require('./paths');
const fx = require('./fixtures');

const TOTAL_IDS = 50_000;
const PER_POST = 50;
const MAX_MS = 25_000;
const CHECKPOINT_EVERY = 10_000;

if (typeof global.gc !== 'function') {
	console.error('memory.js needs node --expose-gc');
	process.exit(2);
}
const { claimUnseenKeys, flushSeenEventWrites, forgetInMemoryStateForTests, DEDUPE_MAX_KEYS } = dist('meta/dedupe.js');

const storeErrors = [];
const onStoreError = (error) => storeErrors.push(error);

function snapshot() {
	global.gc();
	global.gc();
	return process.memoryUsage();
}

/** Entries and bytes of the store file (0 when not written yet). */
function fileStats(file) {
	if (!file || !fs.existsSync(file)) return { entries: 0, bytes: 0 };
	return { entries: JSON.parse(fs.readFileSync(file, 'utf8')).length, bytes: fs.statSync(file).size };
}

function line(label, mem, stats) {
	const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
	console.log(
		`  ${label.padEnd(17)} heapUsed ${mb(mem.heapUsed).padStart(7)}  heapTotal ${mb(mem.heapTotal).padStart(8)}` +
			` (young gen ${mb(newSpace ? newSpace.space_size : 0).padStart(8)})  rss ${mb(mem.rss).padStart(8)}` +
			`  file ${fmt(stats.entries, 0).padStart(5)} entries ${kb(stats.bytes).padStart(10)}`,
	);
}

const turnOfEventLoop = () => new Promise((resolve) => setImmediate(resolve));

async function main() {
	const scope = 'wfBench01:whatsapp-node';
	const firstSeq = 5_000_000;
	// Warm the code path (and the file write) on another scope, so "before" is not the cost of loading/compiling.
	claimUnseenKeys('wfBench01:warm-node', ['warm-1', 'warm-2'], { onStoreError });
	await flushSeenEventWrites();
	const filesBefore = storeFiles();
	let file;

	console.log(
		`\n5. Memory: ${fmt(TOTAL_IDS, 0)} distinct message ids through claimUnseenKeys (${PER_POST} per POST, one trigger node,` +
			` cap ${fmt(DEDUPE_MAX_KEYS, 0)}), fresh process, after global.gc(); pending file writes awaited at each checkpoint`,
	);
	const before = snapshot();
	line('before', before, fileStats(file));

	let pushed = 0;
	let claimed = 0;
	const start = performance.now();
	let atCap;
	while (pushed < TOTAL_IDS && performance.now() - start < MAX_MS) {
		const keys = [];
		for (let i = 0; i < PER_POST; i++) keys.push(fx.dedupeKey('whatsapp', firstSeq + pushed + i));
		claimed += claimUnseenKeys(scope, keys, { onStoreError }).size;
		pushed += PER_POST;
		await turnOfEventLoop(); // as between two POSTs in n8n: the scheduled file write gets to run
		if (pushed % CHECKPOINT_EVERY === 0) {
			await flushSeenEventWrites();
			file ??= newStoreFile(filesBefore);
			const stats = fileStats(file);
			const mem = snapshot();
			if (pushed === CHECKPOINT_EVERY) atCap = mem;
			line(`after ${fmt(pushed, 0)} ids`, mem, stats);
		}
	}
	const elapsed = performance.now() - start;
	await flushSeenEventWrites();
	file ??= newStoreFile(filesBefore);
	const after = snapshot();
	const stats = fileStats(file);
	if (pushed % CHECKPOINT_EVERY !== 0) line(`after ${fmt(pushed, 0)} ids (time cap)`, after, stats);
	console.log(
		`  pushed ${fmt(pushed, 0)} ids in ${fmt(pushed / PER_POST, 0)} calls, ${fmt(elapsed, 0)} ms (${fmt((elapsed * 1000) / (pushed / PER_POST), 0)} µs per ${PER_POST}-message POST,` +
			` file writes included); all new, claimed ${fmt(claimed, 0)}`,
	);
	const growth = (a, b) => `${b - a >= 0 ? '+' : ''}${mb(b - a)}`;
	console.log(
		`  heapUsed growth: before → end ${growth(before.heapUsed, after.heapUsed)}` +
			(atCap ? `; ${fmt(CHECKPOINT_EVERY, 0)} ids (cap already reached) → end ${growth(atCap.heapUsed, after.heapUsed)} (flat = capped)` : ''),
	);
	console.log('  (rss/heapTotal growth is V8 enlarging the young generation under the allocation rate, not live data: heapUsed is what is kept)');
	console.log(
		`  seen-id file: ${fmt(stats.entries, 0)} entries (cap ${fmt(DEDUPE_MAX_KEYS, 0)}) = ${fmt(stats.bytes, 0)} B (${kb(stats.bytes)})` +
			`${stats.entries === DEDUPE_MAX_KEYS ? '' : '  ← NOT AT THE CAP'}`,
	);

	// After a restart (memory forgotten, file read back): the newest id must still be known, the oldest evicted.
	forgetInMemoryStateForTests();
	const newestKnown = claimUnseenKeys(scope, [fx.dedupeKey('whatsapp', firstSeq + pushed - 1)], { onStoreError }).size === 0;
	const oldestForgotten = claimUnseenKeys(scope, [fx.dedupeKey('whatsapp', firstSeq)], { onStoreError }).size === 1;
	await flushSeenEventWrites();
	console.log(
		`  after a restart (file read back): newest id ${newestKnown ? 'remembered' : 'FORGOTTEN'}, ` +
			`oldest id ${oldestForgotten ? 'forgotten (evicted at the cap)' : 'STILL REMEMBERED'}`,
	);
	if (storeErrors.length > 0) {
		console.log(`  file writes FAILED ${storeErrors.length} time(s): ${storeErrors[0].message}`);
		process.exitCode = 1;
	}
	await removeTempUserFolder();
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
