// @ts-check
'use strict';
/**
 * Bad requests for the pack's three webhook endpoints (WhatsApp Trigger, Instagram Trigger, Stripe Webhook
 * Verify), generated from a seed, so that a failing case can be built and sent again:
 *
 *   const cases = badRequests({ endpoint: 'stripe', seed: 20260601, secrets: sandbox.secrets });
 *   const results = await sendAll(sandbox.urls.stripe, cases, { concurrency: 8, timeoutMs: 20_000 });
 *
 * Every case carries the statuses it may get (`expect`) and, for a 200, the body it must get (`answer`).
 * They follow from two layers, in the order a request meets them:
 *
 * 1. n8n 2.40 reads the body before any node runs (webhook-helpers `parseRequestBody`, middlewares/body-parser
 *    `parseBody`): it decodes `Content-Encoding: gzip|deflate`, refuses a body over N8N_PAYLOAD_SIZE_MAX (16 MiB),
 *    parses `application/json` (422 when it is not JSON in the declared charset, or the charset is unknown to
 *    Node), `*\/xml` and `+xml` (422 when not XML), form-urlencoded and text/plain, and hands
 *    `multipart/form-data` to formidable (400 when it is not multipart). Which bodies it reads depends on the
 *    node's typeVersion (`typeVersion` option):
 *    - version 1: every body but `multipart/*` ones (those are not read at all: the node has no raw body);
 *    - version 2: only bodies whose type starts with application/json, text/plain or
 *      application/x-www-form-urlencoded, or ends in /xml or +xml. The node reads any other body itself
 *      (`multipart/*` too, `multipart/form-data` excepted) with n8n's reader, and answers a body it cannot read
 *      413 (over the limit) or 400 (broken Content-Encoding), where n8n itself answers 500.
 *    Other methods than the node's own: 404.
 * 2. The node (README, "WhatsApp Trigger" and "Stripe Webhook Verify"):
 *    Meta: no or wrong `X-Hub-Signature-256` (or no raw body) → 401; well signed but not JSON → 400; well
 *    signed JSON that is not a message payload, or has nothing to emit → 200 `{"received":true,"events":0}`.
 *    Stripe: anything that does not verify or is not a Stripe event → 400; a verified event the workflow does
 *    not select → 200 `{"received":true,"ignored":"<type>"}`.
 *
 * No case may start an execution: a well signed body is always of a shape the node answers without a run
 * (never a complete customer message, never a Stripe event type the node can select). Signatures are
 * computed, never pasted: HMAC-SHA256 of the exact bytes with node:crypto (Meta), the Stripe SDK's
 * `webhooks.generateTestHeaderString` (Stripe).
 */
const http = require('node:http');
const zlib = require('node:zlib');
const crypto = require('node:crypto');
const Stripe = require('stripe');

/** @typedef {'whatsapp' | 'instagram' | 'stripe'} Endpoint */
/** @typedef {'valid' | 'invalid' | 'none'} SignatureState */

/**
 * @typedef {object} BadRequest
 * @property {string} id              `<endpoint>#<index>`: the index in the list this seed generates
 * @property {string} kind            category (random-bytes, truncated, …)
 * @property {string} variant         what exactly is wrong with it
 * @property {string} method
 * @property {string} query           appended to the webhook URL ('' or '?…')
 * @property {Array<[string, string]>} headers   in order; a repeated name goes out as separate header lines
 * @property {Buffer | undefined} body
 * @property {number[]} expect        the statuses this request may get
 * @property {unknown} [answer]       for a case that must get 200: the JSON body it must get
 * @property {N8nDefect} [n8nDefect]  n8n itself mishandles this request before any node runs (see N8N_DEFECTS)
 */

/**
 * @typedef {object} N8nDefect
 * @property {number[]} statuses      what n8n answers instead of `expect`
 * @property {boolean} [noAnswer]     n8n may not answer at all
 * @property {string} why
 */

/**
 * Where n8n 2.40.7 itself gets a request wrong before a node is called (its webhook body reader/parser): no node
 * can change these answers. The test allows exactly these outcomes for exactly these cases, prints each one it
 * saw, and still requires that none starts an execution and that n8n keeps answering. Meta and Stripe send
 * none of these requests (JSON, well under 16 MiB, no content encoding).
 * @type {Record<'oversize' | 'encoding' | 'inflatedOversize' | 'xml', N8nDefect>}
 */
const N8N_DEFECTS = Object.freeze({
	oversize: {
		statuses: [500],
		why: 'n8n answers a body over N8N_PAYLOAD_SIZE_MAX with 500: raw-body\'s PayloadTooLargeError is not mapped to 413 (webhook-helpers executeWebhook)',
	},
	encoding: {
		statuses: [500],
		why: 'n8n answers a broken gzip/deflate body with 500: the zlib error is not mapped to a 4xx',
	},
	inflatedOversize: {
		statuses: [500],
		noAnswer: true,
		why: 'a gzip body that inflates past N8N_PAYLOAD_SIZE_MAX gets 500 from n8n (413 from a version-2 node reading it), and now and then no answer at all: n8n\'s body reader (req.readRawBody, which a version-2 node uses too) halts the inflater with the upload still piped into it; seen on a busy machine, on both versions',
	},
	xml: {
		statuses: [200, 400, 401, 422],
		noAnswer: true,
		why: 'n8n parses every */xml body with one shared xml2js parser (async): after a malformed document, later requests hang or get another request\'s parsed body (xml2js issues #280, #232). Our nodes read the raw bytes, so only the answer is affected',
	},
});

/**
 * @typedef {object} BadRequestOptions
 * @property {Endpoint} endpoint
 * @property {number} seed
 * @property {{ appSecret: string, stripeWebhookSecret: string }} secrets
 * @property {number} [count]        about how many (default 543); every category gets its share
 * @property {unknown} [sampleBody]  a valid delivery for the endpoint (truncated into bad ones); a built-in one by default
 * @property {number} [now]          ms since the epoch for Stripe timestamps (default: now). Stripe cases must be
 *                                   sent within 300 s of it: a well signed one is only valid that long.
 * @property {1 | 2} [typeVersion]   the webhook node's typeVersion (default 2, the template's): which bodies n8n reads
 */

/** Stripe event types Stripe Webhook Verify can select (its `events` options): never sent signed. */
const SELECTABLE_STRIPE_TYPES = new Set([
	'*',
	'charge.refunded',
	'checkout.session.async_payment_failed',
	'checkout.session.async_payment_succeeded',
	'checkout.session.completed',
	'checkout.session.expired',
	'customer.subscription.created',
	'customer.subscription.deleted',
	'customer.subscription.updated',
	'invoice.paid',
	'invoice.payment_failed',
]);
const UNSELECTED_STRIPE_TYPES = [
	'customer.created',
	'payment_intent.succeeded',
	'payment_intent.payment_failed',
	'charge.succeeded',
	'product.updated',
	'price.created',
	'account.updated',
	'invoice.created',
	'invoice.finalized',
	'checkout.session.completed.v2',
	'Checkout.Session.Completed',
	' invoice.paid',
	'',
];
const META_IGNORED_ANSWER = Object.freeze({ received: true, events: 0 });
const PAYLOAD_SIZE_MAX = 16 * 1024 * 1024; // n8n's default N8N_PAYLOAD_SIZE_MAX (MiB)
const TOO_LARGE_HEADER = 20 * 1024; // Node's HTTP server refuses more than 16 KiB of headers (431)

/** Category → share of the default count (543 per endpoint). */
const QUOTAS = {
	'random-bytes': 70,
	truncated: 60,
	'non-utf8': 50,
	'content-type': 60,
	'duplicate-signature': 40,
	'malformed-signature': 90,
	'deep-json': 20,
	huge: 11,
	'wrong-shape': 100,
	'wrong-method': 30,
	'content-encoding': 12,
};
const DEFAULT_COUNT = Object.values(QUOTAS).reduce((a, b) => a + b, 0);

// ---------- seeded randomness ----------

