'use strict';
/**
 * Section 5, run by scripts/bench.js in a fresh process with --expose-gc: heap and RSS before and while
 * 50,000 distinct message ids go through claimUnseenKeys (as 1,000 POSTs of 50 messages, one trigger node).
 * The node's static store is capped at 2000 keys and the process-wide memory at 10,000; the heap must level
 * off once both are full. Bounded by the id count and by a time cap.
 */
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
const { claimUnseenKeys, DEDUPE_MAX_KEYS } = dist('meta/dedupe.js');

function snapshot() {
	global.gc();
	global.gc();
	return process.memoryUsage();
}

function line(label, mem, staticData) {
	const keys = (staticData.seenEvents ?? []).length;
	const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
	console.log(
		`  ${label.padEnd(17)} heapUsed ${mb(mem.heapUsed).padStart(7)}  heapTotal ${mb(mem.heapTotal).padStart(8)}` +
			` (young gen ${mb(newSpace ? newSpace.space_size : 0).padStart(8)})  rss ${mb(mem.rss).padStart(8)}  static store ${fmt(keys, 0).padStart(5)} keys`,
	);
}

function main() {
	const scope = 'wfBench01:whatsapp-node';
	const staticData = {};
	const firstSeq = 5_000_000;
	// Warm the code path on another scope and store, so "before" is not the cost of loading/compiling.
	claimUnseenKeys({}, 'warm:node', ['warm-1', 'warm-2']);
	console.log(`\n5. Memory: ${fmt(TOTAL_IDS, 0)} distinct message ids through claimUnseenKeys (${PER_POST} per POST), fresh process, after global.gc()`);
	const before = snapshot();
	line('before', before, staticData);

	let pushed = 0;
	let claimed = 0;
	const start = performance.now();
	let at10k;
	while (pushed < TOTAL_IDS && performance.now() - start < MAX_MS) {
		const keys = [];
		for (let i = 0; i < PER_POST; i++) keys.push(fx.dedupeKey('whatsapp', firstSeq + pushed + i));
		claimed += claimUnseenKeys(staticData, scope, keys).size;
		pushed += PER_POST;
		if (pushed % CHECKPOINT_EVERY === 0) {
			const mem = snapshot();
			if (pushed === CHECKPOINT_EVERY) at10k = mem;
			line(`after ${fmt(pushed, 0)} ids`, mem, staticData);
		}
	}
	const elapsed = performance.now() - start;
	const after = snapshot();
	if (pushed % CHECKPOINT_EVERY !== 0) line(`after ${fmt(pushed, 0)} ids (time cap)`, after, staticData);
	console.log(
		`  pushed ${fmt(pushed, 0)} ids in ${fmt(pushed / PER_POST, 0)} calls, ${fmt(elapsed, 0)} ms (${fmt((elapsed * 1000) / (pushed / PER_POST), 0)} µs per ${PER_POST}-message POST); all new, claimed ${fmt(claimed, 0)}`,
	);
	const growth = (a, b) => `${b - a >= 0 ? '+' : ''}${mb(b - a)}`;
	console.log(`  heapUsed growth: before → end ${growth(before.heapUsed, after.heapUsed)}` +
		(at10k ? `; 10,000 ids → end ${growth(at10k.heapUsed, after.heapUsed)} (flat = capped)` : ''));
	console.log('  (rss/heapTotal growth is V8 enlarging the young generation under the allocation rate, not live data: heapUsed is what is kept)');

	// Process-wide memory, probed with an empty static store (as another n8n process that shares nothing):
	// the oldest id must have been evicted from the 10,000-key memory, the newest still be remembered.
	const oldest = fx.dedupeKey('whatsapp', firstSeq);
	const newest = fx.dedupeKey('whatsapp', firstSeq + pushed - 1);
	const oldestAgain = claimUnseenKeys({}, scope, [oldest]).size === 1;
	const newestAgain = claimUnseenKeys({}, scope, [newest]).size === 1;
	console.log(
		`  process-wide memory (cap 10,000): oldest id ${oldestAgain ? 'forgotten (evicted)' : 'STILL REMEMBERED'}, ` +
			`newest id ${newestAgain ? 'FORGOTTEN' : 'remembered'}`,
	);
	const storeKeys = staticData.seenEvents.length;
	const json = Buffer.byteLength(JSON.stringify(staticData));
	console.log(`  static store (cap ${fmt(DEDUPE_MAX_KEYS, 0)}): ${fmt(storeKeys, 0)} keys, ${fmt(json, 0)} B (${kb(json)}) of JSON`);
}

main();
