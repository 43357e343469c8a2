// @ts-check
'use strict';
/**
 * Stripe API stand-in for the sandbox, reachable by the real stripe SDK:
 *
 *   const sim = await startStripeSim({ secretKeys: ['sk_test_sandbox'], webhookSecret: 'whsec_sandbox',
 *     prices: [{ id: 'price_room', lookup_key: 'deluxe-room', unit_amount: 18000, currency: 'eur', product_name: 'Deluxe room' }] });
 *   const stripe = new Stripe('sk_test_sandbox', sim.clientOptions); // { host: '127.0.0.1', port, protocol: 'http' }
 *   sim.setWebhookUrl('http://127.0.0.1:5678/webhook/…');
 *   const session = await stripe.checkout.sessions.create({ … });
 *   await sim.pay(session.id);   // signed checkout.session.completed POSTed to the webhook URL
 *   await sim.stop();
 *
 * Checkout Sessions (create/retrieve/list/expire/line_items), Prices (list by lookup_keys, retrieve, expand),
 * Products, Balance, Account, Events, Subscriptions, Invoices, PaymentIntents (retrieve), idempotency, and the
 * after-sale part in stripe-sim-aftersale.js (Billing Portal sessions with a portal page, refunds),
 * error injection, a hosted test page at /pay/:id, and signed webhook events exactly as Stripe sends them
 * (pretty-printed JSON body, `Stripe-Signature: t=…,v1=…`). No card data anywhere. Listens on 127.0.0.1 only;
 * webhooks go only to loopback URLs.
 */
const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const {
	listenLoopback,
	readBody,
	sendJson,
	sendHtml,
	randomId,
	plainHeaders,
	assertLoopbackUrl,
	isLoopbackUrl,
	escapeHtml,
} = require('../http');
const { createAfterSale } = require('./afterSale');

/** API version of stripe-node 23.1.0 (its `apiVersion.js`). */
const STRIPE_API_VERSION = '2026-10-28.endive';
const ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];
const THREE_DECIMAL = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];

/**
 * @typedef {object} PriceSpec
 * @property {string} id
 * @property {string} [lookup_key]
 * @property {number} unit_amount            Minor units (integer).
 * @property {string} currency
 * @property {string} product_name
 * @property {string} [product_id]           Default: a generated `prod_…`.
 * @property {{ interval: 'day' | 'week' | 'month' | 'year', interval_count?: number }} [recurring]
 * @property {boolean} [active]              Default true.
 * @property {Record<string, string>} [metadata]
 * @property {string} [nickname]             The price's own name (Stripe shows it in subscription events' prices).
 */

/**
 * @typedef {object} DeliveryOptions  How an action's events reach the webhook URL.
 * @property {'sequential' | 'reverse' | 'concurrent'} [order]  Default sequential (in the order Stripe would create them).
 * @property {number} [duplicates]           Deliver every event this many extra times (default 0).
 * @property {boolean} [deliver]             false: record the events without sending them (send later with redeliver).
 */

/**
 * @typedef {object} StripeSimOptions
 * @property {string[]} secretKeys           API keys accepted (sk_test_… / rk_test_…).
 * @property {string} webhookSecret          Endpoint secret `whsec_…` used to sign events.
 * @property {string} [webhookUrl]           Loopback URL events are POSTed to (also settable later).
 * @property {PriceSpec[]} [prices]
 * @property {number} [port]                 0 (default): a free port.
 * @property {() => number} [now]            Clock in ms (default Date.now); sessions, events and periods use it.
 * @property {DeliveryOptions} [delivery]    Default delivery options for actions.
 * @property {number} [webhookTimeoutMs]     Per delivery (default 10000).
 * @property {number[]} [retryDelaysMs]      Automatic retries of a failed delivery (non-2xx, no answer), like
 *   Stripe's own (which spans days): retry n waits retryDelaysMs[n]; none once a delivery got a 2xx.
 *   Default [] (no automatic retries).
 * @property {string} [accountName]          Shown on the hosted page and /v1/account (default "Sandbox Shop").
 * @property {boolean} [portalConfigured]    The Customer Portal's default configuration is saved (default true);
 *   false: portal sessions without a configuration get Stripe's "no default configuration" 400.
 * @property {PriceSpec[]} [portalPlans]     Recurring prices the portal page offers to switch to (see setPortalPlans).
 */

/**
 * @typedef {object} StripeErrorBody
 * @property {string} type                   api_error | card_error | idempotency_error | invalid_request_error
 * @property {string} [code]
 * @property {string} [param]
 * @property {string} [message]
 * @property {string} [decline_code]
 */

/**
 * @typedef {object} StripeFailSpec  One injected API answer.
 * @property {number} status
 * @property {StripeErrorBody} [error]       Default: a Stripe error matching the status.
 * @property {unknown} [body]                Raw answer instead of `{error}` (object → JSON, string → as is).
 * @property {Record<string, string>} [headers]  e.g. { 'Stripe-Should-Retry': 'true' }.
 * @property {number} [delayMs]
 * @property {string | RegExp} [path]        Only requests whose path matches (string: exact or prefix ending in '/').
 * @property {string} [method]               Only requests with this method.
 */

/**
 * @typedef {object} RequestRecord
 * @property {string} at
 * @property {string} method
 * @property {string} path
 * @property {string} query                  Raw query string (without '?').
 * @property {string} form                   Raw form body for POST/DELETE, raw query string for GET.
 * @property {Record<string, any>} params    Parsed params (brackets nested, indexes → arrays).
 * @property {string | null} idempotencyKey
 * @property {Record<string, string>} headers Lower-cased.
 * @property {string} requestId
 * @property {number} status
 * @property {boolean} replayed              Answered from the idempotency store.
 * @property {boolean} injected              Answered by failNext.
 */

/**
 * @typedef {object} DeliveryRecord
 * @property {string} at
 * @property {number | null} status          HTTP status of the webhook endpoint (null: not delivered).
 * @property {string | null} error
 * @property {string} responseBody           First 2000 characters.
 * @property {number} durationMs
 * @property {string} signature              The Stripe-Signature header sent.
 */

/**
 * @typedef {object} EventRecord
 * @property {string} id
 * @property {string} type
 * @property {Record<string, any>} event     The Event object.
 * @property {string} payload                The exact body bytes sent (pretty-printed JSON, like Stripe).
 * @property {number | null} status          Last delivery's HTTP status (null: never delivered).
 * @property {DeliveryRecord[]} deliveries
 * @property {boolean} delivered             Some delivery got a 2xx (Stripe stops retrying then).
 * @property {number} autoRetries            Automatic retries made so far.
 * @property {ReturnType<typeof setTimeout> | null} retryTimer  The next automatic retry, if one is due.
 */

/**
 * @typedef {object} ActionResult
 * @property {Record<string, any> | null} session  Public session object after the action.
 * @property {EventRecord[]} events          Events the action created (delivered unless deliver:false).
 */

/**
 * @typedef {object} StoredSession  Public Checkout Session fields plus what was requested.
 * @property {string} id
 * @property {string} status
 * @property {string} payment_status
 * @property {string} mode
 * @property {string | null} url
 * @property {Array<Record<string, any>>} line_items        As requested (parsed form).
 * @property {Record<string, any> | null} payment_intent_data  As requested.
 * @property {Record<string, any> | null} subscription_data    As requested.
 */

/**
 * @typedef {object} StripeErrorPresets  Each returns a StripeFailSpec.
 * @property {() => StripeFailSpec} rateLimit           429 rate_limit.
 * @property {(status?: number) => StripeFailSpec} apiError  500 api_error (Stripe-Should-Retry: true).
 * @property {() => StripeFailSpec} lockTimeout         409 lock_timeout.
 * @property {() => StripeFailSpec} authentication      401 invalid key.
 * @property {(e?: { param?: string, message?: string, code?: string }) => StripeFailSpec} invalidRequest  400.
 * @property {() => StripeFailSpec} idempotency         400 idempotency_error.
 */

/**
 * @typedef {object} StripeSim
 * @property {string} url                    `http://127.0.0.1:<port>`
 * @property {number} port
 * @property {{ host: string, port: number, protocol: 'http' }} clientOptions  For `new Stripe(key, clientOptions)`.
 * @property {() => Promise<void>} stop
 * @property {RequestRecord[]} requests      Every API request (not the hosted pages).
 * @property {EventRecord[]} events          Every event created, in order.
 * @property {Map<string, StoredSession & Record<string, any>>} sessions
 * @property {Map<string, Record<string, any>>} subscriptions
 * @property {Map<string, Record<string, any>>} invoices
 * @property {(id: string) => Record<string, any> | null} getSession   Public view (as the API answers it).
 * @property {(url: string | null) => void} setWebhookUrl      Loopback only.
 * @property {(secret: string | string[]) => void} setWebhookSecret  Several → several v1 signatures (secret roll).
 * @property {(options: DeliveryOptions) => void} setDelivery  Default delivery options for later actions.
 * @property {(spec: PriceSpec) => Record<string, any>} addPrice
 * @property {(spec: StripeFailSpec, count?: number) => void} failNext  Queue an error answer for the next API request(s).
 * @property {() => void} clearFailures  Drops queued failures nobody consumed.
 * @property {StripeErrorPresets} errors
 * @property {(sessionId: string, options?: DeliveryOptions & { email?: string, name?: string }) => Promise<ActionResult>} pay
 * @property {(sessionId: string, options?: DeliveryOptions) => Promise<ActionResult>} expire
 * @property {(sessionId: string, options?: DeliveryOptions & { email?: string }) => Promise<ActionResult>} failAsync
 * @property {(sessionId: string, options?: DeliveryOptions & { email?: string }) => Promise<ActionResult>} payAsyncPending
 * @property {(sessionId: string, options?: DeliveryOptions) => Promise<ActionResult>} asyncSucceed
 * @property {(subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>} failInvoice
 * @property {(subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>} renewSubscription  invoice.paid for the next period.
 * @property {(subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>} cancelSubscription
 * @property {(type: string, object: Record<string, any>, options?: DeliveryOptions) => Promise<EventRecord>} emit  Any event.
 * @property {(eventId: string) => Promise<DeliveryRecord>} redeliver  Same body, fresh signature.
 * @property {(delaysMs: number[]) => void} setRetryDelays  Automatic retry schedule for later failures (see StripeSimOptions).
 * @property {(eventId: string, options?: { timeoutMs?: number }) => Promise<EventRecord>} waitForDelivered
 *   Resolves once a delivery of the event got a 2xx; rejects after timeoutMs (default 60000) with its deliveries.
 * @property {(event: Record<string, any> | string, options?: { timestamp?: number, secret?: string | string[] }) => { body: string, headers: Record<string, string> }} signedRequest
 * @property {(key?: string) => any} stripeClient  `new Stripe(key ?? secretKeys[0], clientOptions)` (lazy require of the stripe package).
 * @property {() => void} reset              Clears requests, events, sessions, subscriptions, invoices, idempotency store and queued failures (keeps prices).
 * @property {(url: string | null) => void} setChatPageUrl  Loopback URL of the sandbox's chat page: the success and cancel
 *   pages (/thanks, /cancelled) and the session list (/) link back to the customer's chat there.
 * @property {(sessionId: string, options?: DeliveryOptions & { amount?: number, reason?: string }) => Promise<import('./afterSale').RefundResult>} refund
 *   Refunds a paid one-off session in full, or `amount` minor units of it: charge.refunded (with previous_attributes).
 * @property {(subscriptionId: string, options?: DeliveryOptions & { atPeriodEnd?: boolean }) => Promise<ActionResult>} portalCancel
 *   The subscriber cancels in the portal: at the period end (default; customer.subscription.updated) or at once (deleted).
 * @property {(subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>} portalKeepSubscription
 *   Withdraws a cancellation scheduled for the period end (customer.subscription.updated).
 * @property {(subscriptionId: string, priceId: string, options?: DeliveryOptions) => Promise<ActionResult>} portalChangePlan
 *   Switches the subscription's item to another recurring price (customer.subscription.updated).
 * @property {(customerId: string, options?: DeliveryOptions) => Promise<ActionResult>} portalUpdateCard
 *   A new card: payment_method.attached, then customer.updated (no card details in either).
 * @property {(configured: boolean) => void} setPortalConfigured  See StripeSimOptions.portalConfigured.
 * @property {(specs: PriceSpec[]) => Record<string, any>[]} setPortalPlans  Adds these recurring prices and offers them on the portal page.
 * @property {Map<string, Record<string, any>>} portalSessions  billing_portal.session objects by id.
 * @property {Map<string, Record<string, any>>} charges  Charges of refunded or refundable payments, by id.
 * @property {Map<string, Record<string, any>>} refunds
 */