/** mulberry32: small, fast, good enough to pick cases; the same seed gives the same list. @param {number} seed */
function prng(seed) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	/** @param {number} lo @param {number} hi inclusive */
	const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
	/** @template T @param {readonly T[]} list @returns {T} */
	const pick = (list) => list[Math.floor(next() * list.length)];
	/** @param {number} n */
	const bytes = (n) => {
		const out = Buffer.allocUnsafe(n);
		for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
		return out;
	};
	const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:/\\"\'{}[]<>&%$#@!?é漢字🙂\u0000\u001f\u2028\ufeff';
	/** @param {number} n */
	const text = (n) => {
		const chars = [...ALPHABET];
		let s = '';
		for (let i = 0; i < n; i++) s += chars[Math.floor(next() * chars.length)];
		return s;
	};
	const digits = (/** @type {number} */ n) => {
		let s = String(int(1, 9));
		while (s.length < n) s += String(int(0, 9));
		return s;
	};
	/**
	 * A random JSON value, at most `depth` deep; never an object with a key a payload reads.
	 * @param {number} [depth]
	 * @returns {unknown}
	 */
	const json = (depth = 2) => {
		const r = next();
		if (depth <= 0 || r < 0.5) {
			return pick([null, true, false, int(-1e6, 1e6), next() * 1e300, -0.5, text(int(0, 24)), '', digits(15)]);
		}
		if (r < 0.75) return Array.from({ length: int(0, 4) }, () => json(depth - 1));
		/** @type {Record<string, unknown>} */
		const o = {};
		for (let i = int(0, 3); i > 0; i--) o[`zz_${text(int(1, 6))}`] = json(depth - 1);
		return o;
	};
	return { next, int, pick, bytes, text, digits, json };
}

/** @param {string} s */
function seedOf(s) {
	return crypto.createHash('sha256').update(s).digest().readUInt32LE(0);
}

// ---------- what n8n does with the body before the node runs ----------

const N8N_PARSED = (/** @type {string} */ type) =>
	type === 'application/json' || type.endsWith('/xml') || type.endsWith('+xml') || type === 'application/x-www-form-urlencoded' || type === 'text/plain';

/**
 * Whether n8n reads the body before a node of this version runs (webhook-helpers parseRequestBody); for a body it
 * does not read, a version-2 node reads it itself (nodes/shared/webhookRawBody.ts).
 * @param {string | undefined} type  the content type as n8n parses it (lower case, no parameters)
 * @param {1 | 2} typeVersion
 */
function n8nReadsBody(type, typeVersion) {
	if (type === undefined) return typeVersion === 1;
	if (type.startsWith('multipart/')) return false;
	if (typeVersion === 1) return true;
	return type.startsWith('application/json') || type.startsWith('text/plain') || type.startsWith('application/x-www-form-urlencoded') || type.endsWith('/xml') || type.endsWith('+xml');
}

/**
 * Type and charset as n8n reads them (@n8n/backend-network parseContentType): the type lower-cased but not
 * trimmed, the charset parameter (default utf-8) lower-cased.
 * @param {string | undefined} header
 */
function contentTypeOf(header) {
	if (header === undefined) return undefined;
	const [type, ...parameters] = header.split(';');
	let charset = 'utf-8';
	for (const parameter of parameters) {
		const eq = parameter.indexOf('=');
		if (eq === -1 || parameter.slice(0, eq).toLowerCase().trim() !== 'charset') continue;
		let value = parameter.slice(eq + 1).trim();
		if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
		try {
			value = decodeURIComponent(value);
		} catch {}
		charset = value;
	}
	return { type: type.toLowerCase(), charset: charset.toLowerCase() };
}

/** @param {string} text */
function parsesAsJson(text) {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

/**
 * The status n8n answers itself for a POST with this content type and (decoded) body, or undefined when the
 * request reaches the node. `rawBody` says whether the node then gets the body's bytes.
 * @param {string | undefined} contentTypeHeader
 * @param {Buffer} body
 * @param {boolean} xmlValid   the body is well-formed XML (by construction)
 * @param {1 | 2} [typeVersion]
 * @returns {{ status: number } | { rawBody: boolean }}
 */
function n8nBodyGate(contentTypeHeader, body, xmlValid, typeVersion = 2) {
	const contentType = contentTypeOf(contentTypeHeader);
	if (!contentType) return { rawBody: true };
	const { type, charset } = contentType;
	if (type === 'multipart/form-data') throw new Error('multipart/form-data cases need an explicit expectation');
	// version 1: n8n does not read these at all; version 2: the node does
	if (type.startsWith('multipart/')) return { rawBody: typeVersion >= 2 };
	if (body.length === 0 || !N8N_PARSED(type)) return { rawBody: true };
	if (!Buffer.isEncoding(charset)) return { status: 422 }; // "Unknown encoding"
	const text = body.toString(/** @type {BufferEncoding} */ (charset));
	if (type === 'application/json') {
		return parsesAsJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) ? { rawBody: true } : { status: 422 };
	}
	if (type.endsWith('/xml') || type.endsWith('+xml')) {
		if (text.trim() === '' || xmlValid) return { rawBody: true };
		if (!text.trimStart().startsWith('<')) return { status: 422 }; // "Non-whitespace before first tag"
		throw new Error('an XML-typed case must say whether its body is XML');
	}
	return { rawBody: true };
}

// ---------- the endpoints ----------

/**
 * @typedef {object} Kit
 * @property {string} signatureHeader
 * @property {(body: Buffer, o?: { timestamp?: number }) => string} sign     the right signature
 * @property {(rng: Rng, body: Buffer) => string} forge                        a well-formed wrong one
 * @property {(rng: Rng) => { value: unknown, type?: string }} ignoredPayload  a payload the node answers 200 without a run
 * @property {Buffer} sample                                                   a valid delivery (starts a run: only sent truncated)
 * @property {(o: { body: Buffer, signature: SignatureState, rawBody: boolean, ignoredType?: string }) => number} nodeStatus
 * @property {(type: string | undefined) => unknown} answer                    the documented 200 body
 */
/** @typedef {ReturnType<typeof prng>} Rng */

const PHONE_NUMBER_ID = '100000000000001';
const IG_ACCOUNT_ID = '17841400000000001';

function defaultSample(/** @type {Endpoint} */ endpoint) {
	if (endpoint === 'whatsapp') {
		return {
			object: 'whatsapp_business_account',
			entry: [{ id: '200000000000001', changes: [{ field: 'messages', value: {
				messaging_product: 'whatsapp',
				metadata: { display_phone_number: '15550001111', phone_number_id: PHONE_NUMBER_ID },
				contacts: [{ profile: { name: 'Ada' }, wa_id: '4915112345678' }],
				messages: [{ from: '4915112345678', id: 'wamid.SAMPLE', timestamp: '1780000000', type: 'text', text: { body: 'I want the deluxe room June 15-17' } }],
			} }] }],
		};
	}
	if (endpoint === 'instagram') {
		return {
			object: 'instagram',
			entry: [{ id: IG_ACCOUNT_ID, time: 1780000000000, messaging: [{ sender: { id: '7000000000000001' }, recipient: { id: IG_ACCOUNT_ID }, timestamp: 1780000000000, message: { mid: 'aWdfSAMPLE', text: 'I want the deluxe room June 15-17' } }] }],
		};
	}
	return {
		id: 'evt_sample', object: 'event', api_version: '2026-02-25.clover', created: 1780000000, livemode: false, type: 'checkout.session.completed',
		data: { object: { id: 'cs_test_sample', object: 'checkout.session', mode: 'payment', payment_status: 'paid', status: 'complete', amount_total: 39800, currency: 'usd',
			metadata: { chat_channel: 'whatsapp', chat_account_id: PHONE_NUMBER_ID, chat_user_id: '4915112345678', chat_message_id: 'wamid.SAMPLE' } } },
	};
}

/**
 * Payloads of wrong shapes for a Meta trigger: JSON the trigger answers 200 without a run. None of them
 * holds a complete customer message (account id + sender + message id) the trigger would emit.
 * @param {'whatsapp' | 'instagram'} channel
 * @returns {Array<(rng: Rng) => unknown>}
 */
