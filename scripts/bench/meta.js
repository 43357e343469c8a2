'use strict';
/**
 * Section 1: what the WhatsApp / Instagram trigger does per POST, step by step, on the compiled modules:
 * (a) signature, (b) + JSON.parse + normalise, (c) + dedupe claim against a seen-id store at its cap,
 * (d) the whole node webhook() with a stub n8n context (in-process, no HTTP).
 * Then the dedupe store alone: a claim of new ids (which only schedules the file write), a redelivery,
 * one full file write of the store at its cap, and the first claim after a restart (file read back).
 * The seen-id files go to the temporary N8N_USER_FOLDER that scripts/bench.js sets up (bench/userFolder.js).
 */
const fs = require('node:fs');
const { measure, measureAsync, printTable, fmt, kb } = require('./harness');
const { dist, distNode } = require('./paths');
const { storeFiles, newStoreFile } = require('./userFolder');
const fx = require('./fixtures');

const { verifyMetaSignature } = dist('meta/signature.js');
const { normaliseWhatsAppPayload } = dist('meta/whatsAppPayload.js');
const { normaliseInstagramPayload } = dist('meta/instagramPayload.js');
const { claimUnseenKeys, flushSeenEventWrites, forgetInMemoryStateForTests, DEDUPE_MAX_KEYS } = dist('meta/dedupe.js');
const { WhatsAppTrigger } = distNode('WhatsAppTrigger/WhatsAppTrigger.node.js');
const { InstagramTrigger } = distNode('InstagramTrigger/InstagramTrigger.node.js');

const CHANNELS = {
	whatsapp: { label: 'WhatsApp', normalise: normaliseWhatsAppPayload, Node: WhatsAppTrigger, credential: 'chatCheckoutWhatsAppApi' },
	instagram: { label: 'Instagram', normalise: normaliseInstagramPayload, Node: InstagramTrigger, credential: 'chatCheckoutInstagramApi' },
};

const WORKFLOW_ID = 'wfBench01';

/** Sequence numbers: every id used in this process is distinct. */
let nextSeq = 1_000_000;
function takeSeq(count) {
	const first = nextSeq;
	nextSeq += count;
	return first;
}

/** What the handler does after the signature check, up to the dedupe step (metaTrigger.ts). */
function parseAndNormalise(channel, raw) {
	const body = JSON.parse(raw.toString('utf8'));
	return channel.normalise(body, { include: new Set([]), accountIds: new Set() });
}

/** Where the stub context's logger puts warnings (the trigger logs a failed seen-id file write there). */
const warnings = [];

/** The n8n context webhook() sees: no static data any more, the scope is workflow id + node id. */
function stubContext(channelKey, post, nodeId) {
	const res = { status() {}, setHeader() {}, send() {}, json() {} };
	const noop = () => {};
	return {
		getCredentials: async () => ({ appSecret: fx.APP_SECRET, verifyToken: 'bench-verify' }),
		getRequestObject: () => ({ rawBody: post.raw, headers: { 'x-hub-signature-256': post.header } }),
		getResponseObject: () => res,
		getWebhookName: () => 'default',
		getQueryData: () => ({}),
		// combining off: every POST emits its items at once (the shipped version 2 would hold them 3 s)
		getNodeParameter: (name, fallback) => (name === 'options' ? { combineWithinSeconds: 0 } : fallback),
		getMode: () => 'webhook',
		getWorkflow: () => ({ id: WORKFLOW_ID }),
		getNode: () => ({ id: nodeId, name: `${CHANNELS[channelKey].label} Trigger`, typeVersion: 2 }),
		logger: { debug: noop, info: noop, warn: (message) => warnings.push(message), error: noop },
	};
}

/** Store errors would otherwise be silent (memory keeps deduplicating): a bench that wrote no file is void. */
function onStoreError(error) {
	warnings.push(`seen-id file write failed: ${error.message}`);
}

async function settleWrites() {
	await flushSeenEventWrites();
	if (warnings.length > 0) throw new Error(`bench: ${warnings[0]}`);
}