class StripeApiError extends Error {
	/**
	 * @param {number} status
	 * @param {StripeErrorBody & Record<string, any>} error
	 */
	constructor(status, error) {
		super(error.message ?? error.type);
		this.status = status;
		this.error = error;
	}
}

/**
 * @param {string} param
 * @param {string} message
 * @param {string} [code]
 * @param {number} [status]
 */
function invalid(param, message, code, status = 400) {
	/** @type {StripeErrorBody & Record<string, any>} */
	const error = { type: 'invalid_request_error', message };
	if (code) error.code = code;
	if (param) error.param = param;
	return new StripeApiError(status, error);
}

/** @param {string} param */
const missingParam = (param) => invalid(param, `Missing required param: ${param}.`, 'parameter_missing');

// ---------------------------------------------------------------------------------------------
// Form parsing (Stripe's bracket syntax, as stripe-node and qs produce it)

/** @param {string} s */
function formDecode(s) {
	const plus = s.replace(/\+/g, ' ');
	try {
		return decodeURIComponent(plus);
	} catch {
		return plus;
	}
}

/**
 * `a[b][0][c]` → ['a','b','0','c']; `a[]` → ['a',''].
 * @param {string} key
 */
function splitKey(key) {
	const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	if (!m) return [key];
	const segs = [m[1]];
	const re = /\[([^[\]]*)\]/g;
	let mm;
	while ((mm = re.exec(m[2])) !== null) segs.push(mm[1]);
	return segs;
}

/**
 * @param {unknown} value
 * @returns {unknown}
 */
function normalizeArrays(value) {
	if (!value || typeof value !== 'object') return value;
	const obj = /** @type {Record<string, unknown>} */ (value);
	const keys = Object.keys(obj);
	for (const k of keys) obj[k] = normalizeArrays(obj[k]);
	if (keys.length > 0 && keys.every((k) => /^(0|[1-9]\d*)$/.test(k))) {
		return keys
			.map((k) => Number(k))
			.sort((a, b) => a - b)
			.map((i) => obj[String(i)]);
	}
	return obj;
}

/**
 * Parses Stripe form / query params: nested brackets, `[]` and `[0]` arrays, repeated keys (last wins).
 * @param {string} raw
 * @returns {Record<string, any>}
 */
function parseStripeForm(raw) {
	/** @type {Record<string, any>} */
	const root = {};
	if (!raw) return root;
	for (const part of raw.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const key = formDecode(eq === -1 ? part : part.slice(0, eq));
		const value = formDecode(eq === -1 ? '' : part.slice(eq + 1));
		const segs = splitKey(key);
		/** @type {Record<string, any>} */
		let node = root;
		for (let i = 0; i < segs.length; i++) {
			let seg = segs[i];
			if (seg === '' && i > 0) seg = String(Object.keys(node).filter((k) => /^\d+$/.test(k)).length);
			if (i === segs.length - 1) {
				node[seg] = value;
			} else {
				if (!node[seg] || typeof node[seg] !== 'object') node[seg] = {};
				node = node[seg];
			}
		}
	}
	return /** @type {Record<string, any>} */ (normalizeArrays(root));
}

/**
 * JSON with sorted object keys, to compare params regardless of order.
 * @param {unknown} value
 * @returns {string}
 */