function metaWrongShapes(channel) {
	const wa = 'whatsapp_business_account';
	const change = (/** @type {unknown} */ value, field = 'messages') => ({ object: wa, entry: [{ id: '200000000000001', changes: [{ field, value }] }] });
	const meta = { display_phone_number: '15550001111', phone_number_id: PHONE_NUMBER_ID };
	const message = (/** @type {Rng} */ r) => ({ from: r.digits(13), id: `wamid.${r.text(8)}`, timestamp: String(r.int(1, 2e9)), type: 'text', text: { body: r.text(r.int(0, 40)) } });
	const ig = (/** @type {unknown} */ entry) => ({ object: 'instagram', entry });
	const igEntry = (/** @type {unknown} */ messaging) => [{ id: IG_ACCOUNT_ID, time: 1780000000000, messaging }];
	const sender = (/** @type {Rng} */ r) => ({ id: r.digits(16) });
	/** @type {Array<(rng: Rng) => unknown>} */
	const common = [
		() => null,
		() => true,
		(r) => r.int(-1e9, 1e9),
		() => 1e308,
		(r) => r.text(r.int(0, 30)),
		() => [],
		(r) => Array.from({ length: r.int(1, 5) }, () => r.json(2)),
		() => ({}),
		(r) => ({ object: r.pick([null, 0, 1, true, [], {}, '', 'page', 'user', 'permissions', 'WHATSAPP_BUSINESS_ACCOUNT', 'Instagram', 'instagram ', ' whatsapp_business_account']), entry: [] }),
		(r) => ({ entry: [{ changes: [{ field: 'messages', value: { metadata: meta, messages: [message(r)] } }] }] }), // object missing
		(r) => ({ object: 'page', entry: [{ id: '1', messaging: [{ sender: sender(r), recipient: { id: '1' }, message: { mid: 'm.1', text: 'hi' } }] }] }),
		(r) => ({ ['__proto__']: { object: channel === 'whatsapp' ? wa : 'instagram' }, zz: r.json(1) }),
		() => JSON.parse(`{"constructor":{"prototype":{"object":"${channel === 'whatsapp' ? wa : 'instagram'}"}}}`),
		(r) => ({ object: channel === 'whatsapp' ? 'instagram' : wa, zz: r.json(2) }),
	];
	if (channel === 'whatsapp') {
		return [
			...common,
			// the other channel's complete message: not a WhatsApp payload
			(r) => ig(igEntry([{ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, timestamp: 1780000000000, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }])),
			() => ({ object: wa }),
			(r) => ({ object: wa, entry: r.pick([null, {}, 'entry', 1, true]) }),
			(r) => ({ object: wa, entry: [null, 1, 'x', [], r.json(1)] }),
			() => ({ object: wa, entry: [{}] }),
			(r) => ({ object: wa, entry: [{ id: '1', changes: r.pick([null, {}, 'x', [null], [1, 'x']]) }] }),
			(r) => change(undefined, r.pick(['messages', 'statuses'])),
			(r) => change(r.pick([[], 'value', 0, null])),
			(r) => change({ metadata: meta, messages: [message(r)] }, r.pick(['statuses', 'message_template_status_update', 'account_update', 'Messages', ''])),
			(r) => change({ metadata: meta, messages: r.pick([{}, 'x', 1, null]) }),
			(r) => change({ metadata: meta, messages: [null, 1, 'x', [], {}, r.json(1)] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), from: undefined }] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), id: undefined }] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), from: r.pick(['', null, {}, [], true]) }] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), id: r.pick(['', null, {}, [], false]) }] }),
			(r) => change({ messages: [message(r)] }), // no metadata: no phone number id
			(r) => change({ metadata: { ...meta, phone_number_id: r.pick(['', null, {}, [], true]) }, messages: [message(r)] }),
			(r) => change({ metadata: r.pick([null, 'x', [], 1]), messages: [message(r)] }),
			// complete, but of kinds the trigger only emits when opted in (template: messages only)
			(r) => change({ metadata: meta, statuses: [{ id: `wamid.${r.text(8)}`, status: r.pick(['sent', 'delivered', 'read', 'failed']), recipient_id: r.digits(13), timestamp: '1780000000' }] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), type: 'reaction', text: undefined, reaction: { message_id: 'wamid.X', emoji: '👍' } }] }),
			(r) => change({ metadata: meta, contacts: r.json(2), errors: [{ code: r.int(0, 200000), title: r.text(10) }] }),
		];
	}
	const messaging = (/** @type {unknown} */ m) => ig(igEntry([m]));
	return [
		...common,
		(r) => change({ metadata: meta, messages: [message(r)] }), // a complete WhatsApp message: not an Instagram payload
		() => ({ object: 'instagram' }),
		(r) => ig(r.pick([null, {}, 'entry', 1, true])),
		(r) => ig([null, 1, 'x', [], r.json(1)]),
		() => ig([{}]),
		(r) => ig([{ id: IG_ACCOUNT_ID, messaging: r.pick([null, {}, 'x', [null], [1, 'x'], [[]]]) }]),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { text: r.text(10) } }), // no mid
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { mid: r.pick(['', null, {}, [], true]), text: 'hi' } }),
		(r) => messaging({ recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }), // no sender
		(r) => messaging({ sender: r.pick([null, 'x', {}, { id: '' }, { id: null }, []]), recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }),
		(r) => ig([{ messaging: [{ sender: sender(r), message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }] }]), // no account id anywhere
		(r) => ig([{ messaging: [{ sender: sender(r), recipient: r.pick([{}, { id: '' }, null]), postback: { title: 'Buy', payload: 'BUY' } }] }]),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, postback: 'x', message: r.pick([null, 'x', 1, []]) }),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, timestamp: r.int(0, 1e15), zz: r.json(2) }), // no event at all
		// complete, but of kinds the trigger only emits when opted in (template: messages only)
		(r) => messaging({ sender: { id: IG_ACCOUNT_ID }, recipient: sender(r), message: { mid: `aWdf${r.text(6)}`, text: 'echo', is_echo: true } }),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, is_deleted: true } }),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, read: { mid: `aWdf${r.text(6)}` } }),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, reaction: { mid: `aWdf${r.text(6)}`, action: 'react', reaction: 'love', emoji: '❤️' } }),
		// a complete message where the trigger does not look (standby, changes of other fields)
		(r) => ig([{ id: IG_ACCOUNT_ID, standby: [{ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }] }]),
		(r) => ig([{ id: IG_ACCOUNT_ID, changes: [{ field: r.pick(['comments', 'mentions', 'Messages', '']), value: { sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } } }] }]),
	];
}

/** @param {Endpoint} endpoint @param {BadRequestOptions['secrets']} secrets @param {unknown} sampleBody @returns {Kit} */
function metaKit(endpoint, secrets, sampleBody) {
	const channel = /** @type {'whatsapp' | 'instagram'} */ (endpoint);
	const shapes = metaWrongShapes(channel);
	const hmac = (/** @type {string} */ key, /** @type {Buffer} */ body) => crypto.createHmac('sha256', key).update(body).digest('hex');
	return {
		signatureHeader: 'x-hub-signature-256',
		sign: (body) => `sha256=${hmac(secrets.appSecret, body)}`,
		forge: (rng, body) => rng.pick([
			() => `sha256=${hmac(`${secrets.appSecret}x`, body)}`,
			() => `sha256=${rng.bytes(32).toString('hex')}`,
			() => `sha256=${hmac(secrets.appSecret, Buffer.concat([body, Buffer.from('\n')]))}`,
			() => `sha256=${crypto.createHash('sha256').update(body).digest('hex')}`,
		])(),
		ignoredPayload: (rng) => ({ value: rng.pick(shapes)(rng) }),
		sample: Buffer.from(JSON.stringify(sampleBody)),
		nodeStatus: ({ body, signature, rawBody }) => {
			if (!rawBody || signature !== 'valid') return 401;
			return parsesAsJson(body.toString('utf8')) ? 200 : 400;
		},
		answer: () => META_IGNORED_ANSWER,
	};
}

/** @param {BadRequestOptions['secrets']} secrets @param {unknown} sampleBody @param {number} now @returns {Kit} */
function stripeKit(secrets, sampleBody, now) {
	const t = Math.floor(now / 1000);
	const header = (/** @type {Buffer} */ body, /** @type {string} */ secret, timestamp = t) =>
		Stripe.webhooks.generateTestHeaderString({ payload: body.toString('utf8'), secret, timestamp });
	const event = (/** @type {Rng} */ r, /** @type {string} */ type, /** @type {unknown} */ object) => ({
		// a fixed `created`: the same seed gives the same bytes; only the signature's t is the time of the run
		id: `evt_${r.text(6).replace(/[^a-zA-Z0-9]/g, 'x')}`, object: 'event', api_version: '2026-02-25.clover', created: 1780000000, livemode: false, type,
		data: { object },
	});
	return {
		signatureHeader: 'stripe-signature',
		sign: (body, o = {}) => header(body, secrets.stripeWebhookSecret, o.timestamp),
		forge: (rng, body) => rng.pick([
			() => header(body, `whsec_${rng.bytes(18).toString('hex')}`),
			() => `t=${t},v1=${rng.bytes(32).toString('hex')}`,
			() => header(Buffer.concat([body, Buffer.from(' ')]), secrets.stripeWebhookSecret),
			() => header(body, secrets.stripeWebhookSecret, t + 1).replace(`t=${t + 1}`, `t=${t}`),
		])(),
		ignoredPayload: (rng) => {
			const type = rng.next() < 0.8 ? rng.pick(UNSELECTED_STRIPE_TYPES) : `fuzz.${rng.text(rng.int(1, 30))}`;
			if (SELECTABLE_STRIPE_TYPES.has(type)) throw new Error(`generator bug: ${type} can be selected`);
			const object = rng.pick([
				() => ({ id: `obj_${rng.digits(8)}`, object: rng.pick(['customer', 'payment_intent', 'charge', 'thing']), zz: rng.json(2) }),
				() => ({}),
				() => [],
				() => ({ metadata: { chat_channel: 'whatsapp', chat_account_id: PHONE_NUMBER_ID, chat_user_id: rng.digits(13) } }),
			])();
			return { value: event(rng, type, object), type };
		},
		sample: Buffer.from(JSON.stringify(sampleBody)),
		nodeStatus: ({ body, signature, rawBody, ignoredType }) =>
			rawBody && body.length > 0 && signature === 'valid' && ignoredType !== undefined ? 200 : 400,
		answer: (type) => ({ received: true, ignored: type }),
	};
}