async function run() {
	const rows = [];
	for (const channelKey of ['whatsapp', 'instagram']) {
		const channel = CHANNELS[channelKey];
		const node = new channel.Node();
		for (const perPost of [1, 50]) {
			const n = perPost === 1 ? '1 msg' : '50 msgs';
			// (c) and (d) trim a 5000-key store on every call, so fewer iterations.
			const iterations = 300;
			const warmup = 30;
			const size = iterations + warmup;
			// Distinct ids in every POST: (c) and (d) see only new messages, the path that schedules a file write.
			const posts = fx.signedPosts(channelKey, size, perPost, takeSeq(size * perPost));
			const bytes = posts[0].raw.length;
			const label = (step) => `${channel.label} ${n} (${fmt(bytes, 0)} B) ${step}`;
			const at = (i) => posts[i % size];

			rows.push(
				measure(label('(a) signature'), (i) => {
					const post = at(i);
					return verifyMetaSignature(post.raw, post.header, fx.APP_SECRET);
				}, {
					iterations: perPost === 1 ? 20_000 : 5000,
					check: (r) => { if (!r.valid) throw new Error(`fixture: signature ${r.reason}`); },
				}),
			);
			rows.push(
				measure(label('(b) + parse + normalise'), (i) => {
					const post = at(i);
					const check = verifyMetaSignature(post.raw, post.header, fx.APP_SECRET);
					if (!check.valid) return check;
					return parseAndNormalise(channel, post.raw);
				}, {
					iterations: perPost === 1 ? 20_000 : 3000,
					check: (r) => { if (!r.recognised || r.events.length !== perPost) throw new Error('fixture: normalise'); },
				}),
			);

			// (c): a trigger node's store already at the cap (5000 ids of earlier messages, in memory and on file).
			const scope = `${WORKFLOW_ID}:${channelKey}-node-c-${perPost}`;
			await fx.fillDedupeScope(scope, channelKey, DEDUPE_MAX_KEYS, takeSeq(DEDUPE_MAX_KEYS));
			rows.push(
				measure(label('(c) + dedupe claim'), (i) => {
					const post = posts[i];
					const check = verifyMetaSignature(post.raw, post.header, fx.APP_SECRET);
					if (!check.valid) return [];
					const normalised = parseAndNormalise(channel, post.raw);
					if (!normalised.recognised) return [];
					const unseen = claimUnseenKeys(scope, normalised.events.map((e) => e.dedupeKey), { onStoreError });
					return normalised.events.filter((e) => unseen.delete(e.dedupeKey));
				}, {
					iterations, warmup, warmupMaxMs: 1000, maxMs: 1500,
					check: (events) => { if (events.length !== perPost) throw new Error(`fixture: dedupe kept ${events.length}/${perPost}`); },
				}),
			);
			await settleWrites(); // the write (c) scheduled runs here, outside any timing

			// (d): the same POSTs again through the compiled node, as another trigger node (its own scope and file).
			const nodeId = `${channelKey}-node-d-${perPost}`;
			await fx.fillDedupeScope(`${WORKFLOW_ID}:${nodeId}`, channelKey, DEDUPE_MAX_KEYS, takeSeq(DEDUPE_MAX_KEYS));
			rows.push(
				await measureAsync(label('(d) whole node webhook()'), (i) =>
					node.webhook.call(stubContext(channelKey, posts[i], nodeId)), {
					iterations, warmup, warmupMaxMs: 1000, maxMs: 1500,
					check: (r) => {
						const items = r && r.workflowData && r.workflowData[0];
						if (!items || items.length !== perPost) throw new Error('fixture: node webhook() emitted no items');
					},
				}),
			);
			await settleWrites();
		}
	}

	// The store alone, at its cap: a claim of new ids, a redelivery, one file write, and a restart.
	const scope = `${WORKFLOW_ID}:claim-only`;
	const filesBefore = storeFiles();
	const storeFirstSeq = await fx.fillDedupeScope(scope, 'whatsapp', DEDUPE_MAX_KEYS, takeSeq(DEDUPE_MAX_KEYS));
	const file = newStoreFile(filesBefore);
	for (const perPost of [1, 50]) {
		const first = takeSeq(330 * perPost);
		const keysFor = (i) => {
			const keys = new Array(perPost);
			for (let k = 0; k < perPost; k++) keys[k] = fx.dedupeKey('whatsapp', first + i * perPost + k);
			return keys;
		};
		rows.push(
			measure(`claimUnseenKeys alone: ${perPost} new key${perPost === 1 ? '' : 's'} (schedules the file write)`, (i) =>
				claimUnseenKeys(scope, keysFor(i), { onStoreError }), {
				iterations: 300, warmup: 30, warmupMaxMs: 1000, maxMs: 1500,
				check: (claimed) => { if (claimed.size !== perPost) throw new Error('fixture: keys not new'); },
			}),
		);
		await settleWrites();
	}
	const storedKey = fx.dedupeKey('whatsapp', storeFirstSeq + DEDUPE_MAX_KEYS - 1);
	rows.push(
		measure('claimUnseenKeys alone: redelivery (id known, no write)', () =>
			claimUnseenKeys(scope, [storedKey], { onStoreError }), {
			iterations: 1000, warmup: 30, warmupMaxMs: 1000, maxMs: 1500,
			check: (claimed) => { if (claimed.size !== 0) throw new Error('fixture: redelivery claimed'); },
		}),
	);
	// One new id, then wait for the file write it scheduled: stringify + write + rename + stat of 5000 entries.
	const writeFirst = takeSeq(230);
	rows.push(
		await measureAsync('file write of the store at its cap (1 new id + flushSeenEventWrites)', async (i) => {
			const claimed = claimUnseenKeys(scope, [fx.dedupeKey('whatsapp', writeFirst + i)], { onStoreError });
			await flushSeenEventWrites();
			return claimed;
		}, {
			iterations: 200, warmup: 30, warmupMaxMs: 1000, maxMs: 1500,
			check: (claimed) => { if (claimed.size !== 1) throw new Error('fixture: key not new'); },
		}),
	);
	await settleWrites();
	const fileBytes = fs.statSync(file).size;
	const fileEntries = JSON.parse(fs.readFileSync(file, 'utf8')).length;
	if (fileEntries !== DEDUPE_MAX_KEYS) throw new Error(`fixture: seen-id file holds ${fileEntries} entries, not ${DEDUPE_MAX_KEYS}`);

	// A restart: memory forgotten, so the first claim reads the file back (a redelivery: no write follows).
	const newestKey = fx.dedupeKey('whatsapp', writeFirst);
	rows.push(
		measure('restart: first claim after it (reads the 5000-entry file back)', () => {
			forgetInMemoryStateForTests();
			return claimUnseenKeys(scope, [newestKey], { onStoreError });
		}, {
			iterations: 200, warmup: 20, warmupMaxMs: 1000, maxMs: 1500,
			check: (claimed) => { if (claimed.size !== 0) throw new Error('fixture: restart did not read the seen id back from the file'); },
		}),
	);
	await settleWrites();

	printTable(`1. Meta webhook per POST (WhatsApp / Instagram Trigger), distinct message ids, seen-id store at its ${fmt(DEDUPE_MAX_KEYS, 0)}-key cap`, rows);
	console.log('  (d) = the compiled node\'s webhook() with a stub n8n context: no HTTP, no database; n8n\'s own ~40 ms come on top');
	console.log('  (c), (d) and "new key" rows only schedule the file write; it runs after the answer, one at a time (writes that');
	console.log('  pile up meanwhile become one), and costs the "file write" row. Its JSON.stringify is on n8n\'s main thread.');
	console.log(
		`  seen-id file at the cap: ${fmt(fileEntries, 0)} entries = ${fmt(fileBytes, 0)} B (${kb(fileBytes)}), one file per trigger node` +
			` under $N8N_USER_FOLDER/.n8n/chat-checkout/seen-events/`,
	);
}

module.exports = { run };