function canonical(value) {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const obj = /** @type {Record<string, unknown>} */ (value);
		return `{${Object.keys(obj)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * @param {unknown} v
 * @param {string} param
 * @param {{ min?: number }} [opts]
 * @returns {number}
 */
function parseInteger(v, param, opts = {}) {
	const s = String(v ?? '').trim();
	if (!/^-?\d+$/.test(s)) throw invalid(param, `Invalid integer: ${s}`, 'parameter_invalid_integer');
	const n = Number(s);
	if (opts.min !== undefined && n < opts.min) {
		throw invalid(param, `This value must be greater than or equal to ${opts.min}.`, 'parameter_invalid_integer');
	}
	return n;
}

/**
 * @param {unknown} v
 * @param {string} param
 * @returns {boolean}
 */
function parseBool(v, param) {
	if (v === true || v === 'true') return true;
	if (v === false || v === 'false') return false;
	throw invalid(param, `Invalid boolean: ${String(v)}`, 'parameter_invalid_boolean');
}

/**
 * Validates a metadata hash like Stripe (≤50 keys, key ≤40 chars, value ≤500 chars).
 * @param {unknown} v
 * @param {string} param
 * @returns {Record<string, string>}
 */
function parseMetadata(v, param) {
	if (v === undefined || v === '') return {};
	if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid(param, 'Invalid object', 'parameter_invalid_string');
	/** @type {Record<string, string>} */
	const out = {};
	const entries = Object.entries(v);
	if (entries.length > 50) throw invalid(param, `Invalid ${param}: metadata can have at most 50 keys, but you passed in ${entries.length}.`);
	for (const [k, val] of entries) {
		if (k.length > 40) throw invalid(`${param}[${k}]`, `Metadata keys can have up to 40 characters, but you passed in a key that is ${k.length} characters.`);
		if (typeof val !== 'string') throw invalid(`${param}[${k}]`, 'Metadata values must be strings.');
		if (val.length > 500) {
			throw invalid(`${param}[${k}]`, `Metadata values can have up to 500 characters, but you passed in a value that is ${val.length} characters.`);
		}
		if (val !== '') out[k] = val;
	}
	return out;
}

/**
 * @param {number} amount
 * @param {string} currency
 */
function formatAmount(amount, currency) {
	const c = currency.toLowerCase();
	const digits = ZERO_DECIMAL.includes(c) ? 0 : THREE_DECIMAL.includes(c) ? 3 : 2;
	return `${(amount / 10 ** digits).toFixed(digits)} ${c.toUpperCase()}`;
}

/**
 * @param {number} startSec
 * @param {{ interval: string, interval_count?: number } | null | undefined} recurring
 * @returns {number}
 */
function addInterval(startSec, recurring) {
	const d = new Date(startSec * 1000);
	const n = recurring?.interval_count ?? 1;
	switch (recurring?.interval) {
		case 'day':
			d.setUTCDate(d.getUTCDate() + n);
			break;
		case 'week':
			d.setUTCDate(d.getUTCDate() + 7 * n);
			break;
		case 'year':
			d.setUTCFullYear(d.getUTCFullYear() + n);
			break;
		case 'month':
		default:
			d.setUTCMonth(d.getUTCMonth() + n);
	}
	return Math.floor(d.getTime() / 1000);
}

/**
 * @param {string} key
 */
function maskKey(key) {
	const m = /^([a-z]{2,3}_(?:test|live)_)/.exec(key);
	const prefix = m ? m[1] : key.slice(0, Math.min(3, key.length));
	const rest = key.slice(prefix.length);
	if (rest.length <= 4) return prefix + '*'.repeat(rest.length);
	return prefix + '*'.repeat(rest.length - 4) + rest.slice(-4);
}

/**
 * @template T
 * @param {T} v
 * @returns {T}
 */
const clone = (v) => JSON.parse(JSON.stringify(v));

/**
 * @param {string} payload
 * @param {string[]} secrets
 * @param {number} timestamp
 */
function signatureHeader(payload, secrets, timestamp) {
	const sigs = secrets.map((secret) => `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`);
	return `t=${timestamp},${sigs.join(',')}`;
}

/** @type {StripeErrorPresets} */
const errors = {
	rateLimit: () => ({
		status: 429,
		error: {
			type: 'invalid_request_error',
			code: 'rate_limit',
			message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
		},
	}),
	apiError: (status = 500) => ({
		status,
		error: { type: 'api_error', message: 'An unknown error occurred' },
		headers: { 'Stripe-Should-Retry': 'true' },
	}),
	lockTimeout: () => ({
		status: 409,
		error: {
			type: 'invalid_request_error',
			code: 'lock_timeout',
			message: 'This object cannot be accessed right now because another API request or Stripe process is currently accessing it.',
		},
	}),
	authentication: () => ({
		status: 401,
		error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****************************xxxx' },
	}),
	invalidRequest: (e = {}) => ({
		status: 400,
		error: { type: 'invalid_request_error', message: e.message ?? 'Invalid request', ...(e.param ? { param: e.param } : {}), ...(e.code ? { code: e.code } : {}) },
	}),
	idempotency: () => ({
		status: 400,
		error: {
			type: 'idempotency_error',
			message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
		},
	}),
};

/**
 * @param {number} status
 * @returns {StripeErrorBody}
 */
function defaultErrorFor(status) {
	if (status === 429) return /** @type {StripeErrorBody} */ (errors.rateLimit().error);
	if (status === 401) return /** @type {StripeErrorBody} */ (errors.authentication().error);
	if (status === 409) return /** @type {StripeErrorBody} */ (errors.lockTimeout().error);
	if (status >= 500) return { type: 'api_error', message: 'An unknown error occurred' };
	return { type: 'invalid_request_error', message: 'Simulated error' };
}

/**
 * Starts the Stripe simulator on 127.0.0.1.
 * @param {StripeSimOptions} options
 * @returns {Promise<StripeSim>}
 */
async function startStripeSim(options) {
	if (!options || !Array.isArray(options.secretKeys) || options.secretKeys.length === 0) {
		throw new Error('startStripeSim: secretKeys (non-empty string[]) is required');
	}
	if (typeof options.webhookSecret !== 'string' || !options.webhookSecret) throw new Error('startStripeSim: webhookSecret is required');
	const secretKeys = new Set(options.secretKeys);
	/** @type {string[]} */
	let webhookSecrets = [options.webhookSecret];
	/** @type {string | null} */
	let webhookUrl = null;
	let stopped = false;
	if (options.webhookUrl) {
		assertLoopbackUrl(options.webhookUrl, 'webhookUrl');
		webhookUrl = options.webhookUrl;
	}
	const nowMs = options.now ?? (() => Date.now());
	const nowSec = () => Math.floor(nowMs() / 1000);
	/** @type {DeliveryOptions} */
	let defaultDelivery = { order: 'sequential', duplicates: 0, deliver: true, ...(options.delivery ?? {}) };
	const webhookTimeoutMs = options.webhookTimeoutMs ?? 10000;
	let retryDelaysMs = (options.retryDelaysMs ?? []).slice();
	/** @type {Set<EventRecord>} */
	const retrying = new Set();
	const accountName = options.accountName ?? 'Sandbox Shop';
	/** @type {string | null} */
	let chatPageUrl = null;
	const accountId = randomId('acct_1SIM', 12);

	/** @type {RequestRecord[]} */
	const requests = [];
	/** @type {EventRecord[]} */
	const events = [];
	/** @type {Map<string, StoredSession & Record<string, any>>} */
	const sessions = new Map();
	/** @type {Map<string, Record<string, any>>} */
	const subscriptions = new Map();
	/** @type {Map<string, Record<string, any>>} */
	const invoices = new Map();
	/** @type {Map<string, Record<string, any>>} */
	const paymentIntents = new Map();
	/** @type {Map<string, Record<string, any>>} */
	const customers = new Map();
	/** @type {Map<string, Record<string, any>>} */
	const prices = new Map();
	/** @type {Map<string, Record<string, any>>} */
	const products = new Map();
	/** @type {Map<string, { method: string, path: string, params: string, status: number, body: unknown, requestId: string }>} */
	const idempotency = new Map();
	/** @type {StripeFailSpec[]} */
	const failures = [];
	/** session id → subscription/line details computed at creation */
	/** @type {Map<string, Array<{ name: string, quantity: number, unit_amount: number, currency: string, price: Record<string, any>, amount: number }>>} */
	const resolvedItems = new Map();
	let invoiceCounter = 0;
	const afterSale = createAfterSale(
		{
			nowSec,
			baseUrl: () => listening.url,
			accountName,
			createEvent,
			deliverAll,
			invalid,
			missingParam,
			formatAmount,
			currencyDigits: (currency) => (ZERO_DECIMAL.includes(currency.toLowerCase()) ? 0 : THREE_DECIMAL.includes(currency.toLowerCase()) ? 3 : 2),
			addPrice: (spec) => addPrice(spec),
			cancelSubscription: (id, opts) => cancelSubscription(id, opts),
			publicSession: (id) => {
				const stored = sessions.get(id);
				return stored ? publicSession(stored) : null;
			},
			sessions,
			subscriptions,
			paymentIntents,
			customers,
			prices,
			products,
		},
		{ portalConfigured: options.portalConfigured },
	);

	/**
	 * @param {PriceSpec} spec
	 * @param {boolean} [listed]
	 */
	function addPrice(spec, listed = true) {
		const created = nowSec();
		const productId = spec.product_id ?? randomId('prod_SIM', 10);
		let product = products.get(productId);
		if (!product) {
			product = {
				id: productId,
				object: 'product',
				active: true,
				created,
				default_price: spec.id,
				description: null,
				images: [],
				livemode: false,
				marketing_features: [],
				metadata: {},
				name: spec.product_name,
				package_dimensions: null,
				shippable: null,
				statement_descriptor: null,
				tax_code: null,
				type: 'service',
				unit_label: null,
				updated: created,
				url: null,
			};
			products.set(productId, product);
		}
		const price = {
			id: spec.id,
			object: 'price',
			active: spec.active ?? true,
			billing_scheme: 'per_unit',
			created,
			currency: spec.currency.toLowerCase(),
			custom_unit_amount: null,
			livemode: false,
			lookup_key: spec.lookup_key ?? null,
			metadata: { ...(spec.metadata ?? {}) },
			nickname: spec.nickname ?? null,
			product: productId,
			recurring: spec.recurring
				? { interval: spec.recurring.interval, interval_count: spec.recurring.interval_count ?? 1, meter: null, trial_period_days: null, usage_type: 'licensed' }
				: null,
			tax_behavior: 'unspecified',
			tiers_mode: null,
			transform_quantity: null,
			type: spec.recurring ? 'recurring' : 'one_time',
			unit_amount: spec.unit_amount,
			unit_amount_decimal: String(spec.unit_amount),
		};
		Object.defineProperty(price, '__listed', { value: listed, enumerable: false });
		prices.set(spec.id, price);
		return clone(price);
	}
	for (const p of options.prices ?? []) addPrice(p);
	if (options.portalPlans) afterSale.setPortalPlans(options.portalPlans);

	/**
	 * @param {Record<string, any>} price
	 * @param {boolean} expandProduct
	 */
	function priceView(price, expandProduct) {
		const out = clone(price);
		if (expandProduct) out.product = clone(products.get(price.product) ?? price.product);
		return out;
	}

	/**
	 * @param {Record<string, any>} params
	 * @returns {string[]}
	 */
	function expandList(params) {
		const e = params.expand;
		if (Array.isArray(e)) return e.map(String);
		if (typeof e === 'string') return [e];
		return [];
	}

	/**
	 * @param {string} sessionId
	 */
	function lineItemsList(sessionId) {
		const items = resolvedItems.get(sessionId) ?? [];
		return {
			object: 'list',
			data: items.map((it, i) => ({
				id: `li_${sessionId.slice(-16)}${i}`,
				object: 'item',
				amount_discount: 0,
				amount_subtotal: it.amount,
				amount_tax: 0,
				amount_total: it.amount,
				currency: it.currency,
				description: it.name,
				price: clone(it.price),
				quantity: it.quantity,
			})),
			has_more: false,
			url: `/v1/checkout/sessions/${sessionId}/line_items`,
		};
	}

	/**
	 * Public view of a stored session (as the API and events show it).
	 * @param {StoredSession & Record<string, any>} stored
	 * @param {string[]} [expand]
	 */
	function publicSession(stored, expand = []) {
		/** @type {Record<string, any>} */
		const out = clone(stored);
		delete out.line_items;
		delete out.payment_intent_data;
		delete out.subscription_data;
		if (expand.includes('line_items')) out.line_items = lineItemsList(stored.id);
		return out;
	}

	// -----------------------------------------------------------------------------------------
	// Checkout Session creation

	/**
	 * @param {Record<string, any>} params
	 * @param {string} baseUrl
	 */
	function createSession(params, baseUrl) {
		const mode = params.mode;
		if (mode === undefined || mode === '') throw missingParam('mode');
		if (!['payment', 'subscription', 'setup'].includes(mode)) {
			throw invalid('mode', `Invalid mode: must be one of payment, setup, or subscription`, 'parameter_invalid_string');
		}
		const created = nowSec();
		const rawItems = params.line_items;
		if (rawItems !== undefined && !Array.isArray(rawItems)) throw invalid('line_items', 'Invalid array', 'parameter_invalid_array');
		/** @type {Array<Record<string, any>>} */
		const items = rawItems ?? [];
		if (mode !== 'setup' && items.length === 0) throw missingParam('line_items');
		if (mode === 'payment' && items.length > 100) throw invalid('line_items', 'You may only specify up to 100 line items in `payment` mode.');
		if (mode === 'subscription' && items.length > 20) throw invalid('line_items', 'You may only specify up to 20 line items in `subscription` mode.');

		/** @type {Array<{ name: string, quantity: number, unit_amount: number, currency: string, price: Record<string, any>, amount: number }>} */
		const resolved = [];
		items.forEach((item, i) => {
			const base = `line_items[${i}]`;
			if (!item || typeof item !== 'object') throw invalid(base, 'Invalid object', 'parameter_invalid_string');
			/** @type {Record<string, any>} */
			let price;
			if (item.price !== undefined && item.price_data !== undefined) {
				throw invalid(`${base}[price_data]`, `You may only specify one of these parameters: price, price_data.`);
			}
			if (item.price !== undefined) {
				const p = prices.get(String(item.price));
				if (!p) throw invalid(`${base}[price]`, `No such price: '${item.price}'`, 'resource_missing');
				if (!p.active) throw invalid(`${base}[price]`, `The price specified is inactive. This field only accepts active prices.`);
				price = p;
			} else if (item.price_data !== undefined) {
				const pd = item.price_data;
				const pb = `${base}[price_data]`;
				if (!pd || typeof pd !== 'object') throw invalid(pb, 'Invalid object', 'parameter_invalid_string');
				if (!pd.currency) throw missingParam(`${pb}[currency]`);
				let productName;
				if (pd.product !== undefined) {
					const prod = products.get(String(pd.product));
					if (!prod) throw invalid(`${pb}[product]`, `No such product: '${pd.product}'`, 'resource_missing');
					productName = prod.name;
				} else {
					if (!pd.product_data || typeof pd.product_data !== 'object') throw missingParam(`${pb}[product_data]`);
					if (!pd.product_data.name) throw missingParam(`${pb}[product_data][name]`);
					productName = String(pd.product_data.name);
				}
				let unitAmount;
				if (pd.unit_amount !== undefined && pd.unit_amount_decimal !== undefined) {
					throw invalid(`${pb}[unit_amount]`, 'You may only specify one of these parameters: unit_amount, unit_amount_decimal.');
				}
				if (pd.unit_amount !== undefined) {
					unitAmount = parseInteger(pd.unit_amount, `${pb}[unit_amount]`, { min: 0 });
				} else if (pd.unit_amount_decimal !== undefined) {
					const s = String(pd.unit_amount_decimal);
					if (!/^\d+(\.\d{1,12})?$/.test(s)) throw invalid(`${pb}[unit_amount_decimal]`, `Invalid decimal: ${s}`, 'parameter_invalid_string');
					unitAmount = Number(s);
				} else {
					throw invalid(`${pb}[unit_amount]`, 'You must specify either `unit_amount` or `unit_amount_decimal`.', 'parameter_missing');
				}
				const currency = String(pd.currency).toLowerCase();
				if (!/^[a-z]{3}$/.test(currency)) throw invalid(`${pb}[currency]`, `Invalid currency: ${currency}.`, 'parameter_invalid_string');
				if (THREE_DECIMAL.includes(currency) && Number.isInteger(unitAmount) && unitAmount % 10 !== 0) {
					throw invalid(`${pb}[unit_amount]`, `Invalid amount for ${currency.toUpperCase()}: amounts in three-decimal currencies must end in 0.`, 'amount_too_small');
				}
				/** @type {Record<string, any> | null} */
				let recurring = null;
				if (pd.recurring !== undefined) {
					const r = pd.recurring;
					if (!r || !r.interval) throw missingParam(`${pb}[recurring][interval]`);
					if (!['day', 'week', 'month', 'year'].includes(r.interval)) {
						throw invalid(`${pb}[recurring][interval]`, 'Invalid recurring[interval]: must be one of day, month, week, or year', 'parameter_invalid_string');
					}
					recurring = { interval: r.interval, interval_count: r.interval_count !== undefined ? parseInteger(r.interval_count, `${pb}[recurring][interval_count]`, { min: 1 }) : 1 };
				}
				const priceId = randomId('price_SIM', 14);
				price = addPrice(
					{
						id: priceId,
						currency,
						unit_amount: Math.round(unitAmount),
						product_name: productName,
						product_id: pd.product !== undefined ? String(pd.product) : undefined,
						recurring: /** @type {any} */ (recurring ?? undefined),
					},
					false,
				);
				price.unit_amount_decimal = String(unitAmount);
				price.active = false;
				/** @type {Record<string, any>} */ (prices.get(priceId)).active = false;
			} else {
				throw invalid(`${base}[price]`, `You must specify either \`price\` or \`price_data\` in \`${base}\`.`, 'parameter_missing');
			}
			if (item.quantity === undefined) throw invalid(`${base}[quantity]`, `Quantity is required. Add \`quantity\` to \`${base}\``, 'parameter_missing');
			const quantity = parseInteger(item.quantity, `${base}[quantity]`, { min: 1 });
			const unit = Number(price.unit_amount_decimal ?? price.unit_amount);
			resolved.push({
				name: products.get(price.product)?.name ?? 'Item',
				quantity,
				unit_amount: price.unit_amount,
				currency: price.currency,
				price: clone(prices.get(price.id) ?? price),
				amount: Math.round(unit * quantity),
			});
		});
		const currencies = [...new Set(resolved.map((r) => r.currency))];
		if (currencies.length > 1) throw invalid('line_items', `All line items must have the same currency; got ${currencies.join(', ')}.`);
		const recurringItems = resolved.filter((r) => r.price.recurring);
		if (mode === 'payment' && recurringItems.length > 0) {
			throw invalid('line_items', 'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.');
		}
		if (mode === 'subscription' && recurringItems.length === 0) {
			throw invalid('line_items', 'You must provide at least one recurring price in `subscription` mode when using prices.');
		}
		if (mode !== 'subscription' && params.subscription_data !== undefined) {
			throw invalid('subscription_data', `You can not pass \`subscription_data\` in \`${mode}\` mode.`);
		}
		if (mode !== 'payment' && params.payment_intent_data !== undefined) {
			throw invalid('payment_intent_data', `You can not pass \`payment_intent_data\` in \`${mode}\` mode.`);
		}
		const metadata = parseMetadata(params.metadata, 'metadata');
		const piMetadata = params.payment_intent_data ? parseMetadata(params.payment_intent_data.metadata, 'payment_intent_data[metadata]') : {};
		const subMetadata = params.subscription_data ? parseMetadata(params.subscription_data.metadata, 'subscription_data[metadata]') : {};
		let expiresAt = created + 24 * 3600;
		if (params.expires_at !== undefined) {
			expiresAt = parseInteger(params.expires_at, 'expires_at');
			if (expiresAt < created + 30 * 60) {
				throw invalid('expires_at', 'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'parameter_invalid_integer');
			}
			if (expiresAt > created + 24 * 3600) {
				throw invalid('expires_at', 'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'parameter_invalid_integer');
			}
		}
		if (params.customer_email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(params.customer_email))) {
			throw invalid('customer_email', `Invalid email address: ${params.customer_email}`, 'email_invalid');
		}
		if (params.customer !== undefined && params.customer_email !== undefined) {
			throw invalid('customer_email', 'You may only specify one of these parameters: customer, customer_email.');
		}
		if (params.client_reference_id !== undefined && String(params.client_reference_id).length > 200) {
			throw invalid('client_reference_id', 'client_reference_id must be at most 200 characters.', 'parameter_invalid_string');
		}
		for (const p of ['success_url', 'cancel_url']) {
			if (params[p] !== undefined) {
				try {
					new URL(String(params[p]));
				} catch {
					throw invalid(p, 'Not a valid URL', 'url_invalid');
				}
			}
		}
		const allowPromo = params.allow_promotion_codes !== undefined ? parseBool(params.allow_promotion_codes, 'allow_promotion_codes') : null;
		const phoneEnabled = params.phone_number_collection?.enabled !== undefined ? parseBool(params.phone_number_collection.enabled, 'phone_number_collection[enabled]') : false;
		const recoveryEnabled = params.after_expiration?.recovery?.enabled !== undefined
			? parseBool(params.after_expiration.recovery.enabled, 'after_expiration[recovery][enabled]')
			: null;

		const id = randomId('cs_test_', 58);
		const amount = resolved.reduce((sum, r) => sum + r.amount, 0);
		const currency = currencies[0] ?? (params.currency ? String(params.currency).toLowerCase() : null);
		/** @type {StoredSession & Record<string, any>} */
		const session = {
			id,
			object: 'checkout.session',
			after_expiration: recoveryEnabled === null ? null : { recovery: { allow_promotion_codes: false, enabled: recoveryEnabled, expires_at: null, url: null } },
			allow_promotion_codes: allowPromo,
			amount_subtotal: mode === 'setup' ? null : amount,
			amount_total: mode === 'setup' ? null : amount,
			automatic_tax: { enabled: false, liability: null, provider: null, status: null },
			billing_address_collection: params.billing_address_collection ?? null,
			cancel_url: params.cancel_url ?? null,
			client_reference_id: params.client_reference_id ?? null,
			client_secret: null,
			created,
			currency,
			custom_fields: [],
			custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
			customer: params.customer ?? null,
			customer_creation: mode === 'payment' && !params.customer ? (params.customer_creation ?? 'if_required') : null,
			customer_details: null,
			customer_email: params.customer_email ?? null,
			expires_at: expiresAt,
			invoice: null,
			livemode: false,
			locale: params.locale ?? null,
			metadata,
			mode,
			payment_intent: null,
			payment_link: null,
			payment_method_collection: mode === 'subscription' ? 'always' : 'if_required',
			payment_method_types: Array.isArray(params.payment_method_types) ? params.payment_method_types : ['card'],
			payment_status: mode === 'setup' ? 'no_payment_required' : 'unpaid',
			phone_number_collection: { enabled: phoneEnabled },
			recovered_from: null,
			setup_intent: null,
			shipping_address_collection: null,
			shipping_cost: null,
			status: 'open',
			submit_type: params.submit_type ?? null,
			subscription: null,
			success_url: params.success_url ?? null,
			total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
			ui_mode: 'hosted',
			url: `${baseUrl}/pay/${id}`,
			// Stored as requested (not part of Stripe's public object; removed from API answers and events):
			line_items: clone(items),
			payment_intent_data: params.payment_intent_data !== undefined ? { ...clone(params.payment_intent_data), metadata: piMetadata } : null,
			subscription_data: params.subscription_data !== undefined ? { ...clone(params.subscription_data), metadata: subMetadata } : null,
		};
		sessions.set(id, session);
		resolvedItems.set(id, resolved);
		return session;
	}

	// -----------------------------------------------------------------------------------------
	// Events and webhook delivery

	/**
	 * @param {string} type
	 * @param {Record<string, any>} object
	 * @param {{ requestId?: string | null, idempotencyKey?: string | null, previousAttributes?: Record<string, any> }} [ctx]
	 * @returns {EventRecord}
	 */
	function createEvent(type, object, ctx = {}) {
		/** @type {Record<string, any>} */
		const data = { object: clone(object) };
		if (ctx.previousAttributes) data.previous_attributes = clone(ctx.previousAttributes);
		const event = {
			id: randomId('evt_1SIM', 20),
			object: 'event',
			api_version: STRIPE_API_VERSION,
			created: nowSec(),
			data,
			livemode: false,
			pending_webhooks: 1,
			request: { id: ctx.requestId ?? null, idempotency_key: ctx.idempotencyKey ?? null },
			type,
		};
		/** @type {EventRecord} */
		const record = { id: event.id, type, event, payload: JSON.stringify(event, null, 2), status: null, deliveries: [], delivered: false, autoRetries: 0, retryTimer: null };
		events.push(record);
		return record;
	}

	/**
	 * @param {EventRecord} record
	 * @returns {Promise<DeliveryRecord>}
	 */
	function deliverOnce(record) {
		const started = Date.now();
		const { body, headers } = signed(record.payload);
		const signature = headers['Stripe-Signature'];
		/** @type {(d: Omit<DeliveryRecord, 'at' | 'durationMs' | 'signature'>) => DeliveryRecord} */
		const done = (d) => {
			/** @type {DeliveryRecord} */
			const delivery = { at: new Date(started).toISOString(), durationMs: Date.now() - started, signature, ...d };
			record.deliveries.push(delivery);
			record.status = delivery.status;
			afterDelivery(record, delivery);
			return delivery;
		};
		const target = webhookUrl;
		if (!target) return Promise.resolve(done({ status: null, error: 'no webhook URL set', responseBody: '' }));
		if (!isLoopbackUrl(target)) return Promise.resolve(done({ status: null, error: 'refused: webhook URL is not loopback', responseBody: '' }));
		return new Promise((resolve) => {
			const u = new URL(target);
			const lib = u.protocol === 'https:' ? https : http;
			const req = lib.request(
				u,
				{
					method: 'POST',
					headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
					timeout: webhookTimeoutMs,
					...(u.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
				},
				(res) => {
					/** @type {Buffer[]} */
					const chunks = [];
					res.on('data', (c) => chunks.push(c));
					res.on('end', () => resolve(done({ status: res.statusCode ?? null, error: null, responseBody: Buffer.concat(chunks).toString('utf8').slice(0, 2000) })));
					res.on('error', (err) => resolve(done({ status: res.statusCode ?? null, error: String(err), responseBody: '' })));
				},
			);
			req.on('timeout', () => req.destroy(new Error(`timed out after ${webhookTimeoutMs} ms`)));
			req.on('error', (err) => resolve(done({ status: null, error: String(err.message ?? err), responseBody: '' })));
			req.end(body);
		});
	}

	/**
	 * Stripe keeps retrying an event until one delivery gets a 2xx; the sim does the same on its
	 * compressed schedule. Each failure schedules at most one next attempt.
	 * @param {EventRecord} record
	 * @param {DeliveryRecord} delivery
	 */
	function afterDelivery(record, delivery) {
		const ok = delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
		if (ok) record.delivered = true;
		if (record.delivered) {
			if (record.retryTimer) clearTimeout(record.retryTimer);
			record.retryTimer = null;
			retrying.delete(record);
			return;
		}
		if (record.retryTimer || record.autoRetries >= retryDelaysMs.length) return;
		const delay = retryDelaysMs[record.autoRetries];
		retrying.add(record);
		record.retryTimer = setTimeout(() => {
			record.retryTimer = null;
			retrying.delete(record);
			if (record.delivered || stopped) return;
			record.autoRetries += 1;
			void deliverOnce(record);
		}, delay);
	}

	/**
	 * @param {EventRecord[]} records
	 * @param {DeliveryOptions} [opts]
	 */
	async function deliverAll(records, opts = {}) {
		const o = { ...defaultDelivery, ...opts };
		if (o.deliver === false) return;
		const times = 1 + Math.max(0, o.duplicates ?? 0);
		/** @type {EventRecord[]} */
		const queue = [];
		for (const r of records) for (let i = 0; i < times; i++) queue.push(r);
		if (o.order === 'concurrent') {
			await Promise.all(queue.map((r) => deliverOnce(r)));
			return;
		}
		if (o.order === 'reverse') queue.reverse();
		for (const r of queue) await deliverOnce(r);
	}

	/**
	 * @param {string | Record<string, any>} eventOrPayload
	 * @param {{ timestamp?: number, secret?: string | string[] }} [opts]
	 */
	function signed(eventOrPayload, opts = {}) {
		const body = typeof eventOrPayload === 'string' ? eventOrPayload : JSON.stringify(eventOrPayload, null, 2);
		const secrets = opts.secret === undefined ? webhookSecrets : Array.isArray(opts.secret) ? opts.secret : [opts.secret];
		const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
		return {
			body,
			headers: {
				'Content-Type': 'application/json; charset=utf-8',
				'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
				'Cache-Control': 'no-cache',
				Accept: '*/*; q=0.5, application/xml',
				'Stripe-Signature': signatureHeader(body, secrets, timestamp),
			},
		};
	}

	// -----------------------------------------------------------------------------------------
	// Actions (hosted page buttons and code)

	/** @param {string} id */
	function mustSession(id) {
		const s = sessions.get(id);
		if (!s) throw new Error(`stripe-sim: no such checkout session ${id}`);
		return s;
	}

	/**
	 * @param {StoredSession & Record<string, any>} s
	 * @param {{ email?: string, name?: string }} opts
	 */
	function customerDetails(s, opts) {
		const customer = s.customer ? customers.get(s.customer) : null;
		return {
			address: null,
			email: opts.email ?? s.customer_email ?? customer?.email ?? 'customer@example.com',
			name: opts.name ?? null,
			phone: null,
			tax_exempt: 'none',
			tax_ids: [],
		};
	}

	/**
	 * @param {StoredSession & Record<string, any>} s
	 * @param {string} status  succeeded | processing | requires_payment_method
	 */
	function createPaymentIntent(s, status) {
		const pi = {
			id: randomId('pi_3SIM', 20),
			object: 'payment_intent',
			amount: s.amount_total,
			amount_received: status === 'succeeded' ? s.amount_total : 0,
			currency: s.currency,
			customer: s.customer,
			created: nowSec(),
			description: null,
			latest_charge: null,
			livemode: false,
			metadata: { ...(s.payment_intent_data?.metadata ?? {}) },
			payment_method: null,
			payment_method_types: s.payment_method_types,
			status,
		};
		paymentIntents.set(pi.id, pi);
		return pi;
	}

	/** @param {string} email */
	function ensureCustomer(email) {
		const c = { id: randomId('cus_SIM', 14), object: 'customer', created: nowSec(), email, livemode: false, metadata: {}, name: null };
		customers.set(c.id, c);
		return c;
	}

	/**
	 * @param {Record<string, any>} sub
	 * @param {{ billingReason: string, paid: boolean, periodStart: number, periodEnd: number }} opts
	 */
	function createInvoice(sub, opts) {
		const items = sub.items.data;
		const amount = items.reduce((/** @type {number} */ sum, /** @type {Record<string, any>} */ it) => sum + Number(it.price.unit_amount) * Number(it.quantity), 0);
		const created = nowSec();
		const id = randomId('in_1SIM', 20);
		invoiceCounter += 1;
		const customer = customers.get(sub.customer);
		const invoice = {
			id,
			object: 'invoice',
			account_country: 'US',
			account_name: accountName,
			amount_due: amount,
			amount_overpaid: 0,
			amount_paid: opts.paid ? amount : 0,
			amount_remaining: opts.paid ? 0 : amount,
			amount_shipping: 0,
			attempt_count: 1,
			attempted: true,
			auto_advance: !opts.paid,
			billing_reason: opts.billingReason,
			collection_method: 'charge_automatically',
			created,
			currency: sub.currency,
			customer: sub.customer,
			customer_email: customer?.email ?? null,
			customer_name: null,
			description: null,
			hosted_invoice_url: null,
			invoice_pdf: null,
			lines: {
				object: 'list',
				data: items.map((/** @type {Record<string, any>} */ it) => ({
					id: randomId('il_1SIM', 20),
					object: 'line_item',
					amount: Number(it.price.unit_amount) * Number(it.quantity),
					currency: sub.currency,
					description: `${it.quantity} × ${products.get(it.price.product)?.name ?? 'Item'}`,
					invoice: id,
					livemode: false,
					metadata: { ...sub.metadata },
					parent: {
						type: 'subscription_item_details',
						invoice_item_details: null,
						subscription_item_details: {
							invoice_item: null,
							proration: false,
							proration_details: { credited_items: null },
							subscription: sub.id,
							subscription_item: it.id,
						},
					},
					period: { start: opts.periodStart, end: opts.periodEnd },
					pricing: { type: 'price_details', price_details: { price: it.price.id, product: it.price.product }, unit_amount_decimal: String(it.price.unit_amount) },
					quantity: it.quantity,
				})),
				has_more: false,
				total_count: items.length,
				url: `/v1/invoices/${id}/lines`,
			},
			livemode: false,
			metadata: {},
			next_payment_attempt: opts.paid ? null : created + 3 * 24 * 3600,
			number: `SIM-${String(invoiceCounter).padStart(4, '0')}`,
			parent: {
				type: 'subscription_details',
				quote_details: null,
				subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id },
			},
			// Stripe's invoice period is the one billed in arrears: both equal `created` for the first invoice.
			period_end: opts.billingReason === 'subscription_create' ? created : opts.periodStart,
			period_start: opts.billingReason === 'subscription_create' ? created : opts.periodStart,
			status: opts.paid ? 'paid' : 'open',
			status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: opts.paid ? created : null, voided_at: null },
			// Pre-2025 field names, still read by much code:
			subscription: sub.id,
			subscription_details: { metadata: { ...sub.metadata } },
			paid: opts.paid,
			subtotal: amount,
			total: amount,
		};
		invoices.set(id, invoice);
		sub.latest_invoice = id;
		return invoice;
	}

	/**
	 * @param {string} id
	 * @param {DeliveryOptions & { email?: string, name?: string }} [opts]
	 * @returns {Promise<ActionResult>}
	 */
	async function pay(id, opts = {}) {
		const s = mustSession(id);
		if (s.status !== 'open') throw new Error(`stripe-sim: checkout session ${id} is ${s.status}, not open`);
		s.customer_details = customerDetails(s, opts);
		s.status = 'complete';
		s.url = null;
		/** @type {EventRecord[]} */
		const recs = [];
		if (s.mode === 'payment') {
			s.payment_status = 'paid';
			s.payment_intent = createPaymentIntent(s, 'succeeded').id;
			if (s.customer_creation === 'always' && !s.customer) s.customer = ensureCustomer(s.customer_details.email).id;
			recs.push(createEvent('checkout.session.completed', publicSession(s)));
		} else if (s.mode === 'setup') {
			s.payment_status = 'no_payment_required';
			s.setup_intent = randomId('seti_1SIM', 20);
			recs.push(createEvent('checkout.session.completed', publicSession(s)));
		} else {
			s.payment_status = 'paid';
			if (!s.customer) s.customer = ensureCustomer(s.customer_details.email).id;
			const start = nowSec();
			const subId = randomId('sub_1SIM', 20);
			const items = (resolvedItems.get(id) ?? []).map((r) => {
				const end = addInterval(start, r.price.recurring);
				return {
					id: randomId('si_SIM', 14),
					object: 'subscription_item',
					created: start,
					current_period_end: end,
					current_period_start: start,
					metadata: {},
					price: clone(r.price),
					quantity: r.quantity,
					subscription: subId,
				};
			});
			const periodEnd = items.length ? items[0].current_period_end : addInterval(start, { interval: 'month' });
			const sub = {
				id: subId,
				object: 'subscription',
				billing_cycle_anchor: start,
				cancel_at: null,
				cancel_at_period_end: false,
				canceled_at: null,
				collection_method: 'charge_automatically',
				created: start,
				currency: s.currency,
				customer: s.customer,
				default_payment_method: null,
				description: s.subscription_data?.description ?? null,
				ended_at: null,
				items: { object: 'list', data: items, has_more: false, total_count: items.length, url: `/v1/subscription_items?subscription=${subId}` },
				latest_invoice: null,
				livemode: false,
				metadata: { ...(s.subscription_data?.metadata ?? {}) },
				start_date: start,
				status: 'active',
				trial_end: null,
				trial_start: null,
			};
			subscriptions.set(subId, sub);
			const invoice = createInvoice(sub, { billingReason: 'subscription_create', paid: true, periodStart: start, periodEnd });
			s.subscription = subId;
			s.invoice = invoice.id;
			recs.push(createEvent('checkout.session.completed', publicSession(s)));
			recs.push(createEvent('customer.subscription.created', sub));
			recs.push(createEvent('invoice.paid', invoice));
		}
		await deliverAll(recs, opts);
		return { session: publicSession(s), events: recs };
	}

	/**
	 * @param {string} id
	 * @param {DeliveryOptions & { email?: string, name?: string }} [opts]
	 * @returns {Promise<ActionResult>}
	 */
	async function payAsyncPending(id, opts = {}) {
		const s = mustSession(id);
		if (s.status !== 'open') throw new Error(`stripe-sim: checkout session ${id} is ${s.status}, not open`);
		if (s.mode !== 'payment') throw new Error('stripe-sim: delayed payment methods are simulated for payment mode only');
		s.customer_details = customerDetails(s, opts);
		s.status = 'complete';
		s.url = null;
		s.payment_status = 'unpaid';
		s.payment_intent = createPaymentIntent(s, 'processing').id;
		const recs = [createEvent('checkout.session.completed', publicSession(s))];
		await deliverAll(recs, opts);
		return { session: publicSession(s), events: recs };
	}

	/**
	 * @param {string} id
	 * @param {DeliveryOptions} [opts]
	 * @returns {Promise<ActionResult>}
	 */
	async function asyncSucceed(id, opts = {}) {
		const s = mustSession(id);
		if (s.status !== 'complete' || s.payment_status !== 'unpaid') {
			throw new Error(`stripe-sim: session ${id} has no pending async payment (status ${s.status}, payment_status ${s.payment_status})`);
		}
		s.payment_status = 'paid';
		const pi = s.payment_intent ? paymentIntents.get(s.payment_intent) : null;
		if (pi) {
			pi.status = 'succeeded';
			pi.amount_received = pi.amount;
		}
		const recs = [createEvent('checkout.session.async_payment_succeeded', publicSession(s))];
		await deliverAll(recs, opts);
		return { session: publicSession(s), events: recs };
	}

	/**
	 * @param {string} id
	 * @param {DeliveryOptions & { email?: string }} [opts]
	 * @returns {Promise<ActionResult>}
	 */
	async function failAsync(id, opts = {}) {
		const s = mustSession(id);
		/** @type {EventRecord[]} */
		const recs = [];
		if (s.status === 'open') {
			if (s.mode !== 'payment') throw new Error('stripe-sim: delayed payment methods are simulated for payment mode only');
			s.customer_details = customerDetails(s, opts);
			s.status = 'complete';
			s.url = null;
			s.payment_status = 'unpaid';
			s.payment_intent = createPaymentIntent(s, 'processing').id;
			recs.push(createEvent('checkout.session.completed', publicSession(s)));
		} else if (s.status !== 'complete' || s.payment_status !== 'unpaid') {
			throw new Error(`stripe-sim: session ${id} has no pending async payment (status ${s.status}, payment_status ${s.payment_status})`);
		}
		const pi = s.payment_intent ? paymentIntents.get(s.payment_intent) : null;
		if (pi) pi.status = 'requires_payment_method';
		recs.push(createEvent('checkout.session.async_payment_failed', publicSession(s)));
		await deliverAll(recs, opts);
		return { session: publicSession(s), events: recs };
	}

	/**
	 * @param {string} id
	 * @param {DeliveryOptions} [opts]
	 * @param {{ requestId?: string | null, idempotencyKey?: string | null }} [ctx]
	 * @returns {Promise<ActionResult>}
	 */
	async function expire(id, opts = {}, ctx = {}) {
		const s = mustSession(id);
		if (s.status !== 'open') throw new Error(`stripe-sim: checkout session ${id} is ${s.status}, not open`);
		s.status = 'expired';
		s.url = null;
		const recs = [createEvent('checkout.session.expired', publicSession(s), ctx)];
		await deliverAll(recs, opts);
		return { session: publicSession(s), events: recs };
	}

	/** @param {string} subId */
	function mustSub(subId) {
		const sub = subscriptions.get(subId);
		if (!sub) throw new Error(`stripe-sim: no such subscription ${subId}`);
		return sub;
	}

	/**
	 * @param {Record<string, any>} sub
	 * @returns {{ start: number, end: number }}
	 */
	function advancePeriod(sub) {
		const first = sub.items.data[0];
		const start = first ? first.current_period_end : nowSec();
		const end = addInterval(start, first ? first.price.recurring : null);
		for (const it of sub.items.data) {
			it.current_period_start = start;
			it.current_period_end = end;
		}
		return { start, end };
	}

	/**
	 * @param {string} subId
	 * @param {DeliveryOptions} [opts]
	 * @returns {Promise<ActionResult>}
	 */
	async function failInvoice(subId, opts = {}) {
		const sub = mustSub(subId);
		const first = sub.items.data[0];
		const start = first ? first.current_period_end : nowSec();
		const end = addInterval(start, first ? first.price.recurring : null);
		const invoice = createInvoice(sub, { billingReason: 'subscription_cycle', paid: false, periodStart: start, periodEnd: end });
		sub.status = 'past_due';
		const recs = [createEvent('invoice.payment_failed', invoice)];
		await deliverAll(recs, opts);
		return { session: null, events: recs };
	}

	/**
	 * @param {string} subId
	 * @param {DeliveryOptions} [opts]
	 * @returns {Promise<ActionResult>}
	 */
	async function renewSubscription(subId, opts = {}) {
		const sub = mustSub(subId);
		const { start, end } = advancePeriod(sub);
		sub.status = 'active';
		const invoice = createInvoice(sub, { billingReason: 'subscription_cycle', paid: true, periodStart: start, periodEnd: end });
		const recs = [createEvent('invoice.paid', invoice)];
		await deliverAll(recs, opts);
		return { session: null, events: recs };
	}

	/**
	 * @param {string} subId
	 * @param {DeliveryOptions} [opts]
	 * @param {{ requestId?: string | null, idempotencyKey?: string | null }} [ctx]
	 * @returns {Promise<ActionResult>}
	 */
	async function cancelSubscription(subId, opts = {}, ctx = {}) {
		const sub = mustSub(subId);
		if (sub.status === 'canceled') throw new Error(`stripe-sim: subscription ${subId} is already canceled`);
		const t = nowSec();
		sub.status = 'canceled';
		sub.canceled_at = t;
		sub.ended_at = t;
		sub.cancellation_details = { comment: null, feedback: null, reason: 'cancellation_requested' };
		const recs = [createEvent('customer.subscription.deleted', sub, ctx)];
		await deliverAll(recs, opts);
		return { session: null, events: recs };
	}

	// -----------------------------------------------------------------------------------------
	// Hosted test page

	/**
	 * @param {StoredSession & Record<string, any>} s
	 * @param {string} [notice]
	 * @param {EventRecord[]} [recs]
	 */
	function pageHtml(s, notice, recs) {
		const items = resolvedItems.get(s.id) ?? [];
		const rows = items
			.map((it) => {
				const every = it.price.recurring ? ` / ${it.price.recurring.interval_count > 1 ? `${it.price.recurring.interval_count} ` : ''}${it.price.recurring.interval}` : '';
				return `<tr><td>${escapeHtml(it.name)}</td><td class="n">${it.quantity}</td><td class="n">${escapeHtml(formatAmount(it.unit_amount, it.currency))}${escapeHtml(every)}</td><td class="n">${escapeHtml(formatAmount(it.amount, it.currency))}</td></tr>`;
			})
			.join('');
		const total = s.amount_total !== null && s.currency ? formatAmount(s.amount_total, s.currency) : '—';
		const open = s.status === 'open';
		const pendingAsync = s.status === 'complete' && s.payment_status === 'unpaid';
		const successUrl = s.success_url ? String(s.success_url).replace('{CHECKOUT_SESSION_ID}', s.id) : null;
		const cancelUrl = s.cancel_url ? String(s.cancel_url).replace('{CHECKOUT_SESSION_ID}', s.id) : null;
		/** @param {string | null} u @param {string} label */
		const link = (u, label) =>
			u ? `<p class="ret">${isLoopbackUrl(u) ? `<a href="${escapeHtml(u)}" title="${escapeHtml(u)}">${escapeHtml(label)}</a>` : `${escapeHtml(label)}: <code>${escapeHtml(u)}</code>`}</p>` : '';
		const button = (/** @type {string} */ action, /** @type {string} */ label, /** @type {string} */ cls) =>
			`<form method="post" action="/pay/${escapeHtml(s.id)}/${action}"><button type="submit" class="${cls}" id="btn-${action}">${escapeHtml(label)}</button></form>`;
		const eventsHtml = recs && recs.length
			? `<ul class="events">${recs.map((r) => `<li><code>${escapeHtml(r.type)}</code> → ${r.status === null ? 'not delivered' : `HTTP ${r.status}`}</li>`).join('')}</ul>`
			: '';
		return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(accountName)} – Sandbox Checkout</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0;padding:24px}