/**
 * JSON of wrong shapes for Stripe Webhook Verify, signed right: none is a Stripe event (400).
 * @type {Array<(rng: Rng, t: number) => unknown>}
 */
const STRIPE_NOT_EVENTS = [
	() => null,
	() => true,
	(r) => r.int(-1e9, 1e9),
	(r) => r.text(r.int(0, 30)),
	() => [],
	(r) => [{ id: 'evt_1', object: 'event', type: 'customer.created', data: { object: {} } }, r.json(1)],
	() => ({}),
	(r) => ({ id: 'evt_1', object: 'event', type: 'customer.created', data: r.pick([null, 'x', 1, {}, { object: null }, { object: 'x' }, { object: 1 }]) }),
	(r) => ({ id: 'evt_1', object: 'event', type: r.pick([null, 1, {}, [], true]), data: { object: {} } }),
	(r) => ({ id: r.pick([null, 1, {}, [], undefined]), object: 'event', type: 'customer.created', data: { object: {} } }),
	(r) => ({ id: 'evt_1', object: r.pick([undefined, null, 'Event', 'events', 'checkout.session', '']), type: 'customer.created', data: { object: {} } }),
	(r) => ({ id: 'evt_1', type: 'customer.created', data: { object: { zz: r.json(2) } } }),
	// a thin (v2) event notification
	(r) => ({ id: `evt_${r.digits(6)}`, object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', related_object: { id: 'mtr_1' } }),
	// a Meta payload (complete message) sent to the Stripe endpoint
	(r) => ({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { metadata: { phone_number_id: PHONE_NUMBER_ID }, messages: [{ from: r.digits(13), id: 'wamid.X', type: 'text', text: { body: 'hi' } }] } }] }] }),
];

// ---------- the generator ----------

/**
 * @param {BadRequestOptions} opts
 * @returns {BadRequest[]}
 */
