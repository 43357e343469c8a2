// @ts-check
'use strict';
/**
 * Where n8n's time goes per webhook request: a V8 CPU profile of n8n's main process (`--cpu-prof`, written
 * when n8n exits), cut into the time windows in which the bench sent each target's requests, and each sample
 * put into the first category (in the order below) that a frame of its stack belongs to. Windows are in
 * CLOCK_MONOTONIC microseconds, the clock of V8's profile timestamps and of process.hrtime in the bench.
 * Only the main thread's JavaScript and native calls are sampled: work on libuv's thread pool (SQLite, file
 * writes) and in the task runner process is not in it, so the sum stays below the measured CPU per request.
 */
const fs = require('node:fs');
const path = require('node:path');

/** The env that makes n8n (and the processes it starts) write CPU profiles into `dir`. */
function profilingEnv(/** @type {string} */ dir) {
	return { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` };
}

/** Now, on the profile's clock. */
function monotonicMicros() {
	return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Categories, first match wins (a sample of the credential lookup that runs SQL counts as credentials).
 * @type {Array<[string, (frame: { functionName: string, url: string }) => boolean]>}
 */
const CATEGORIES = [
	['expression isolates (acquire, create, release)', (f) => /expression-runtime|isolated-vm/.test(f.url) || /^(acquireIsolate|releaseIsolate|acquireBridgeSync)$/.test(f.functionName)],
	['credential resolution (getCredentials)', (f) => /^(getDecrypted|applyDefaultsAndOverwrites|_getCredentials|getCredentials|getCredentialsEntity)$/.test(f.functionName)],
	['our node\'s webhook()', (f) => /n8n-nodes-chat-checkout[\\/]dist/.test(f.url)],
	['n8n: storing the execution (database)', (f) => /typeorm|sqlite3|[\\/]@n8n[\\/]db[\\/]|execution-persistence|executions[\\/]execution/i.test(f.url)],
	['n8n: running the workflow (WorkflowExecute, hooks)', (f) => /workflow-execute|execution-lifecycle|workflow-runner|active-executions|execution-engine/.test(f.url)],
	['n8n: HTTP, routing, body reading', (f) => /[\\/](express|body-parser|raw-body|router|finalhandler|on-finished|send|helmet|compression)[\\/]|webhook-request-handler|live-webhooks|webhook-helpers|middlewares/.test(f.url)],
	['garbage collection', (f) => f.functionName === '(garbage collector)'],
	['idle', (f) => f.functionName === '(idle)'],
];
const OTHER = 'everything else (n8n internals, Node runtime)';

/**
 * Categories for one DM's run of the conversation template, first match over the whole stack wins: an
 * expression evaluated while a node reads its parameters counts as expressions, the model client's work
 * inside Read Chat Order counts as the model call.
 * @type {Array<[string, (frame: { functionName: string, url: string }) => boolean]>}
 */
const CONVERSATION_CATEGORIES = [
	['expressions (isolates and evaluation of the template\'s {{ }})', (f) => /expression-runtime|isolated-vm|[\\/]expression[^\\/]*\.js$|[\\/]expressions?[\\/]|tournament|riot-tmpl|esprima-next|[\\/]recast[\\/]|ast-types/.test(f.url) || /^(acquireIsolate|releaseIsolate|acquireBridgeSync)$/.test(f.functionName)],
	['model call (LangChain client, token counting)', (f) => /@langchain|[\\/]langchain|js-tiktoken|[\\/]openai[\\/]|n8n-nodes-langchain/.test(f.url)],
	['Data Table nodes (node and service code)', (f) => /nodes-base[\\/]dist[\\/]nodes[\\/]DataTable|[\\/]modules[\\/]data-table[\\/]/.test(f.url)],
	['our pack\'s nodes', (f) => /n8n-nodes-chat-checkout[\\/]dist/.test(f.url)],
	// SQL results come back asynchronously, without the stack that asked: Data Table rows and the saved
	// execution cannot be told apart here
	['database (typeorm, SQLite: Data Table rows and saving the execution)', (f) => /typeorm|sqlite3|[\\/]@n8n[\\/]db[\\/]|execution-persistence|executions[\\/]execution/i.test(f.url)],
	...CATEGORIES.filter(([name]) => !/^(expression isolates|our node|n8n: storing)/.test(name)),
];

/**
 * The CPU profile of the main thread of process `pid` in `dir` (V8 names them CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile;
 * n8n's worker threads, such as its event-bus log writer, write their own with another tid).
 * @param {string} dir @param {number} pid
 */
function readProfile(dir, pid) {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(pid) && f.split('.')[4] === '0');
	if (files.length === 0) return null;
	files.sort();
	return JSON.parse(fs.readFileSync(path.join(dir, files[files.length - 1]), 'utf8'));
}

/**
 * Per key (a target; its windows are its measured rounds): sampled main-thread milliseconds per request by
 * category, and the heaviest self-time frames.
 * @param {any} profile  a .cpuprofile
 * @param {Array<{ key: string, startUs: number, endUs: number, requests: number }>} windows
 * @param {typeof CATEGORIES} [categories]  default: the webhook-request categories above
 */
function breakdown(profile, windows, categories = CATEGORIES) {
	/** @type {Map<number, any>} */
	const nodes = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
	/** @type {Map<number, number>} */
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	/** @type {Map<number, string>} */
	const categoryOf = new Map();
	const categorise = (/** @type {number} */ id) => {
		const known = categoryOf.get(id);
		if (known) return known;
		/** @type {Array<{ functionName: string, url: string }>} */
		const stack = [];
		for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parent.get(at)) stack.push(nodes.get(at).callFrame);
		const found = categories.find(([, test]) => stack.some(test));
		const name = found ? found[0] : OTHER;
		categoryOf.set(id, name);
		return name;
	};
	// sample i was taken at startTime + sum(timeDeltas[0..i]) and stands for the time until the next one
	/** @type {number[]} */
	const times = [];
	let t = profile.startTime;
	for (const d of profile.timeDeltas) times.push((t += d));
	/** @type {Map<string, { requests: number, sampledUs: number, byCategory: Record<string, number>, self: Map<string, number> }>} */
	const perKey = new Map();
	for (const w of windows) {
		const acc = perKey.get(w.key) ?? { requests: 0, sampledUs: 0, byCategory: {}, self: new Map() };
		perKey.set(w.key, acc);
		acc.requests += w.requests;
		for (let i = 0; i < profile.samples.length; i++) {
			if (times[i] < w.startUs || times[i] > w.endUs) continue;
			const us = profile.timeDeltas[i + 1] ?? 0;
			const id = profile.samples[i];
			const category = categorise(id);
			if (category === 'idle') continue;
			acc.byCategory[category] = (acc.byCategory[category] ?? 0) + us;
			acc.sampledUs += us;
			const f = nodes.get(id).callFrame;
			const label = `${f.functionName || '(anonymous)'}${f.url ? ` ${f.url.replace(/^.*node_modules[\\/]/, '')}:${f.lineNumber + 1}` : ''}`;
			acc.self.set(label, (acc.self.get(label) ?? 0) + us);
		}
	}
	return [...perKey.entries()].map(([key, acc]) => {
		const perRequest = (/** @type {number} */ us) => us / 1000 / Math.max(1, acc.requests);
		return {
			key,
			requests: acc.requests,
			sampledMsPerRequest: perRequest(acc.sampledUs),
			categories: Object.fromEntries(Object.entries(acc.byCategory).sort((a, b) => b[1] - a[1]).map(([c, us]) => [c, perRequest(us)])),
			topSelf: [...acc.self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([frame, us]) => ({ frame, msPerRequest: perRequest(us) })),
		};
	});
}

module.exports = { profilingEnv, monotonicMicros, readProfile, breakdown, CATEGORIES, CONVERSATION_CATEGORIES, OTHER };