.card{max-width:560px;margin:0 auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:24px}
h1{font-size:20px;margin:0 0 4px}.muted{color:#697386;font-size:13px}
table{width:100%;border-collapse:collapse;margin:16px 0}td,th{padding:6px 4px;border-bottom:1px solid #e3e8ee;text-align:left;font-size:14px}
.n{text-align:right}.total{font-weight:600;font-size:16px}
.status{display:inline-block;padding:2px 8px;border-radius:10px;background:#e3e8ee;font-size:12px}
form{display:inline-block;margin:4px 8px 4px 0}button{border:0;border-radius:6px;padding:10px 16px;font-size:14px;cursor:pointer}
.pay{background:#635bff;color:#fff}.expire{background:#e3e8ee}.fail{background:#fde2e1;color:#a41c1c}
.notice{background:#eef9f1;border:1px solid #b7e4c7;border-radius:6px;padding:8px 12px;margin:12px 0}
.test{background:#ffde92;color:#663c00;font-size:12px;padding:2px 6px;border-radius:4px}
</style></head>
<body><div class="card">
<p><span class="test">TEST MODE</span> <span class="muted">Sandbox checkout – no real payment, no card data</span></p>
<h1>${escapeHtml(accountName)}</h1>
<p class="muted">Session <code id="session-id">${escapeHtml(s.id)}</code> · mode ${escapeHtml(s.mode)} · <span class="status" id="status">${escapeHtml(s.status)} / ${escapeHtml(s.payment_status)}</span></p>
${notice ? `<div class="notice" id="notice">${escapeHtml(notice)}</div>${eventsHtml}` : ''}
<table><thead><tr><th>Item</th><th class="n">Qty</th><th class="n">Unit</th><th class="n">Amount</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><td colspan="3" class="total">Total</td><td class="n total" id="total">${escapeHtml(total)}</td></tr></tfoot></table>
${s.customer_email ? `<p class="muted">Email: ${escapeHtml(s.customer_email)}</p>` : ''}
${open ? `${button('pay', 'Pay', 'pay')}${button('expire', 'Expire session', 'expire')}${s.mode === 'payment' ? button('fail-async', 'Fail (async payment)', 'fail') : ''}` : ''}
${pendingAsync ? `${button('async-succeed', 'Async payment succeeds', 'pay')}${button('fail-async', 'Async payment fails', 'fail')}` : ''}
${afterSale.refundHtml(s)}
${s.status === 'complete' ? link(successUrl, 'Return to merchant') : ''}${open ? link(cancelUrl, 'Cancel and return to merchant') : ''}
</div></body></html>`;
	}

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {string[]} segs  after 'pay'
	 */
	async function handlePage(req, res, segs) {
		const method = (req.method ?? 'GET').toUpperCase();
		const wantsJson = /application\/json/.test(String(req.headers.accept ?? ''));
		const s = sessions.get(segs[0] ?? '');
		if (!s) return sendHtml(res, 404, '<!doctype html><html><body><h1>Checkout session not found</h1></body></html>');
		if (segs.length === 1 && method === 'GET') {
			const notice = s.status === 'expired' ? 'This Checkout Session is no longer available (expired).' : s.status === 'complete' ? `This Checkout Session is complete (${s.payment_status}).` : undefined;
			return sendHtml(res, 200, pageHtml(s, notice));
		}
		if (segs.length === 2 && method === 'POST') {
			const form = await readBody(req);
			/** @type {Record<string, (id: string) => Promise<ActionResult>>} */
			const actions = {
				refund: (id) => afterSale.refund(id, { amount: afterSale.amountFromForm(form, String(s.currency)) }),
				pay: (id) => pay(id),
				expire: (id) => expire(id),
				'fail-async': (id) => failAsync(id),
				'pay-async-pending': (id) => payAsyncPending(id),
				'async-succeed': (id) => asyncSucceed(id),
			};
			const action = actions[segs[1]];
			if (!action) return sendHtml(res, 404, '<!doctype html><html><body><h1>Unknown action</h1></body></html>');
			try {
				const result = await action(s.id);
				if (wantsJson) return sendJson(res, 200, { session: result.session, events: result.events.map((e) => ({ id: e.id, type: e.type, status: e.status })) });
				const labels = /** @type {Record<string, string>} */ ({
					pay: 'Payment succeeded.',
					expire: 'Session expired.',
					'fail-async': 'Async payment failed.',
					'pay-async-pending': 'Payment submitted; awaiting the async result.',
					'async-succeed': 'Async payment succeeded.',
					refund: 'Refund sent.',
				});
				return sendHtml(res, 200, pageHtml(s, labels[segs[1]], result.events));
			} catch (err) {
				const message = err instanceof Error ? err.message : String(err);
				if (wantsJson) return sendJson(res, 409, { error: { message } });
				return sendHtml(res, 409, pageHtml(s, message));
			}
		}
		return sendHtml(res, 405, '<!doctype html><html><body><h1>Method not allowed</h1></body></html>', { Allow: segs.length === 1 ? 'GET' : 'POST' });
	}

	// -----------------------------------------------------------------------------------------
	// The pages around the checkout: the session list (/), the success page (/thanks) and the cancel page (/cancelled)

	/** The customer's chat on the sandbox's chat page, from the chat reference Create Stripe Checkout put in the metadata. @param {Record<string, any> | undefined} s */
	function chatLinkOf(s) {
		if (!chatPageUrl) return null;
		const md = s?.metadata ?? {};
		if (!md.chat_channel || !md.chat_user_id) return `${chatPageUrl}/`;
		return `${chatPageUrl}/?${new URLSearchParams({ channel: String(md.chat_channel), customer: String(md.chat_user_id) })}`;
	}

	/** @param {string} title @param {string} body */
	const sitePageHtml = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – ${escapeHtml(accountName)} (sandbox)</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0;padding:24px}
.card{max-width:880px;margin:0 auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:24px}
h1{font-size:22px;margin:8px 0}.muted{color:#697386;font-size:13px}p{line-height:1.5}
table{width:100%;border-collapse:collapse;margin:16px 0}td,th{padding:6px 4px;border-bottom:1px solid #e3e8ee;text-align:left;font-size:13px}
.test{background:#ffde92;color:#663c00;font-size:12px;padding:2px 6px;border-radius:4px}
.status{display:inline-block;padding:2px 8px;border-radius:10px;background:#e3e8ee;font-size:12px}
.status.complete{background:#d7f7c2;color:#05690d}.status.expired{background:#fde2e1;color:#a41c1c}
a.button{display:inline-block;background:#635bff;color:#fff;text-decoration:none;border-radius:6px;padding:10px 16px;margin:8px 8px 0 0}
a.button.secondary{background:#e3e8ee;color:#1a1f36}
</style></head><body><div class="card"><p><span class="test">TEST MODE</span> <span class="muted">${escapeHtml(accountName)} · sandbox Stripe on 127.0.0.1 — no real payment, no card data</span></p>
${body}</div></body></html>`;

	/**
	 * @param {import('node:http').ServerResponse} res
	 * @param {string} which  '' (the list), 'thanks' or 'cancelled'
	 * @param {string | null} sessionId
	 */
	function sitePage(res, which, sessionId) {
		const s = sessionId ? sessions.get(sessionId) : undefined;
		const total = (/** @type {Record<string, any>} */ x) => (x.amount_total !== null && x.currency ? formatAmount(x.amount_total, x.currency) : '—');
		const items = (/** @type {Record<string, any>} */ x) => (resolvedItems.get(x.id) ?? []).map((it) => `${it.name} × ${it.quantity}`).join(', ');
		const back = (/** @type {Record<string, any> | undefined} */ x) => {
			const chat = chatLinkOf(x);
			return chat ? `<a class="button" id="back-to-chat" href="${escapeHtml(chat)}">Back to the chat</a>` : '';
		};
		if (which === 'thanks') {
			if (!s) {
				return sendHtml(res, 404, sitePageHtml('Unknown checkout', `<h1>We could not find this checkout</h1><p>No session <code>${escapeHtml(sessionId ?? '(none)')}</code> on this sandbox Stripe (sessions live in memory: a restart of the sandbox forgets them).</p>${back(undefined)} <a class="button secondary" href="/">All checkout sessions</a>`));
			}
			const paid = s.payment_status === 'paid' || s.payment_status === 'no_payment_required';
			const headline = s.status !== 'complete' ? 'This checkout is not finished' : paid ? 'Thank you — payment received' : 'Payment submitted — waiting for the bank';
			const detail = s.status !== 'complete'
				? `The session is <b>${escapeHtml(s.status)}</b>: nothing was charged. Open the link in the chat to pay.`
				: paid
					? `${escapeHtml(items(s))} · <b>${escapeHtml(total(s))}</b>. Stripe told the shop with a signed <code>checkout.session.completed</code> event; the shop confirms in the chat.`
					: 'Stripe tells the shop when the payment succeeds or fails (<code>checkout.session.async_payment_*</code>); the shop answers in the chat.';
			return sendHtml(res, 200, sitePageHtml(headline, `<h1 id="headline">${escapeHtml(headline)}</h1><p id="detail">${detail}</p><p class="muted">Session <code>${escapeHtml(s.id)}</code> · <span class="status ${escapeHtml(s.status)}">${escapeHtml(s.status)} / ${escapeHtml(s.payment_status)}</span></p>${back(s)} <a class="button secondary" href="/">All checkout sessions</a>`));
		}
		if (which === 'cancelled') {
			const detail = s && s.status === 'open'
				? `Nothing was charged. The link in the chat stays valid until ${escapeHtml(new Date(s.expires_at * 1000).toISOString().slice(0, 16).replace('T', ' '))} UTC: tap it again to pay.`
				: 'Nothing was charged. Ask the shop in the chat for a new link when you are ready.';
			return sendHtml(res, 200, sitePageHtml('Checkout cancelled', `<h1 id="headline">Checkout cancelled</h1><p id="detail">${detail}</p>${back(s)} <a class="button secondary" href="/">All checkout sessions</a>`));
		}
		const list = [...sessions.values()].reverse();
		const rows = list
			.map((x) => {
				const chat = chatLinkOf(x);
				const who = x.metadata?.chat_channel ? `${escapeHtml(x.metadata.chat_channel)} ${escapeHtml(x.metadata.chat_user_id ?? '')}` : '—';
				return `<tr><td><a href="/pay/${escapeHtml(x.id)}"><code>${escapeHtml(x.id.slice(0, 24))}…</code></a></td><td>${escapeHtml(new Date(x.created * 1000).toISOString().slice(11, 19))}</td><td>${escapeHtml(items(x))}</td><td>${escapeHtml(total(x))}</td><td><span class="status ${escapeHtml(x.status)}">${escapeHtml(x.status)} / ${escapeHtml(x.payment_status)}</span></td><td>${chat ? `<a href="${escapeHtml(chat)}">${who}</a>` : who}</td></tr>`;
			})
			.join('');
		const deliveredEvents = events.filter((e) => e.delivered).length;
		return sendHtml(res, 200, sitePageHtml('Checkout sessions', `<h1>Checkout sessions</h1>
<p class="muted">${list.length} session(s) since this sandbox started (kept in memory) · ${events.length} event(s) sent to n8n, ${deliveredEvents} answered 2xx${webhookUrl ? ` · webhook <code>${escapeHtml(webhookUrl)}</code>` : ''}</p>
${list.length ? `<table id="sessions"><thead><tr><th>Session (opens its checkout page)</th><th>Created (UTC)</th><th>Items</th><th>Total</th><th>Status</th><th>Chat</th></tr></thead><tbody>${rows}</tbody></table>` : '<p id="empty">No checkout yet: order something in the chat and the shop creates one.</p>'}
${chatPageUrl ? `<a class="button" href="${escapeHtml(chatPageUrl)}/">Open the chat page</a>` : ''}`));
	}

	// -----------------------------------------------------------------------------------------
	// API routing

	/**
	 * @template T
	 * @param {T[]} all newest first
	 * @param {Record<string, any>} params
	 * @param {string} url
	 * @param {(x: T) => string} idOf
	 */
	function paginate(all, params, url, idOf) {
		const limit = params.limit !== undefined ? parseInteger(params.limit, 'limit', { min: 1 }) : 10;
		if (limit > 100) throw invalid('limit', 'This value must be less than or equal to 100.', 'parameter_invalid_integer');
		let start = 0;
		if (params.starting_after) {
			const i = all.findIndex((x) => idOf(x) === params.starting_after);
			start = i === -1 ? all.length : i + 1;
		}
		const data = all.slice(start, start + limit);
		return { object: 'list', data, has_more: start + limit < all.length, url };
	}

	/**
	 * @param {string} method
	 * @param {string[]} segs   path segments after 'v1'
	 * @param {Record<string, any>} params
	 * @param {{ baseUrl: string, requestId: string, idempotencyKey: string | null }} ctx
	 * @returns {Promise<{ status: number, body: unknown }>}
	 */
	async function route(method, segs, params, ctx) {
		const afterSaleAnswer = await afterSale.route(method, segs, params, ctx);
		if (afterSaleAnswer) return afterSaleAnswer;
		const expand = expandList(params);
		const [a, b, c, d] = segs;
		// Checkout Sessions
		if (a === 'checkout' && b === 'sessions') {
			if (method === 'POST' && segs.length === 2) {
				const s = createSession(params, ctx.baseUrl);
				return { status: 200, body: publicSession(s, expand) };
			}
			if (method === 'GET' && segs.length === 2) {
				let all = [...sessions.values()].reverse();
				for (const f of ['status', 'payment_intent', 'subscription', 'customer', 'client_reference_id']) {
					if (params[f] !== undefined) all = all.filter((s) => s[f] === params[f]);
				}
				const page = paginate(all, params, '/v1/checkout/sessions', (s) => s.id);
				return { status: 200, body: { ...page, data: page.data.map((s) => publicSession(s, expand.map((e) => e.replace(/^data\./, '')))) } };
			}
			const s = c ? sessions.get(c) : undefined;
			if (!s) throw invalid('session', `No such checkout.session: '${c}'`, 'resource_missing', 404);
			if (method === 'GET' && segs.length === 3) return { status: 200, body: publicSession(s, expand) };
			if (method === 'GET' && d === 'line_items' && segs.length === 4) return { status: 200, body: lineItemsList(s.id) };
			if (method === 'POST' && d === 'expire' && segs.length === 4) {
				if (s.status !== 'open') {
					throw invalid('', `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`);
				}
				const result = await expire(s.id, {}, { requestId: ctx.requestId, idempotencyKey: ctx.idempotencyKey });
				return { status: 200, body: result.session };
			}
		}
		// Prices
		if (a === 'prices') {
			if (method === 'GET' && segs.length === 1) {
				let all = [...prices.values()].filter((p) => /** @type {any} */ (p).__listed !== false).reverse();
				if (params.lookup_keys !== undefined) {
					const keys = Array.isArray(params.lookup_keys) ? params.lookup_keys.map(String) : [String(params.lookup_keys)];
					if (keys.length > 10) throw invalid('lookup_keys', 'You may only specify up to 10 lookup keys.');
					all = all.filter((p) => p.lookup_key !== null && keys.includes(p.lookup_key));
				}
				if (params.active !== undefined) {
					const active = parseBool(params.active, 'active');
					all = all.filter((p) => p.active === active);
				}
				if (params.type !== undefined) all = all.filter((p) => p.type === params.type);
				if (params.product !== undefined) all = all.filter((p) => p.product === params.product);
				if (params.currency !== undefined) all = all.filter((p) => p.currency === String(params.currency).toLowerCase());
				const page = paginate(all, params, '/v1/prices', (p) => p.id);
				const expandProduct = expand.includes('data.product');
				return { status: 200, body: { ...page, data: page.data.map((p) => priceView(p, expandProduct)) } };
			}
			if (method === 'GET' && segs.length === 2) {
				const p = prices.get(b);
				if (!p) throw invalid('price', `No such price: '${b}'`, 'resource_missing', 404);
				return { status: 200, body: priceView(p, expand.includes('product')) };
			}
		}
		if (a === 'products' && method === 'GET' && segs.length === 2) {
			const p = products.get(b);
			if (!p) throw invalid('id', `No such product: '${b}'`, 'resource_missing', 404);
			return { status: 200, body: clone(p) };
		}
		if (a === 'balance' && method === 'GET' && segs.length === 1) {
			return {
				status: 200,
				body: {
					object: 'balance',
					available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
					livemode: false,
					pending: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
				},
			};
		}
		if (a === 'account' && method === 'GET' && segs.length === 1) {
			return {
				status: 200,
				body: {
					id: accountId,
					object: 'account',
					business_profile: { name: accountName, url: null },
					business_type: 'company',
					capabilities: { card_payments: 'active', transfers: 'active' },
					charges_enabled: true,
					country: 'US',
					created: nowSec(),
					default_currency: 'usd',
					details_submitted: true,
					email: 'owner@example.com',
					payouts_enabled: true,
					settings: { dashboard: { display_name: accountName, timezone: 'Etc/UTC' } },
					type: 'standard',
				},
			};
		}
		if (a === 'events') {
			if (method === 'GET' && segs.length === 1) {
				let all = events.map((e) => e.event).reverse();
				if (params.type !== undefined) all = all.filter((e) => e.type === params.type);
				return { status: 200, body: paginate(all, params, '/v1/events', (e) => e.id) };
			}
			if (method === 'GET' && segs.length === 2) {
				const e = events.find((r) => r.id === b);
				if (!e) throw invalid('id', `No such event: '${b}'`, 'resource_missing', 404);
				return { status: 200, body: clone(e.event) };
			}
		}
		if (a === 'subscriptions' && segs.length === 2) {
			const sub = subscriptions.get(b);
			if (!sub) throw invalid('id', `No such subscription: '${b}'`, 'resource_missing', 404);
			if (method === 'GET') return { status: 200, body: clone(sub) };
			if (method === 'DELETE') {
				if (sub.status === 'canceled') throw invalid('', `A canceled subscription can only update its cancellation_details and metadata.`);
				await cancelSubscription(b, {}, { requestId: ctx.requestId, idempotencyKey: ctx.idempotencyKey });
				return { status: 200, body: clone(sub) };
			}
		}
		if (a === 'invoices' && method === 'GET' && segs.length === 2) {
			const inv = invoices.get(b);
			if (!inv) throw invalid('invoice', `No such invoice: '${b}'`, 'resource_missing', 404);
			return { status: 200, body: clone(inv) };
		}
		if (a === 'payment_intents' && method === 'GET' && segs.length === 2) {
			const pi = paymentIntents.get(b);
			if (!pi) throw invalid('intent', `No such payment_intent: '${b}'`, 'resource_missing', 404);
			return { status: 200, body: clone(pi) };
		}
		if (a === 'customers' && method === 'GET' && segs.length === 2) {
			const cu = customers.get(b);
			if (!cu) throw invalid('id', `No such customer: '${b}'`, 'resource_missing', 404);
			return { status: 200, body: clone(cu) };
		}
		throw invalid(
			'',
			`Unrecognized request URL (${method}: /v1/${segs.join('/')}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
			undefined,
			404,
		);
	}

	/**
	 * @param {StripeFailSpec} spec
	 * @param {string} method
	 * @param {string} path
	 */
	function failMatches(spec, method, path) {
		if (spec.method && spec.method.toUpperCase() !== method) return false;
		if (spec.path instanceof RegExp) return spec.path.test(path);
		if (typeof spec.path === 'string') return spec.path.endsWith('/') ? path.startsWith(spec.path) : path === spec.path;
		return true;
	}

	/**
	 * @param {StripeErrorBody & Record<string, any>} error
	 */
	function withDocUrl(error) {
		const out = { ...error };
		if (out.code && !out.doc_url) out.doc_url = `https://stripe.com/docs/error-codes/${String(out.code).replace(/_/g, '-')}`;
		for (const k of Object.keys(out)) if (out[k] === undefined || out[k] === '') delete out[k];
		return out;
	}

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function handle(req, res) {
		const u = new URL(req.url ?? '/', 'http://127.0.0.1');
		const segs = u.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
		if (segs[0] === 'pay') return handlePage(req, res, segs.slice(1));
		if (segs[0] === 'portal') return afterSale.handlePortalPage(req, res, segs.slice(1));
		if ((req.method ?? 'GET').toUpperCase() === 'GET' && (segs.length === 0 || (segs.length === 1 && ['thanks', 'cancelled'].includes(segs[0])))) {
			return sitePage(res, segs[0] ?? '', u.searchParams.get('session_id'));
		}

		const method = (req.method ?? 'GET').toUpperCase();
		const raw = await readBody(req);
		const headers = plainHeaders(req.headers);
		const query = u.search.replace(/^\?/, '');
		const form = method === 'GET' ? query : raw;
		const params = { ...parseStripeForm(query), ...(method === 'GET' ? {} : parseStripeForm(raw)) };
		const requestId = randomId('req_', 14);
		const idempotencyKey = headers['idempotency-key'] ?? null;
		/** @type {RequestRecord} */
		const record = {
			at: new Date().toISOString(),
			method,
			path: u.pathname,
			query,
			form,
			params,
			idempotencyKey,
			headers,
			requestId,
			status: 0,
			replayed: false,
			injected: false,
		};
		requests.push(record);
		/** @type {Record<string, string>} */
		const baseHeaders = { 'Request-Id': requestId, 'Stripe-Version': headers['stripe-version'] ?? STRIPE_API_VERSION };
		if (idempotencyKey && method !== 'GET') baseHeaders['Idempotency-Key'] = idempotencyKey;
		/**
		 * @param {number} status
		 * @param {unknown} body
		 * @param {Record<string, string>} [extra]
		 */
		const reply = (status, body, extra = {}) => {
			record.status = status;
			if (typeof body === 'string') {
				res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...baseHeaders, ...extra });
				res.end(body);
				return;
			}
			sendJson(res, status, body, { ...baseHeaders, ...extra });
		};

		if (segs[0] !== 'v1') {
			return reply(404, { error: withDocUrl({ type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${u.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` }) });
		}

		// Authentication: Bearer key, or Basic with the key as user name.
		const auth = headers.authorization ?? '';
		let key = '';
		const bearer = /^Bearer\s+(.+)$/i.exec(auth.trim());
		const basic = /^Basic\s+(.+)$/i.exec(auth.trim());
		if (bearer) key = bearer[1].trim();
		else if (basic) key = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
		if (!key) {
			return reply(
				401,
				{
					error: {
						message:
							"You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
						type: 'invalid_request_error',
					},
				},
				{ 'WWW-Authenticate': 'Basic realm="Stripe"' },
			);
		}
		if (!secretKeys.has(key)) {
			return reply(401, { error: { message: `Invalid API Key provided: ${maskKey(key)}`, type: 'invalid_request_error' } }, { 'WWW-Authenticate': 'Basic realm="Stripe"' });
		}

		const fi = failures.findIndex((f) => failMatches(f, method, u.pathname));
		if (fi !== -1) {
			const [spec] = failures.splice(fi, 1);
			record.injected = true;
			if (spec.delayMs) await new Promise((resolve) => setTimeout(resolve, spec.delayMs));
			const body = spec.body !== undefined ? spec.body : { error: withDocUrl(spec.error ?? defaultErrorFor(spec.status)) };
			return reply(spec.status, body, spec.headers ?? {});
		}

		const idemKeyed = Boolean(idempotencyKey) && method === 'POST';
		const paramsCanon = canonical(parseStripeForm(raw));
		if (idemKeyed && idempotencyKey) {
			if (idempotencyKey.length > 255) {
				return reply(400, { error: withDocUrl({ type: 'invalid_request_error', message: 'Idempotency-Key must be at most 255 characters long.' }) });
			}
			const prior = idempotency.get(idempotencyKey);
			if (prior) {
				if (prior.path !== u.pathname || prior.method !== method) {
					return reply(400, {
						error: {
							message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${prior.method} ${prior.path}' vs '${method} ${u.pathname}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
							type: 'idempotency_error',
						},
					});
				}
				if (prior.params !== paramsCanon) {
					return reply(400, {
						error: {
							message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
							type: 'idempotency_error',
						},
					});
				}
				record.replayed = true;
				return reply(prior.status, prior.body, { 'Idempotent-Replayed': 'true', 'Original-Request': prior.requestId });
			}
		}

		try {
			const result = await route(method, segs.slice(1), params, { baseUrl: listening.url, requestId, idempotencyKey });
			if (idemKeyed && idempotencyKey) {
				idempotency.set(idempotencyKey, { method, path: u.pathname, params: paramsCanon, status: result.status, body: result.body, requestId });
			}
			return reply(result.status, result.body);
		} catch (err) {
			if (err instanceof StripeApiError) return reply(err.status, { error: withDocUrl(err.error) });
			throw err;
		}
	}

	// Session URLs name the address the server really listens on (a Host header could say anything).
	const listening = await listenLoopback(handle, options.port ?? 0);

	/** @type {StripeSim} */
	const sim = {
		url: listening.url,
		port: listening.port,
		clientOptions: { host: '127.0.0.1', port: listening.port, protocol: 'http' },
		stop: async () => {
			stopped = true;
			for (const record of retrying) if (record.retryTimer) clearTimeout(record.retryTimer);
			retrying.clear();
			await listening.stop();
		},
		requests,
		events,
		sessions,
		subscriptions,
		invoices,
		getSession: (id) => {
			const s = sessions.get(id);
			return s ? publicSession(s) : null;
		},
		setWebhookUrl: (url) => {
			if (url !== null) assertLoopbackUrl(url, 'webhookUrl');
			webhookUrl = url;
		},
		setWebhookSecret: (secret) => {
			const list = Array.isArray(secret) ? secret : [secret];
			if (list.length === 0 || list.some((s) => typeof s !== 'string' || !s)) throw new Error('setWebhookSecret: non-empty secret(s) required');
			webhookSecrets = list;
		},
		setDelivery: (o) => {
			defaultDelivery = { ...defaultDelivery, ...o };
		},
		addPrice: (spec) => addPrice(spec),
		failNext: (spec, count = 1) => {
			if (!spec || typeof spec.status !== 'number') throw new Error('failNext: { status } is required');
			for (let i = 0; i < count; i++) failures.push(spec);
		},
		/** Drops queued failures nobody consumed (a test that queued more than the client retried). */
		clearFailures: () => {
			failures.length = 0;
		},
		errors,
		pay,
		expire: (id, opts) => expire(id, opts),
		failAsync,
		payAsyncPending,
		asyncSucceed,
		failInvoice,
		renewSubscription,
		cancelSubscription: (id, opts) => cancelSubscription(id, opts),
		emit: async (type, object, opts) => {
			const rec = createEvent(type, object);
			await deliverAll([rec], opts);
			return rec;
		},
		redeliver: async (eventId) => {
			const rec = events.find((e) => e.id === eventId);
			if (!rec) throw new Error(`stripe-sim: no such event ${eventId}`);
			return deliverOnce(rec);
		},
		setRetryDelays: (delaysMs) => {
			if (!Array.isArray(delaysMs) || delaysMs.some((d) => typeof d !== 'number' || d < 0)) throw new Error('setRetryDelays: non-negative numbers required');
			retryDelaysMs = delaysMs.slice();
		},
		waitForDelivered: async (eventId, opts = {}) => {
			const rec = events.find((e) => e.id === eventId);
			if (!rec) throw new Error(`stripe-sim: no such event ${eventId}`);
			const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
			while (!rec.delivered) {
				if (Date.now() > deadline) {
					throw new Error(`stripe-sim: event ${eventId} not delivered after ${opts.timeoutMs ?? 60_000} ms; deliveries: ${JSON.stringify(rec.deliveries.map((d) => ({ at: d.at, status: d.status, error: d.error })))}`);
				}
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			return rec;
		},
		signedRequest: (event, opts) => signed(event, opts),
		setChatPageUrl: (url) => {
			if (url !== null) assertLoopbackUrl(url, 'chatPageUrl');
			chatPageUrl = url === null ? null : url.replace(/\/+$/, '');
		},
		refund: afterSale.refund,
		portalCancel: afterSale.portalCancel,
		portalKeepSubscription: afterSale.portalKeepSubscription,
		portalChangePlan: afterSale.portalChangePlan,
		portalUpdateCard: afterSale.portalUpdateCard,
		setPortalConfigured: afterSale.setPortalConfigured,
		setPortalPlans: afterSale.setPortalPlans,
		portalSessions: afterSale.portalSessions,
		charges: afterSale.charges,
		refunds: afterSale.refunds,
		stripeClient: (key) => {
			const Stripe = require('stripe');
			return new Stripe(key ?? options.secretKeys[0], { ...sim.clientOptions, maxNetworkRetries: 0 });
		},
		reset: () => {
			for (const record of retrying) if (record.retryTimer) clearTimeout(record.retryTimer);
			retrying.clear();
			requests.length = 0;
			events.length = 0;
			sessions.clear();
			subscriptions.clear();
			invoices.clear();
			paymentIntents.clear();
			customers.clear();
			idempotency.clear();
			failures.length = 0;
			resolvedItems.clear();
			afterSale.reset();
		},
	};
	return sim;
}

module.exports = { startStripeSim, parseStripeForm, STRIPE_API_VERSION, stripeErrors: errors };