function badRequests(opts) {
	const { endpoint, secrets } = opts;
	if (!['whatsapp', 'instagram', 'stripe'].includes(endpoint)) throw new Error(`unknown endpoint ${endpoint}`);
	const now = opts.now ?? Date.now();
	const typeVersion = opts.typeVersion ?? 2;
	const scale = (opts.count ?? DEFAULT_COUNT) / DEFAULT_COUNT;
	const quota = (/** @type {keyof typeof QUOTAS} */ kind) => Math.max(1, Math.round(QUOTAS[kind] * scale));
	const rng = prng(seedOf(`${opts.seed}:${endpoint}`));
	const stripe = endpoint === 'stripe';
	const kit = stripe ? stripeKit(secrets, opts.sampleBody ?? defaultSample(endpoint), now) : metaKit(endpoint, secrets, opts.sampleBody ?? defaultSample(endpoint));
	const t = Math.floor(now / 1000);
	const JSON_TYPE = 'application/json';

	/** @type {Omit<BadRequest, 'id'>[]} */
	const cases = [];
	/**
	 * @param {object} c
	 * @param {string} c.kind
	 * @param {string} c.variant
	 * @param {Buffer} [c.body]
	 * @param {string} [c.contentType]
	 * @param {Array<[string, string]>} [c.headers]   signature and other headers (after the content type)
	 * @param {SignatureState} [c.signature]           whether the node must find the signature right
	 * @param {string} [c.ignoredType]                 Stripe: the body is a Stripe event of this unselected type
	 * @param {string} [c.method]
	 * @param {string} [c.query]
	 * @param {boolean} [c.xmlValid]
	 * @param {Buffer} [c.inflated]                    the body n8n reads after undoing Content-Encoding gzip/deflate
	 * @param {number[]} [c.expect]                    when n8n's part is not modelled (multipart, broken content encodings)
	 * @param {N8nDefect} [c.n8nDefect]              n8n itself mishandles it (see N8N_DEFECTS)
	 */
	const add = (c) => {
		const method = c.method ?? 'POST';
		const body = c.body ?? (method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : Buffer.alloc(0));
		/** @type {Array<[string, string]>} */
		const headers = [...(c.contentType !== undefined ? [/** @type {[string, string]} */ (['content-type', c.contentType])] : []), ...(c.headers ?? [])];
		let expect = c.expect;
		if (!expect) {
			if (method !== 'POST') throw new Error(`${c.kind}/${c.variant}: other methods need an explicit expectation`);
			const read = c.inflated ?? body ?? Buffer.alloc(0);
			const gate = n8nBodyGate(c.contentType, read, c.xmlValid === true, typeVersion);
			expect = 'status' in gate
				? [gate.status]
				: [kit.nodeStatus({ body: read, signature: c.signature ?? 'none', rawBody: gate.rawBody, ignoredType: c.ignoredType })];
		}
		if (stripe && c.signature === 'valid' && c.ignoredType !== undefined && SELECTABLE_STRIPE_TYPES.has(c.ignoredType)) {
			throw new Error(`generator bug: ${c.variant} would start a run`);
		}
		// n8n's reader fails (500) only where n8n reads the body; where a version-2 node reads it, the node answers
		// (but a runaway inflation can leave either without an answer: inflatedOversize)
		const defect = c.n8nDefect && (c.n8nDefect === N8N_DEFECTS.xml || c.n8nDefect === N8N_DEFECTS.inflatedOversize || n8nReadsBody(contentTypeOf(c.contentType)?.type, typeVersion)) ? c.n8nDefect : undefined;
		cases.push({
			kind: c.kind, variant: c.variant, method, query: c.query ?? '', headers, body, expect,
			...(expect.length === 1 && expect[0] === 200 ? { answer: kit.answer(c.ignoredType) } : {}),
			...(defect ? { n8nDefect: defect } : {}),
		});
	};
	const sig = (/** @type {string} */ value) => /** @type {Array<[string, string]>} */ ([[kit.signatureHeader, value]]);
	/** A body the node answers 200 for when signed (Stripe: with its event type). */
	const ignored = () => {
		const payload = kit.ignoredPayload(rng);
		return { body: Buffer.from(JSON.stringify(payload.value)), type: payload.type };
	};
	/** Signed right, forged (a well-formed wrong signature), or not signed at all; `mode` goes into the variant. */
	const signing = (/** @type {Buffer} */ body, mode = rng.pick(/** @type {const} */ (['valid', 'invalid', 'none']))) => ({
		mode,
		headers: mode === 'valid' ? sig(kit.sign(body)) : mode === 'invalid' ? sig(kit.forge(rng, body)) : [],
		signature: /** @type {SignatureState} */ (mode),
	});

	// 1. random bytes
	for (let i = quota('random-bytes'); i > 0; i--) {
		const r = rng.next();
		const length = r < 0.3 ? rng.int(1, 32) : r < 0.9 ? rng.int(33, 2048) : rng.int(2049, 65536);
		const body = rng.bytes(length);
		const contentType = rng.pick([JSON_TYPE, JSON_TYPE, 'application/octet-stream', undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']);
		const s = signing(body);
		add({ kind: 'random-bytes', variant: `${length} bytes, ${contentType ?? 'no content type'}, ${s.mode} signature`, body, contentType, headers: s.headers, signature: s.signature });
	}

	// 2. truncated valid deliveries, signed over the bytes sent or over the whole delivery
	for (let i = quota('truncated'); i > 0; i--) {
		const cut = rng.next() < 0.1 ? rng.int(0, 2) : rng.int(0, kit.sample.length - 1);
		const body = kit.sample.subarray(0, cut);
		const overFull = rng.next() < 0.5;
		const contentType = rng.pick([JSON_TYPE, JSON_TYPE, 'text/plain', undefined]);
		add({
			kind: 'truncated',
			variant: `${cut} of ${kit.sample.length} bytes, ${contentType ?? 'no content type'}, signed over ${overFull ? 'the whole delivery' : 'the bytes sent'}`,
			body, contentType, headers: sig(kit.sign(overFull ? kit.sample : body)), signature: overFull ? 'invalid' : 'valid',
		});
	}

	// 3. bytes that are not UTF-8
	const BAD_UTF8 = [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];
	const badBytes = () => (rng.next() < 0.7 ? Buffer.from(rng.pick(BAD_UTF8)) : Buffer.from(Array.from({ length: rng.int(1, 40) }, () => rng.int(0x80, 0xff))));
	// Stripe: never an event here (its SDK checks the signature over lossily decoded text), so always 400
	const plain = () => (stripe ? Buffer.from(JSON.stringify({ object: 'page', zz_note: rng.text(rng.int(0, 20)) })) : ignored().body);
	const nonUtf8 = [
		// inside a string of an ignored payload: still JSON after lossy decoding
		() => ({ what: 'invalid UTF-8 inside a string', body: withField(plain(), 'zz_bytes', Buffer.concat([Buffer.from('"'), badBytes(), Buffer.from('"')])) }),
		() => ({ what: 'invalid UTF-8 in the JSON structure', body: Buffer.concat([Buffer.from('{"object":'), badBytes(), Buffer.from('}')]) }),
		() => ({ what: 'only invalid UTF-8', body: Buffer.concat(Array.from({ length: rng.int(1, 30) }, badBytes)) }),
		() => ({ what: 'UTF-16LE with BOM', body: Buffer.from(`\ufeff${plain().toString('utf8')}`, 'utf16le') }),
		() => ({ what: 'UTF-16BE with BOM', body: Buffer.from(`\ufeff${plain().toString('utf8')}`, 'utf16le').swap16() }),
		() => ({ what: 'Latin-1 text in a string', body: Buffer.from(`{"object":"page","zz_name":"Jos\u00e9 M\u00fcller \u00a3${rng.int(1, 99)}"}`, 'latin1') }),
		() => ({ what: 'UTF-8 BOM before JSON', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain()]) }),
		() => ({ what: 'raw control bytes in a string', body: Buffer.from(`{"object":"page","zz":"a${String.fromCharCode(rng.int(0, 31))}b"}`, 'latin1') }),
	];
	for (let i = quota('non-utf8'); i > 0; i--) {
		const { what, body } = rng.pick(nonUtf8)();
		const contentType = rng.pick([JSON_TYPE, JSON_TYPE, 'text/plain', undefined, 'application/json; charset=utf-16le', 'application/json; charset=latin1', 'application/json; charset=utf-16']);
		const s = signing(body);
		add({ kind: 'non-utf8', variant: `${what}, ${contentType ?? 'no content type'}, ${s.mode} signature`, body, contentType, headers: s.headers, signature: s.signature });
	}

	// 4. wrong content types on an ignored payload, mostly signed right
	const multipart = (/** @type {Buffer} */ payload, boundary = 'XyZzY') =>
		Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: application/json\r\n\r\n`), payload, Buffer.from(`\r\n--${boundary}--\r\n`)]);
	/** multipart/form-data goes to formidable: 400 unless the body is multipart; a multipart body leaves no raw body (Meta 401, Stripe 400). */
	const multipartExpect = (/** @type {boolean} */ isMultipart) => [isMultipart ? (stripe ? 400 : 401) : 400];
	const CONTENT_TYPES = [
		'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/octet-stream', undefined, 'APPLICATION/JSON',
		'application/json; charset=latin1', 'application/json; charset="utf-8"', 'application/json; charset=utf-16', 'application/json; charset=x-klingon',
		'application/json; charset=hex', 'application/json; charset=base64', 'text/plain; charset=ucs2', 'application/json, text/plain', ';;;', '',
		'text/html', 'image/png', 'application/vnd.api+json', 'application/json-patch+json', 'multipart/mixed; boundary=x', 'application/json ; charset=utf-8',
	];
	/** @typedef {{ body: Buffer, type?: string, contentType: string | undefined, xmlValid?: boolean, isMultipart?: boolean }} TypedBody */
	/** @type {Array<() => TypedBody>} */
	const fixedContentTypes = [
		// n8n parses *\/xml and +xml bodies; JSON is not XML
		() => ({ ...ignored(), contentType: 'application/xml', xmlValid: false }),
		() => ({ ...ignored(), contentType: 'text/xml; charset=utf-8', xmlValid: false }),
		() => ({ body: Buffer.from('<?xml version="1.0"?><object>page</object>'), contentType: 'application/xml', xmlValid: true }),
		() => ({ ...ignored(), contentType: 'multipart/form-data; boundary=XyZzY', isMultipart: false }),
		() => ({ ...ignored(), contentType: 'multipart/form-data', isMultipart: false }),
		() => {
			const payload = ignored();
			return { body: multipart(payload.body), type: payload.type, contentType: 'multipart/form-data; boundary=XyZzY', isMultipart: true };
		},
	];
	for (let i = quota('content-type'); i > 0; i--) {
		const fixed = i <= fixedContentTypes.length;
		/** @type {TypedBody} */
		const c = fixed ? fixedContentTypes[i - 1]() : { ...ignored(), contentType: rng.pick(CONTENT_TYPES) };
		const s = signing(c.body, rng.next() < 0.8 ? 'valid' : rng.pick(/** @type {const} */ (['invalid', 'none'])));
		// Node keeps the first of two Content-Type headers
		const second = !fixed && c.contentType !== undefined && rng.next() < 0.15;
		add({
			kind: 'content-type',
			variant: `${second ? 'two content types: ' : ''}${JSON.stringify(c.contentType ?? null)}${second ? ', "application/json"' : ''}, ${s.mode} signature`,
			body: c.body, contentType: c.contentType, headers: [...(second ? /** @type {Array<[string, string]>} */ ([['content-type', JSON_TYPE]]) : []), ...s.headers],
			signature: s.signature, ignoredType: c.type, xmlValid: c.xmlValid,
			...(c.contentType && /\/xml|\+xml/i.test(c.contentType) ? { n8nDefect: N8N_DEFECTS.xml } : {}),
			...(c.isMultipart !== undefined ? { expect: multipartExpect(c.isMultipart) } : {}),
		});
	}

	// 5. duplicated signature headers (Node joins them with ", " before n8n sees them)
	for (let i = quota('duplicate-signature'); i > 0; i--) {
		const { body, type } = ignored();
		const right = kit.sign(body);
		const wrong = kit.forge(rng, body);
		if (!stripe) {
			// a joined value is never `sha256=<64 hex>`: every duplicate is refused
			const pairs = [
				['right, wrong', [right, wrong]], ['wrong, right', [wrong, right]], ['right, right', [right, right]], ['right, empty', [right, '']],
				['right, sha1', [right, `sha1=${crypto.createHmac('sha1', secrets.appSecret).update(body).digest('hex')}`]], ['wrong, wrong', [wrong, kit.forge(rng, body)]],
			];
			const [what, values] = /** @type {[string, string[]]} */ (rng.pick(pairs));
			const names = rng.next() < 0.3 ? ['X-Hub-Signature-256', 'x-hub-signature-256'] : ['x-hub-signature-256', 'x-hub-signature-256'];
			add({ kind: 'duplicate-signature', variant: `two X-Hub-Signature-256 headers: ${what}`, body, contentType: JSON_TYPE, headers: values.map((v, n) => /** @type {[string, string]} */ ([names[n], v])), signature: 'invalid' });
			continue;
		}
		// Stripe reads "t=…,v1=…, t=…,v1=…" item by item: " t=" of the second is not `t` (leading space), its v1 counts
		const bad = `t=1,v1=${rng.bytes(32).toString('hex')}`;
		const sameT = `t=${t},v1=${rng.bytes(32).toString('hex')}`;
		const variants = /** @type {Array<[string, string[], SignatureState]>} */ ([
			['right, wrong with t=1 (t of the first counts, any v1 may match)', [right, bad], 'valid'],
			['wrong with t=1, right (t=1 is signed into nothing)', [bad, right], 'invalid'],
			['wrong with the same t, right', [sameT, right], 'valid'],
			['right, right', [right, right], 'valid'],
			['wrong, wrong', [wrong, bad], 'invalid'],
			['right, empty', [right, ''], 'valid'],
			['t only, v1 only', [`t=${t}`, right.split(',')[1]], 'invalid'],
			['v1 only, t only', [right.split(',')[1], `t=${t}`], 'invalid'],
		]);
		const [what, values, state] = rng.pick(variants);
		const name = rng.next() < 0.3 ? 'Stripe-Signature' : 'stripe-signature';
		add({ kind: 'duplicate-signature', variant: `two Stripe-Signature headers: ${what}`, body, contentType: JSON_TYPE, headers: values.map((v) => /** @type {[string, string]} */ ([name, v])), signature: state, ignoredType: type });
	}

	// 6. malformed signature headers, on an ignored payload
	/** @type {Array<[string, (body: Buffer) => string, SignatureState | number]>} */
	const malformed = stripe
		? (() => {
			const v1 = (/** @type {Buffer} */ body, timestamp = t) => kit.sign(body, { timestamp }).split(',')[1].slice(3);
			return [
				['t without v1', () => `t=${t}`, 'invalid'],
				['v1 without t', (b) => `v1=${v1(b)}`, 'invalid'],
				['non-numeric t', (b) => `t=abc,v1=${v1(b)}`, 'invalid'],
				['empty t', (b) => `t=,v1=${v1(b)}`, 'invalid'],
				['negative t', (b) => kit.sign(b, { timestamp: -1 }), 'invalid'],
				['empty v1', () => `t=${t},v1=`, 'invalid'],
				['v0 instead of v1', (b) => `t=${t},v0=${v1(b)}`, 'invalid'],
				['V1 upper case', (b) => `t=${t},V1=${v1(b)}`, 'invalid'],
				['T upper case', (b) => `T=${t},v1=${v1(b)}`, 'invalid'],
				['space after the comma', (b) => `t=${t}, v1=${v1(b)}`, 'invalid'],
				['spaces around =', (b) => `t = ${t},v1 = ${v1(b)}`, 'invalid'],
				['semicolons', (b) => `t=${t};v1=${v1(b)}`, 'invalid'],
				['upper-case hex', (b) => `t=${t},v1=${v1(b).toUpperCase()}`, 'invalid'],
				['wrong secret', (b) => kit.forge(rng, b), 'invalid'],
				['HMAC of the body without "t."', (b) => `t=${t},v1=${crypto.createHmac('sha256', secrets.stripeWebhookSecret).update(b).digest('hex')}`, 'invalid'],
				['SHA-256 of the body', (b) => `t=${t},v1=${crypto.createHash('sha256').update(b).digest('hex')}`, 'invalid'],
				['v1 one hex digit short', (b) => `t=${t},v1=${v1(b).slice(1)}`, 'invalid'],
				['v1 of another timestamp', (b) => `t=${t},v1=${v1(b, t - 1)}`, 'invalid'],
				['second t overrides a right one', (b) => `t=${t},t=1,v1=${v1(b)}`, 'invalid'],
				['too old: 301 s', (b) => kit.sign(b, { timestamp: t - 301 }), 'invalid'],
				['too old: 1 h', (b) => kit.sign(b, { timestamp: t - 3600 }), 'invalid'],
				['too old: 3 years', (b) => kit.sign(b, { timestamp: t - 1e8 }), 'invalid'],
				['too old: t=1', (b) => kit.sign(b, { timestamp: 1 }), 'invalid'],
				['latin-1 byte in v1', (b) => `t=${t},v1=${v1(b).slice(1)}\u00e9`, 'invalid'],
				['12 KiB header', (b) => `t=${t},v1=${v1(b)},v1=${'a'.repeat(12 * 1024)}x`, 'valid'],
				['empty', () => '', 'invalid'],
				['only whitespace', () => ' \t ', 'invalid'],
				// right ones in unusual but valid spellings
				['whitespace around the header value (not part of it)', (b) => `  ${kit.sign(b)} \t`, 'valid'],
				['a wrong v1 before the right one', (b) => `t=${t},v1=${rng.bytes(32).toString('hex')},v1=${v1(b)}`, 'valid'],
				['a second, earlier t before the right one', (b) => `t=1,t=${t},v1=${v1(b)}`, 'valid'],
				// the Stripe SDK only refuses signatures that are too old; one dated in the future needs the secret too
				['t 10 min in the future', (b) => kit.sign(b, { timestamp: t + 600 }), 'valid'],
				['t 1 year in the future', (b) => kit.sign(b, { timestamp: t + 31_536_000 }), 'valid'],
				['header over 16 KiB (Node: 431)', (b) => `${kit.sign(b)},v1=${'b'.repeat(TOO_LARGE_HEADER)}`, 431],
			];
		})()
		: (() => {
			const hex = (/** @type {Buffer} */ body) => kit.sign(body).slice(7);
			return [
				['sha1= with an HMAC-SHA1', (b) => `sha1=${crypto.createHmac('sha1', secrets.appSecret).update(b).digest('hex')}`, 'invalid'],
				['sha1= with the HMAC-SHA256', (b) => `sha1=${hex(b)}`, 'invalid'],
				['no sha256= prefix', (b) => hex(b), 'invalid'],
				['sha256: instead of sha256=', (b) => `sha256:${hex(b)}`, 'invalid'],
				['sha-256=', (b) => `sha-256=${hex(b)}`, 'invalid'],
				['63 hex digits', (b) => `sha256=${hex(b).slice(1)}`, 'invalid'],
				['65 hex digits', (b) => `sha256=${hex(b)}0`, 'invalid'],
				['128 hex digits', (b) => `sha256=${hex(b)}${hex(b)}`, 'invalid'],
				['a non-hex digit', (b) => `sha256=${hex(b).slice(0, 63)}g`, 'invalid'],
				['empty', () => '', 'invalid'],
				['sha256= and nothing', () => 'sha256=', 'invalid'],
				['only whitespace', () => ' \t ', 'invalid'],
				['space after =', (b) => `sha256= ${hex(b)}`, 'invalid'],
				['text after the digest', (b) => `${kit.sign(b)} extra`, 'invalid'],
				['two digests in one value', (b) => `${kit.sign(b)},${kit.sign(b)}`, 'invalid'],
				['trailing semicolon', (b) => `${kit.sign(b)};`, 'invalid'],
				['wrong secret', (b) => `sha256=${crypto.createHmac('sha256', `${secrets.appSecret}x`).update(b).digest('hex')}`, 'invalid'],
				['empty secret', (b) => `sha256=${crypto.createHmac('sha256', '').update(b).digest('hex')}`, 'invalid'],
				['upper-cased secret', (b) => `sha256=${crypto.createHmac('sha256', secrets.appSecret.toUpperCase()).update(b).digest('hex')}`, 'invalid'],
				['HMAC of the body plus a newline', (b) => `sha256=${crypto.createHmac('sha256', secrets.appSecret).update(Buffer.concat([b, Buffer.from('\n')])).digest('hex')}`, 'invalid'],
				['SHA-256 of the body', (b) => `sha256=${crypto.createHash('sha256').update(b).digest('hex')}`, 'invalid'],
				['base64 digest', (b) => `sha256=${crypto.createHmac('sha256', secrets.appSecret).update(b).digest('base64')}`, 'invalid'],
				['latin-1 byte', (b) => `sha256=${hex(b).slice(0, 63)}\u00e9`, 'invalid'],
				['12 KiB value', (b) => `${kit.sign(b)}${'0'.repeat(12 * 1024)}`, 'invalid'],
				// right ones in spellings the trigger accepts: hex and the algorithm name are case-insensitive
				['upper-case hex', (b) => `sha256=${hex(b).toUpperCase()}`, 'valid'],
				['SHA256= upper-case prefix', (b) => `SHA256=${hex(b)}`, 'valid'],
				['whitespace around the header value (not part of it)', (b) => `  ${kit.sign(b)} \t`, 'valid'],
				['header over 16 KiB (Node: 431)', (b) => `${kit.sign(b)}${' '.repeat(TOO_LARGE_HEADER)}x`, 431],
			];
		})();
	for (let i = quota('malformed-signature'); i > 0; i--) {
		// every variant at least once, then at random
		const [what, make, outcome] = i <= malformed.length ? malformed[i - 1] : rng.pick(malformed);
		const { body, type } = ignored();
		add({
			kind: 'malformed-signature', variant: what, body, contentType: JSON_TYPE, headers: sig(make(body)), ignoredType: type,
			...(typeof outcome === 'number' ? { expect: [outcome] } : { signature: outcome }),
		});
	}

	// 7. deeply nested JSON
	const deepVariants = [
		(/** @type {number} */ n) => ({ what: `${n} levels of [`, text: `${'['.repeat(n)}${']'.repeat(n)}`, closed: true }),
		(/** @type {number} */ n) => ({ what: `${n} levels of {"a":`, text: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`, closed: true }),
		(/** @type {number} */ n) => ({ what: `${n} unclosed [`, text: '['.repeat(n), closed: false }),
		(/** @type {number} */ n) => ({ what: `${n} levels of [ inside an ignored payload`, text: 'wrap', closed: true, depth: n }),
	];
	for (let i = quota('deep-json'); i > 0; i--) {
		const depth = i === 1 ? 500_000 : rng.pick([10_000, 100_000]);
		const variant = deepVariants[i % deepVariants.length](depth);
		let body = Buffer.from(variant.text);
		let type;
		if (variant.text === 'wrap') {
			const payload = ignored();
			type = payload.type;
			body = withField(payload.body, 'zz_deep', Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`));
		}
		const contentType = rng.next() < 0.75 ? JSON_TYPE : 'text/plain';
		const s = signing(body, rng.next() < 0.7 ? 'valid' : 'invalid');
		add({ kind: 'deep-json', variant: `${variant.what}, ${contentType}, ${s.mode} signature`, body, contentType, headers: s.headers, signature: s.signature, ignoredType: type });
	}

	// 8. huge bodies: about 1 MiB, and (at most 3) just over n8n's 16 MiB limit
	const MiB = 1024 * 1024;
	/** @type {Array<() => { what: string, body: Buffer, type?: string, sign: string }>} */
	const hugeVariants = [
		() => {
			const payload = ignored();
			return { what: '1 MiB string in an ignored payload', body: withField(payload.body, 'zz_big', Buffer.from(`"${'x'.repeat(MiB)}"`)), type: payload.type, sign: 'valid' };
		},
		() => ({ what: '1 MiB array of 100k items', body: Buffer.from(JSON.stringify({ object: 'page', entry: Array.from({ length: 100_000 }, (_, n) => n % 3 === 0 ? null : n) })), sign: 'valid' }),
		() => ({ what: '1 MiB of random bytes', body: rng.bytes(MiB), sign: rng.pick(['none', 'valid']) }),
		() => ({ what: '1 MiB of whitespace around {}', body: Buffer.from(`${' '.repeat(MiB / 2)}{}${'\n'.repeat(MiB / 2)}`), sign: 'valid' }),
		() => ({ what: '1 MiB of unclosed [', body: Buffer.from('['.repeat(MiB)), sign: 'valid' }),
		() => {
			const payload = ignored();
			return { what: '1 MiB ignored payload, forged signature', body: Buffer.concat([payload.body, Buffer.from(' '.repeat(MiB))]), sign: 'invalid' };
		},
		() => ({ what: '1 MiB of text, not JSON', body: Buffer.from('hello world '.repeat(MiB / 12)), sign: 'valid' }),
		() => ({ what: '1 MiB of "a":1 pairs', body: Buffer.from(`{${Array.from({ length: 120_000 }, (_, n) => `"k${n}":1`).join(',')}}`), sign: 'valid' }),
	];
	const overLimit = Buffer.alloc(PAYLOAD_SIZE_MAX + 64 * 1024, 0x20);
	overLimit.write('{"object":"page","zz":"', 0);
	overLimit.write('"}', overLimit.length - 2);
	const hugeCount = quota('huge');
	const overCount = Math.min(3, Math.max(1, Math.round(hugeCount * 3 / 11)));
	for (let i = 0; i < hugeCount; i++) {
		if (i < overCount) {
			// n8n reads at most N8N_PAYLOAD_SIZE_MAX (16 MiB) and refuses the rest: "Payload Too Large"
			const [contentType, mode] = /** @type {Array<[string | undefined, 'valid' | 'invalid' | 'none']>} */ ([[JSON_TYPE, 'valid'], ['application/octet-stream', 'none'], ['text/plain', 'invalid']])[i];
			const s = signing(overLimit, mode);
			add({ kind: 'huge', variant: `${overLimit.length} bytes (16 MiB + 64 KiB), ${contentType}, ${mode} signature`, body: overLimit, contentType, headers: s.headers, expect: [413], n8nDefect: N8N_DEFECTS.oversize });
			continue;
		}
		const v = hugeVariants[(i - overCount) % hugeVariants.length]();
		const contentType = rng.next() < 0.8 ? JSON_TYPE : 'text/plain';
		const s = signing(v.body, /** @type {'valid' | 'invalid' | 'none'} */ (v.sign));
		add({ kind: 'huge', variant: `${v.what}, ${contentType}, ${s.mode} signature`, body: v.body, contentType, headers: s.headers, signature: s.signature, ignoredType: v.type });
	}

	// 9. JSON of wrong shapes, signed right
	for (let i = quota('wrong-shape'); i > 0; i--) {
		if (stripe && rng.next() < 0.55) {
			const shape = rng.pick(STRIPE_NOT_EVENTS);
			const body = Buffer.from(JSON.stringify(shape(rng, t)) ?? 'null');
			add({ kind: 'wrong-shape', variant: `not a Stripe event: ${body.toString('utf8').slice(0, 60)}`, body, contentType: JSON_TYPE, headers: sig(kit.sign(body)), signature: 'valid' });
			continue;
		}
		const { body, type } = ignored();
		add({
			kind: 'wrong-shape',
			variant: stripe ? `unselected event type ${JSON.stringify(type)}` : `${body.toString('utf8').slice(0, 70)}`,
			body, contentType: JSON_TYPE, headers: sig(kit.sign(body)), signature: 'valid', ignoredType: type,
		});
	}

	// 10. wrong HTTP methods (n8n: 404, "not registered for <method> requests"); Meta's GET handshake with a wrong query: 403
	const handshakeQueries = [
		'', '?hub.mode=subscribe', '?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1',
		'?hub.mode=unsubscribe&hub.verify_token=sandbox-verify-token&hub.challenge=1', '?hub.verify_token=sandbox-verify-token&hub.challenge=1',
		'?hub.mode=subscribe&hub.verify_token=sandbox-verify-token', '?hub.mode=subscribe&hub.verify_token=sandbox-verify-token&hub.challenge=1&hub.challenge=2',
		'?hub.mode=subscribe&hub.verify_token=sandbox-verify-token&hub.verify_token=x&hub.challenge=1', '?hub.mode=subscribe&hub.verify_token=SANDBOX-VERIFY-TOKEN&hub.challenge=1',
		'?hub.mode=subscribe&hub.verify_token=sandbox-verify-token%00&hub.challenge=1', '?hub.mode=subscribe&hub.verify_token=&hub.challenge=1',
		'?hub[mode]=subscribe&hub[verify_token]=sandbox-verify-token&hub[challenge]=1', `?hub.mode=subscribe&hub.verify_token=${'x'.repeat(4000)}&hub.challenge=1`,
		'?hub.mode=subscribe&hub.verify_token=%E9%FF&hub.challenge=%F0%9F',
	];
	for (let i = quota('wrong-method'); i > 0; i--) {
		const method = rng.pick(stripe ? ['PUT', 'PATCH', 'DELETE', 'HEAD', 'GET'] : ['PUT', 'PATCH', 'DELETE', 'HEAD', 'GET', 'GET']);
		if (method === 'GET' && !stripe) {
			const query = i <= handshakeQueries.length ? handshakeQueries[i - 1] : rng.pick(handshakeQueries);
			add({ kind: 'wrong-method', variant: `GET handshake ${query.slice(0, 120) || '(no query)'}`, method, query, expect: [403] });
			continue;
		}
		const withBody = method !== 'HEAD' && method !== 'GET' && rng.next() < 0.7;
		const { body } = ignored();
		add({
			kind: 'wrong-method', variant: `${method}${withBody ? ' with a signed ignored payload' : ''}`, method,
			...(withBody ? { body, contentType: JSON_TYPE, headers: sig(kit.sign(body)) } : {}), expect: [404],
		});
	}

	// 11. content encodings: n8n inflates gzip and deflate (before the node sees the raw body) and reads others as they are
	const encodings = [
		() => ({ what: 'gzip header on a plain body', encoding: 'gzip', ...ignored(), compress: false, expect: [400, 415] }),
		() => ({ what: 'deflate header on a plain body', encoding: 'deflate', ...ignored(), compress: false, expect: [400, 415] }),
		() => {
			const payload = ignored();
			return { what: 'gzip stream cut in half', encoding: 'gzip', body: payload.body, cut: true, compress: true, expect: [400, 415] };
		},
		// 40 KiB of gzip that inflates to 40 MiB: over the payload limit
		() => ({ what: 'gzip bomb (40 MiB inflated)', encoding: 'gzip', body: Buffer.alloc(40 * MiB, 0x20), compress: true, expect: [413] }),
		() => ({ what: 'gzip, signed over the inflated bytes', encoding: 'gzip', ...ignored(), compress: true, signInflated: true }),
		() => ({ what: 'gzip, signed over the compressed bytes', encoding: 'gzip', ...ignored(), compress: true, signInflated: false }),
		() => ({ what: 'br (not inflated by n8n) on a plain body', encoding: 'br', ...ignored(), compress: false, signInflated: true }),
		() => ({ what: 'GZIP upper case (not inflated by n8n) on a plain body', encoding: 'GZIP', ...ignored(), compress: false, signInflated: true }),
		() => ({ what: 'identity', encoding: 'identity', ...ignored(), compress: false, signInflated: true }),
		// a content type n8n's version-2 path leaves unread: the node reads (and inflates) the body itself
		() => {
			const payload = ignored();
			return { what: 'gzip stream cut in half, application/octet-stream', encoding: 'gzip', body: payload.body, cut: true, compress: true, contentType: 'application/octet-stream', expect: [400, 415] };
		},
		() => ({ what: 'gzip bomb (40 MiB inflated), application/octet-stream', encoding: 'gzip', body: Buffer.alloc(40 * MiB, 0x20), compress: true, contentType: 'application/octet-stream', expect: [413] }),
		() => ({ what: 'gzip, application/octet-stream, signed over the inflated bytes', encoding: 'gzip', ...ignored(), compress: true, contentType: 'application/octet-stream', signInflated: true }),
	];
	for (let i = quota('content-encoding'); i > 0; i--) {
		const e = /** @type {{ what: string, encoding: string, body: Buffer, type?: string, compress: boolean, cut?: boolean, signInflated?: boolean, expect?: number[], contentType?: string }} */ (
			i <= encodings.length ? encodings[i - 1]() : rng.pick(encodings)()
		);
		let wire = e.compress ? zlib.gzipSync(e.body) : e.body;
		if (e.cut) wire = wire.subarray(0, Math.floor(wire.length / 2));
		const signed = e.signInflated === false ? wire : e.body;
		add({
			kind: 'content-encoding', variant: e.what, body: wire, contentType: e.contentType ?? JSON_TYPE,
			...(e.expect ? { n8nDefect: e.expect.includes(413) ? N8N_DEFECTS.inflatedOversize : N8N_DEFECTS.encoding } : {}),
			headers: [['content-encoding', e.encoding], ...sig(kit.sign(signed))],
			signature: e.signInflated === true ? 'valid' : 'invalid', ignoredType: e.type,
			...(e.compress && e.encoding === 'gzip' && !e.cut ? { inflated: e.body } : {}),
			...(e.expect ? { expect: e.expect } : {}),
		});
	}

	// one order for all, so categories interleave on the wire
	for (let i = cases.length - 1; i > 0; i--) {
		const j = Math.floor(rng.next() * (i + 1));
		[cases[i], cases[j]] = [cases[j], cases[i]];
	}
	return cases.map((c, index) => ({ id: `${endpoint}#${index}`, ...c }));
}

/**
 * The JSON object `body` with one more member (`raw` is its JSON value as bytes). A body that is not an
 * object is wrapped in one (`zz_wrapped`): for a Meta trigger that is still no message payload.
 * @param {Buffer} body
 * @param {string} name
 * @param {Buffer} raw
 */
function withField(body, name, raw) {
	const text = body.toString('utf8');
	const isObject = text.startsWith('{') && text.endsWith('}') && parsesAsJson(text);
	const head = isObject ? (text === '{}' ? '{' : `${text.slice(0, -1)},`) : `{"zz_wrapped":${text},`;
	return Buffer.concat([Buffer.from(`${head}"${name}":`), raw, Buffer.from('}')]);
}

// ---------- sending ----------

/**
 * @typedef {object} Outcome
 * @property {number} [status]   undefined: no answer (see error)
 * @property {string} body       the first 2000 characters of the answer
 * @property {string} [error]    'timeout …' when n8n did not answer in time, else the network error (reset, refused)
 * @property {number} ms
 */

/**
 * Sends one case on a connection of its own with node:http: the headers exactly as built (a repeated name goes
 * out as separate lines), Host and Content-Length added. Never rejects.
 * @param {string} url   the webhook URL
 * @param {BadRequest} request
 * @param {{ timeoutMs: number }} o
 * @returns {Promise<Outcome>}
 */
function sendRequest(url, request, o) {
	const started = Date.now();
	const target = new URL(url + request.query);
	return new Promise((resolve) => {
		let done = false;
		/** @type {number | undefined} */
		let status;
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		const answer = () => Buffer.concat(chunks).toString('utf8').slice(0, 2000);
		const finish = (/** @type {{ status?: number, error?: string }} */ r) => {
			if (done) return;
			done = true;
			resolve({ ...r, body: answer(), ms: Date.now() - started });
		};
		const describe = (/** @type {any} */ error) =>
			error?.name === 'AbortError' || error?.name === 'TimeoutError' ? `timeout: no answer within ${o.timeoutMs} ms` : `${error?.code ?? error?.name}: ${error?.message}`;
		/** @type {string[]} */
		const headers = ['host', target.host];
		for (const [name, value] of request.headers) headers.push(name, value);
		if (request.body !== undefined) headers.push('content-length', String(request.body.length));
		/** @type {http.ClientRequest} */
		let req;
		try {
			req = http.request(target, { method: request.method, headers, agent: false, signal: AbortSignal.timeout(o.timeoutMs) }, (res) => {
				status = res.statusCode;
				res.on('data', (/** @type {Buffer} */ chunk) => {
					if (size < 4096) chunks.push(chunk);
					size += chunk.length;
				});
				res.on('end', () => finish({ status }));
				res.on('error', () => finish({ status }));
				res.on('close', () => finish({ status }));
			});
		} catch (error) {
			finish({ error: `not sent: ${describe(error)}` });
			return;
		}
		// An answer came before the whole body was written (n8n refuses by Content-Length): a write error after it is no failure.
		req.on('error', (error) => (status === undefined ? finish({ error: describe(error) }) : finish({ status })));
		req.end(request.body);
	});
}

/**
 * Sends all cases, at most `concurrency` at a time, in their order; starts none after `deadline` (ms since the
 * epoch): those come back with error 'not sent: over the time budget'.
 * @param {string} url
 * @param {BadRequest[]} cases
 * @param {{ concurrency: number, timeoutMs: number, deadline?: number }} o
 * @returns {Promise<Array<{ request: BadRequest, outcome: Outcome }>>}
 */
async function sendAll(url, cases, o) {
	/** @type {Array<{ request: BadRequest, outcome: Outcome }>} */
	const results = new Array(cases.length);
	let next = 0;
	const worker = async () => {
		while (next < cases.length) {
			const index = next++;
			const request = cases[index];
			const outcome = o.deadline !== undefined && Date.now() > o.deadline
				? { error: 'not sent: over the time budget', body: '', ms: 0 }
				: await sendRequest(url, request, { timeoutMs: o.timeoutMs });
			results[index] = { request, outcome };
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
	return results;
}

/**
 * What is wrong with an outcome, or undefined: a network error or no answer, a 5xx, a status the case may not
 * get, or a 200 with another body than documented.
 * @param {BadRequest} request
 * @param {Outcome} outcome
 */
function verdict(request, outcome) {
	if (request.n8nDefect && n8nDefectExplains(request.n8nDefect, outcome)) return undefined;
	if (outcome.status === undefined) return `no answer (${outcome.error})`;
	if (outcome.status >= 500) return `server error ${outcome.status}, expected ${request.expect.join('|')}`;
	if (!request.expect.includes(outcome.status)) return `status ${outcome.status}, expected ${request.expect.join('|')}`;
	if (outcome.status === 200 && request.answer !== undefined) {
		let body;
		try {
			body = JSON.parse(outcome.body);
		} catch {
			return `200 with a body that is not JSON: ${outcome.body.slice(0, 120)}`;
		}
		if (JSON.stringify(body) !== JSON.stringify(request.answer)) return `200 with ${outcome.body.slice(0, 160)}, expected ${JSON.stringify(request.answer).slice(0, 160)}`;
	}
	return undefined;
}

/**
 * Whether `outcome` is what n8n's own defect (not our node) makes of such a request.
 * @param {N8nDefect} defect
 * @param {{ status?: number }} outcome
 */
function n8nDefectExplains(defect, outcome) {
	return outcome.status === undefined ? defect.noAnswer === true : defect.statuses.includes(outcome.status);
}

module.exports = { badRequests, sendRequest, sendAll, verdict, n8nDefectExplains, n8nBodyGate, n8nReadsBody, DEFAULT_COUNT, SELECTABLE_STRIPE_TYPES, N8N_DEFECTS };
