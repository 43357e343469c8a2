'use strict';
/**
 * Section 1: what the WhatsApp / Instagram trigger does per POST, step by step, on the compiled modules:
 * (a) signature, (b) + JSON.parse + normalise, (c) + dedupe claim against a store at its cap,
 * (d) the whole node webhook() with a stub n8n context (in-process, no HTTP).
 */
const { measure, measureAsync, printTable, fmt, fmtUs, kb } = require('./harness');
const { dist, distNode } = require('./paths');
const fx = require('./fixtures');

const { verifyMetaSignature } = dist('meta/signature.js');
const { normaliseWhatsAppPayload } = dist('meta/whatsAppPayload.js');
const { normaliseInstagramPayload } = dist('meta/instagramPayload.js');
const { claimUnseenKeys, DEDUPE_MAX_KEYS } = dist('meta/dedupe.js');
const { WhatsAppTrigger } = distNode('WhatsAppTrigger/WhatsAppTrigger.node.js');
const { InstagramTrigger } = distNode('InstagramTrigger/InstagramTrigger.node.js');

const CHANNELS = {
	whatsapp: { label: 'WhatsApp', normalise: normaliseWhatsAppPayload, Node: WhatsAppTrigger, credential: 'chatCheckoutWhatsAppApi' },
	instagram: { label: 'Instagram', normalise: normaliseInstagramPayload, Node: InstagramTrigger, credential: 'chatCheckoutInstagramApi' },
};

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

/** Fills the process-wide memory of recent keys to its cap, as on a busy n8n: the trimming then runs every call. */
function fillProcessMemory() {
	const scope = 'bench-fill:node';
	for (let call = 0; call < 100; call++) {
		const first = takeSeq(100);
		const keys = [];
		for (let i = 0; i < 100; i++) keys.push(`fill:${first + i}`);
		claimUnseenKeys({}, scope, keys);
	}
}

function stubContext(channelKey, post, staticData, nodeId) {
	const res = { status() {}, setHeader() {}, send() {}, json() {} };
	const noop = () => {};
	return {
		getCredentials: async () => ({ appSecret: fx.APP_SECRET, verifyToken: 'bench-verify' }),
		getRequestObject: () => ({ rawBody: post.raw, headers: { 'x-hub-signature-256': post.header } }),
		getResponseObject: () => res,
		getWebhookName: () => 'default',
		getQueryData: () => ({}),
		getNodeParameter: (_name, fallback) => fallback,
		getWorkflow: () => ({ id: 'wfBench01' }),
		getNode: () => ({ id: nodeId, name: `${CHANNELS[channelKey].label} Trigger` }),
		getWorkflowStaticData: () => staticData,
		logger: { debug: noop, info: noop, warn: noop, error: noop },
	};
}

async function run() {
	fillProcessMemory();
	const rows = [];
	const storeSizes = [];
	for (const channelKey of ['whatsapp', 'instagram']) {
		const channel = CHANNELS[channelKey];
		const node = new channel.Node();
		for (const perPost of [1, 50]) {
			const n = perPost === 1 ? '1 msg' : '50 msgs';
			// (c) and (d) rebuild the 2000-key store on every call: a few ms each, so fewer iterations.
			const iterations = 300;
			const warmup = 30;
			const size = iterations + warmup;
			// Distinct ids in every POST: (c) and (d) see only new messages, the path that rewrites the store.
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

			// (c): the node's static data already at the cap (2000 keys of earlier messages).
			const staticData = fx.fullDedupeStore(channelKey, DEDUPE_MAX_KEYS, takeSeq(DEDUPE_MAX_KEYS));
			const scope = `wfBench01:${channelKey}-node-c`;
			rows.push(
				measure(label('(c) + dedupe claim'), (i) => {
					const post = posts[i];
					const check = verifyMetaSignature(post.raw, post.header, fx.APP_SECRET);
					if (!check.valid) return [];
					const normalised = parseAndNormalise(channel, post.raw);
					if (!normalised.recognised) return [];
					const unseen = claimUnseenKeys(staticData, scope, normalised.events.map((e) => e.dedupeKey));
					return normalised.events.filter((e) => unseen.delete(e.dedupeKey));
				}, {
					iterations, warmup, warmupMaxMs: 1000, maxMs: 1500,
					check: (events) => { if (events.length !== perPost) throw new Error(`fixture: dedupe kept ${events.length}/${perPost}`); },
				}),
			);
			const storedKeys = staticData.seenEvents.length;

			// (d): the same POSTs again through the compiled node, as another trigger node (its own scope and store).
			const nodeStaticData = fx.fullDedupeStore(channelKey, DEDUPE_MAX_KEYS, takeSeq(DEDUPE_MAX_KEYS));
			rows.push(
				await measureAsync(label('(d) whole node webhook()'), (i) =>
					node.webhook.call(stubContext(channelKey, posts[i], nodeStaticData, `${channelKey}-node-d`)), {
					iterations, warmup, warmupMaxMs: 1000, maxMs: 1500,
					check: (r) => {
						const items = r && r.workflowData && r.workflowData[0];
						if (!items || items.length !== perPost) throw new Error('fixture: node webhook() emitted no items');
					},
				}),
			);
			if (perPost === 50) {
				const json = JSON.stringify(staticData);
				const stringify = measure('stringify', () => JSON.stringify(staticData), { iterations: 500, warmup: 20 });
				storeSizes.push({ channel: channel.label, keys: storedKeys, bytes: Buffer.byteLength(json), stringifyUs: stringify.usPerOp });
			}
		}
	}
	// Where (c) spends its time: the claim alone, on a store at the cap, for a new key and for a redelivery.
	const storeFirstSeq = takeSeq(DEDUPE_MAX_KEYS);
	const store = fx.fullDedupeStore('whatsapp', DEDUPE_MAX_KEYS, storeFirstSeq);
	const newKeys = takeSeq(400);
	rows.push(
		measure('claimUnseenKeys alone: 1 new key (store rewritten)', (i) =>
			claimUnseenKeys(store, 'wfBench01:claim-only', [fx.dedupeKey('whatsapp', newKeys + i)]), {
			iterations: 300, warmup: 30, warmupMaxMs: 1000, maxMs: 1500,
			check: (claimed) => { if (claimed.size !== 1) throw new Error('fixture: key not new'); },
		}),
	);
	const storedKey = fx.dedupeKey('whatsapp', storeFirstSeq + DEDUPE_MAX_KEYS - 1);
	rows.push(
		measure('claimUnseenKeys alone: redelivery (key stored, no rewrite)', () =>
			claimUnseenKeys(store, 'wfBench01:claim-only', [storedKey]), {
			iterations: 1000, warmup: 30, warmupMaxMs: 1000, maxMs: 1500,
			check: (claimed) => { if (claimed.size !== 0) throw new Error('fixture: redelivery claimed'); },
		}),
	);
	printTable('1. Meta webhook per POST (WhatsApp / Instagram Trigger), distinct message ids, store at its 2000-key cap', rows);
	console.log('  (d) = the compiled node\'s webhook() with a stub n8n context: no HTTP, no database; n8n\'s own ~40 ms come on top');
	for (const s of storeSizes) {
		console.log(
			`  dedupe static data, ${s.channel}: ${fmt(s.keys, 0)} keys = ${fmt(s.bytes, 0)} B (${kb(s.bytes)}) of JSON saved with the workflow per new message` +
				` (JSON.stringify ${fmtUs(s.stringifyUs)} µs)`,
		);
	}
}

module.exports = { run };
