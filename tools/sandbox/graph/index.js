// @ts-check
'use strict';
/**
 * Meta Graph API stand-in for the sandbox: the WhatsApp Cloud API and Instagram Messaging send
 * endpoints, the node look-ups that credential tests make, and error injection in Meta's shapes.
 * Listens on 127.0.0.1 only and never sends anything anywhere.
 *
 *   const sim = await startGraphSim({ accessTokens: ['EAAG-test'] });
 *   // point the node's Graph base URL at sim.url, e.g. `${sim.url}/v26.0/<phone-number-id>/messages`
 *   sim.failNext(sim.errors.throttled());
 *   await sim.waitForSends(1);
 *   await sim.stop();
 */
const {
	listenLoopback,
	readBody,
	sendJson,
	randomId,
	plainHeaders,
	waitUntil,
} = require('../http');

const DEFAULT_API_VERSION = 'v26.0';

/**
 * @typedef {object} WhatsAppNumber
 * @property {string} id                     Phone number id (the `:accountId` of a send).
 * @property {string} [display_phone_number]
 * @property {string} [verified_name]
 * @property {string} [quality_rating]       GREEN | YELLOW | RED | UNKNOWN
 */

/**
 * @typedef {object} InstagramAccount
 * @property {string} id                     IG professional account id (`/:id/messages`; `/me` is the first one).
 * @property {string} [username]
 * @property {string} [user_id]
 * @property {string} [name]
 */

/**
 * @typedef {object} GraphSimOptions
 * @property {string[]} accessTokens         Bearer tokens the sim accepts (all of them for every account).
 * @property {number} [port]                 0 (default): a free port.
 * @property {WhatsAppNumber[]} [whatsappNumbers]    Known phone numbers; default one: id `100000000000001`.
 * @property {InstagramAccount[]} [instagramAccounts] Known IG accounts; default one: id `17841400000000001`.
 * @property {boolean} [acceptUnknownAccounts]  Accept sends to ids not listed above (default false: Graph error 100/33).
 * @property {string} [apiVersion]           Reported in the `facebook-api-version` header (default v26.0).
 * @property {number} [latencyMs]            Delay before every answer (default 0).
 */

/**
 * @typedef {object} FailSpec  One injected answer to a send call.
 * @property {number} status
 * @property {unknown} [body]                Object (sent as JSON) or string (sent as is); default a Meta error for the status.
 * @property {Record<string, string>} [headers]
 * @property {number} [delayMs]              Wait this long before answering.
 */

/**
 * @typedef {object} SentMessage  A send the sim accepted (HTTP 200).
 * @property {string} at                     ISO time.
 * @property {string} method
 * @property {string} path                   Path without the query string.
 * @property {string | null} version         e.g. `v26.0` (null for an unversioned call).
 * @property {string} accountId              `:accountId` as called (`me` for `/me/messages`).
 * @property {'whatsapp' | 'instagram'} channel
 * @property {string | null} to              WhatsApp `to` / Instagram `recipient.id` (null for mark-as-read).
 * @property {Record<string, any>} body      Parsed request body.
 * @property {Record<string, string>} headers Lower-cased request headers.
 * @property {string | null} messageId       The `wamid.SIM…` / `m_SIM…` the sim answered with.
 * @property {string} text                   Human-readable text of the message (body text, button text…), '' if none.
 * @property {string[]} urls                 Every URL in the message (CTA / web_url buttons and URLs in the text).
 * @property {Record<string, any>} response  The JSON answer.
 */

/**
 * @typedef {object} AttemptRecord  Every call to a messages endpoint, successful or not.
 * @property {string} at
 * @property {string} method
 * @property {string} path
 * @property {string | null} version
 * @property {string} accountId
 * @property {'whatsapp' | 'instagram' | null} channel
 * @property {string | null} to
 * @property {Record<string, any> | null} body
 * @property {Record<string, string>} headers
 * @property {number} status                 HTTP status answered.
 * @property {unknown} response              The answer body.
 * @property {boolean} injected              True when the answer came from failNext or failWhen.
 * @property {boolean} [abandoned]          The client went away while the call was held (see holdSends): not accepted.
 */

/**
 * @typedef {object} RequestRecord  Every HTTP request the sim received.
 * @property {string} at
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {Record<string, string>} headers
 * @property {string} rawBody
 * @property {number} status
 */

/**
 * @typedef {object} MetaErrorInput
 * @property {number} code
 * @property {string} message
 * @property {string} [type]                 Default OAuthException.
 * @property {number} [subcode]              sets error_subcode
 * @property {string} [details]              sets error_data.details
 * @property {boolean} [whatsapp]            Add error_data.messaging_product = whatsapp (default: when details given).
 * @property {boolean} [isTransient]         sets is_transient
 * @property {string} [userTitle]            sets error_user_title
 * @property {string} [userMessage]          sets error_user_msg
 * @property {number} [status]               HTTP status (default 400).
 * @property {Record<string, string>} [headers]
 */

/**
 * @typedef {object} GraphErrorPresets  Each returns a FailSpec for `failNext`.
 * @property {(input: MetaErrorInput) => FailSpec} meta  Any Meta-shaped error.
 * @property {(status?: number) => FailSpec} invalidToken   190, HTTP 401.
 * @property {(status?: number) => FailSpec} expiredToken   190/463, HTTP 401.
 * @property {(status?: number) => FailSpec} throttled      WhatsApp 130429 (throughput reached).
 * @property {(status?: number) => FailSpec} outsideWindow  WhatsApp 131047 (re-engagement, >24 h).
 * @property {(status?: number) => FailSpec} pairRateLimit  WhatsApp 131056 (business/consumer pair rate).
 * @property {(status?: number) => FailSpec} appRateLimit   Graph code 4.
 * @property {(status?: number) => FailSpec} userRateLimit  Graph code 17.
 * @property {(status?: number) => FailSpec} pageRateLimit  Graph code 32.
 * @property {(status?: number) => FailSpec} apiRateLimit   Graph code 613.
 * @property {(retryAfterSeconds?: number) => FailSpec} tooManyRequests  HTTP 429 with Retry-After.
 * @property {(status?: number) => FailSpec} serverError    HTTP 500 (or given 5xx), code 2, transient.
 * @property {(status?: number) => FailSpec} igOutsideWindow Instagram code 10 / 2018278.
 * @property {(details?: string) => FailSpec} invalidParameter WhatsApp 131009.
 * @property {(status?: number) => FailSpec} badGateway     A non-JSON HTML 502 page (as a proxy in front of Graph gives).
 */

/**
 * @typedef {object} GraphSim
 * @property {string} url                    `http://127.0.0.1:<port>`
 * @property {number} port
 * @property {() => Promise<void>} stop
 * @property {SentMessage[]} sent            Accepted sends, in order.
 * @property {AttemptRecord[]} attempts      Every call to a messages endpoint (also the failed ones).
 * @property {RequestRecord[]} requests      Every HTTP request.
 * @property {(userId: string) => SentMessage[]} sentTo  Accepted sends to a WhatsApp number (compared as digits) / IGSID.
 * @property {(n: number, options?: { timeoutMs?: number, intervalMs?: number, to?: string }) => Promise<SentMessage[]>} waitForSends
 *   Resolves with the matching sends once at least n were accepted (optionally to one user); rejects after timeoutMs (default 5000).
 * @property {(spec: FailSpec, count?: number) => void} failNext  Queue `spec` as the answer to the next `count` (default 1) send calls.
 * @property {(rule: FailRule | null) => void} failWhen  A rule asked on every authorised send call (after failNext); its FailSpec is the answer, undefined lets the call through. null removes it.
 * @property {() => SendHold} holdSends  From now on, send calls wait before they are looked at (see SendHold).
 * @property {() => number} pendingFailures
 * @property {GraphErrorPresets} errors
 * @property {(ms: number) => void} setLatency
 * @property {(token: string) => void} addAccessToken
 * @property {(token: string) => void} revokeAccessToken  A revoked token gets the 401/190 answer from then on.
 * @property {WhatsAppNumber[]} whatsappNumbers   Mutable list of known numbers.
 * @property {InstagramAccount[]} instagramAccounts Mutable list of known IG accounts.
 * @property {() => void} reset              Clears sent, attempts, requests and queued failures.
 * @property {(listener: (send: SentMessage) => void) => () => void} onSend  Calls `listener` with every send from
 *   now on, right after it is accepted (the sandbox's chat page streams them); returns the unsubscribe function.
 */

/**
 * @callback FailRule
 * @param {{ channel: 'whatsapp' | 'instagram' | null, to: string | null, accountId: string, body: Record<string, any> | null, attempt: number }} call
 *   `attempt`: how many earlier calls carried the same body to the same account (0 for the first).
 * @returns {FailSpec | undefined}
 */

/**
 * @typedef {object} SendHold  Send calls held before Meta would accept them (a slow network on the way to Meta).
 * @property {() => number} held            Calls waiting now.
 * @property {(n: number, options?: { timeoutMs?: number }) => Promise<void>} waitForHeld  Until at least n calls wait.
 * @property {() => void} release           Lets the waiting calls through and stops holding new ones. A call whose
 *   client went away while held is not accepted: its attempt is recorded with status 0 and `abandoned: true`.
 */

/** @returns {string} */
function fbtraceId() {
	return randomId('A', 23);
}

/**
 * @param {MetaErrorInput} input
 * @returns {FailSpec}
 */
function metaError(input) {
	/** @type {Record<string, unknown>} */
	const error = {
		message: input.message,
		type: input.type ?? 'OAuthException',
		code: input.code,
	};
	if (input.subcode !== undefined) error.error_subcode = input.subcode;
	if (input.isTransient !== undefined) error.is_transient = input.isTransient;
	if (input.userTitle !== undefined) error.error_user_title = input.userTitle;
	if (input.userMessage !== undefined) error.error_user_msg = input.userMessage;
	if (input.details !== undefined || input.whatsapp) {
		/** @type {Record<string, unknown>} */
		const data = {};
		if (input.whatsapp !== false) data.messaging_product = 'whatsapp';
		if (input.details !== undefined) data.details = input.details;
		error.error_data = data;
	}
	error.fbtrace_id = fbtraceId();
	return { status: input.status ?? 400, body: { error }, headers: input.headers ?? {} };
}

/** @type {GraphErrorPresets} */
const errors = {
	meta: metaError,
	invalidToken: (status = 401) =>
		metaError({
			status,
			code: 190,
			message: 'Invalid OAuth access token - Cannot parse access token',
			headers: { 'WWW-Authenticate': 'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"' },
		}),
	expiredToken: (status = 401) =>
		metaError({
			status,
			code: 190,
			subcode: 463,
			message: 'Error validating access token: Session has expired on Thursday, 01-Jan-26 00:00:00 PST. The current time is Friday, 02-Jan-26 00:00:00 PST.',
			headers: { 'WWW-Authenticate': 'OAuth "Facebook Platform" "invalid_token" "Error validating access token: Session has expired"' },
		}),
	throttled: (status = 400) =>
		metaError({ status, code: 130429, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.', isTransient: true }),
	outsideWindow: (status = 400) =>
		metaError({
			status,
			code: 131047,
			message: '(#131047) Re-engagement message',
			details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
		}),
	pairRateLimit: (status = 400) =>
		metaError({
			status,
			code: 131056,
			message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
			details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
			isTransient: true,
		}),
	appRateLimit: (status = 400) =>
		metaError({ status, code: 4, message: '(#4) Application request limit reached', isTransient: true }),
	userRateLimit: (status = 400) =>
		metaError({ status, code: 17, message: '(#17) User request limit reached', isTransient: true }),
	pageRateLimit: (status = 400) =>
		metaError({ status, code: 32, message: '(#32) Page request limit reached', isTransient: true }),
	apiRateLimit: (status = 400) =>
		metaError({ status, code: 613, message: '(#613) Calls to this api have exceeded the rate limit.', isTransient: true }),
	tooManyRequests: (retryAfterSeconds = 1) =>
		metaError({
			status: 429,
			code: 4,
			message: '(#4) Application request limit reached',
			isTransient: true,
			headers: { 'Retry-After': String(retryAfterSeconds) },
		}),
	serverError: (status = 500) =>
		metaError({ status, code: 2, message: 'An unexpected error has occurred. Please retry your request later.', isTransient: true }),
	igOutsideWindow: (status = 400) =>
		metaError({ status, code: 10, subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' }),
	invalidParameter: (details = 'Parameter value is not valid') =>
		metaError({ status: 400, code: 131009, message: '(#131009) Parameter value is not valid', details }),
	badGateway: (status = 502) => ({
		status,
		body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
		headers: { 'Content-Type': 'text/html; charset=utf-8' },
	}),
};

const URL_RE = /https?:\/\/[^\s"'<>]+/g;

/**
 * @param {Record<string, any>} body
 * @param {'whatsapp' | 'instagram'} channel
 * @returns {{ text: string, urls: string[] }}
 */
function describeMessage(body, channel) {
	/** @type {string[]} */
	const texts = [];
	/** @type {string[]} */
	const urls = [];
	if (channel === 'whatsapp') {
		if (body.text && typeof body.text.body === 'string') texts.push(body.text.body);
		const it = body.interactive;
		if (it && typeof it === 'object') {
			if (it.header && typeof it.header.text === 'string') texts.push(it.header.text);
			if (it.body && typeof it.body.text === 'string') texts.push(it.body.text);
			if (it.footer && typeof it.footer.text === 'string') texts.push(it.footer.text);
			const params = it.action && it.action.parameters;
			if (params && typeof params.url === 'string') urls.push(params.url);
			if (params && typeof params.display_text === 'string') texts.push(params.display_text);
			const buttons = it.action && Array.isArray(it.action.buttons) ? it.action.buttons : [];
			for (const b of buttons) if (b && b.reply && typeof b.reply.title === 'string') texts.push(b.reply.title);
		}
		if (body.template && typeof body.template.name === 'string') {
			texts.push(`[template ${body.template.name}]`);
			const comps = Array.isArray(body.template.components) ? body.template.components : [];
			for (const c of comps) {
				for (const p of Array.isArray(c && c.parameters) ? c.parameters : []) {
					if (p && typeof p.text === 'string') texts.push(p.text);
				}
			}
		}
		for (const kind of ['image', 'document', 'video', 'audio']) {
			const media = body[kind];
			if (media && typeof media.caption === 'string') texts.push(media.caption);
		}
	} else {
		const m = body.message;
		if (m && typeof m === 'object') {
			if (typeof m.text === 'string') texts.push(m.text);
			const payload = m.attachment && m.attachment.payload;
			if (payload && typeof payload.text === 'string') texts.push(payload.text);
			const buttons = payload && Array.isArray(payload.buttons) ? payload.buttons : [];
			for (const b of buttons) {
				if (b && typeof b.title === 'string') texts.push(b.title);
				if (b && typeof b.url === 'string') urls.push(b.url);
			}
			const elements = payload && Array.isArray(payload.elements) ? payload.elements : [];
			for (const el of elements) {
				if (el && typeof el.title === 'string') texts.push(el.title);
				if (el && typeof el.subtitle === 'string') texts.push(el.subtitle);
				for (const b of Array.isArray(el && el.buttons) ? el.buttons : []) {
					if (b && typeof b.url === 'string') urls.push(b.url);
				}
			}
		}
	}
	const text = texts.join('\n');
	for (const u of text.match(URL_RE) ?? []) if (!urls.includes(u)) urls.push(u);
	return { text, urls };
}

/**
 * Validation close to what the Cloud API enforces; returns a FailSpec for the first problem, or null.
 * @param {Record<string, any>} body
 * @returns {FailSpec | null}
 */
function validateWhatsApp(body) {
	/** @param {string} details */
	const missing = (details) => metaError({ code: 131008, message: '(#131008) Required parameter is missing', details });
	/** @param {string} details */
	const invalid = (details) => metaError({ code: 131009, message: '(#131009) Parameter value is not valid', details });
	if (body.messaging_product !== 'whatsapp') {
		return metaError({ code: 100, message: '(#100) The parameter messaging_product is required.' });
	}
	if (body.status === 'read') {
		if (typeof body.message_id !== 'string' || !body.message_id) return missing('message_id is required');
		return null;
	}
	if (typeof body.to !== 'string' || !body.to.trim()) {
		return metaError({ code: 100, message: '(#100) The parameter to is required.' });
	}
	const type = body.type ?? 'text';
	if (type === 'text') {
		if (!body.text || typeof body.text.body !== 'string' || body.text.body.length === 0) return missing('text.body is required');
		if (body.text.body.length > 4096) return invalid('text.body must be at most 4096 characters');
	} else if (type === 'interactive') {
		const it = body.interactive;
		if (!it || typeof it !== 'object') return missing('interactive is required');
		const kinds = ['button', 'list', 'cta_url', 'product', 'product_list', 'flow', 'location_request_message', 'address_message', 'call_permission_request'];
		if (!kinds.includes(it.type)) return invalid(`interactive.type must be one of ${kinds.join(', ')}`);
		if (it.type !== 'product' && (!it.body || typeof it.body.text !== 'string' || !it.body.text)) return missing('interactive.body.text is required');
		if (it.body && typeof it.body.text === 'string' && it.body.text.length > 1024) return invalid('interactive.body.text must be at most 1024 characters');
		if (it.footer && typeof it.footer.text === 'string' && it.footer.text.length > 60) return invalid('interactive.footer.text must be at most 60 characters');
		if (it.type === 'cta_url') {
			const a = it.action;
			if (!a || a.name !== 'cta_url' || !a.parameters) return missing('interactive.action.name "cta_url" with parameters is required');
			const p = a.parameters;
			if (typeof p.display_text !== 'string' || !p.display_text) return missing('interactive.action.parameters.display_text is required');
			if (p.display_text.length > 20) return invalid('interactive.action.parameters.display_text must be at most 20 characters');
			if (typeof p.url !== 'string' || !/^https?:\/\//i.test(p.url)) return invalid('interactive.action.parameters.url must be an http(s) URL');
		}
		if (it.type === 'button') {
			const buttons = it.action && it.action.buttons;
			if (!Array.isArray(buttons) || buttons.length < 1) return missing('interactive.action.buttons is required');
			if (buttons.length > 3) return invalid('interactive.action.buttons must have at most 3 buttons');
			for (const b of buttons) {
				if (!b || b.type !== 'reply' || !b.reply || typeof b.reply.id !== 'string' || typeof b.reply.title !== 'string') {
					return missing('each button needs type "reply" and reply.id / reply.title');
				}
				if (b.reply.title.length > 20) return invalid('button reply.title must be at most 20 characters');
				if (b.reply.id.length > 256) return invalid('button reply.id must be at most 256 characters');
			}
		}
	} else if (type === 'template') {
		const t = body.template;
		if (!t || typeof t.name !== 'string' || !t.name) return missing('template.name is required');
		if (!t.language || typeof t.language.code !== 'string') return missing('template.language.code is required');
	} else if (!['image', 'document', 'video', 'audio', 'sticker', 'location', 'contacts', 'reaction'].includes(type)) {
		return invalid(`Unsupported message type ${type}`);
	}
	if (body.context !== undefined && (!body.context || typeof body.context.message_id !== 'string')) {
		return invalid('context.message_id must be a string');
	}
	return null;
}

/**
 * @param {Record<string, any>} body
 * @returns {FailSpec | null}
 */
function validateInstagram(body) {
	/** @param {string} message @param {number} [subcode] */
	const bad = (message, subcode) => metaError({ code: 100, message, subcode });
	if (!body.recipient || typeof body.recipient !== 'object' || (!body.recipient.id && !body.recipient.comment_id)) {
		return bad('(#100) The parameter recipient is required');
	}
	if (body.sender_action !== undefined) {
		if (!['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'].includes(body.sender_action)) {
			return bad('(#100) Param sender_action must be one of {typing_on, typing_off, mark_seen, react, unreact}');
		}
		return null;
	}
	const m = body.message;
	if (!m || typeof m !== 'object') return bad('(#100) The parameter message is required');
	if (m.text === undefined && m.attachment === undefined) return bad('(#100) Must send either message text or an attachment', 2018034);
	if (m.text !== undefined) {
		if (typeof m.text !== 'string' || !m.text) return bad('(#100) Param message[text] must be a non-empty UTF-8 encoded string');
		if (m.text.length > 1000) return bad('(#100) Length of param message[text] must be less than or equal to 1000');
	}
	const payload = m.attachment && m.attachment.payload;
	if (m.attachment && m.attachment.type === 'template' && payload) {
		if (payload.template_type === 'button') {
			if (typeof payload.text !== 'string' || !payload.text) return bad('(#100) Param message[attachment][payload][text] must be a non-empty string');
			if (payload.text.length > 640) return bad('(#100) Length of param message[attachment][payload][text] must be less than or equal to 640');
			if (!Array.isArray(payload.buttons) || payload.buttons.length < 1 || payload.buttons.length > 3) {
				return bad('(#100) param message[attachment][payload][buttons] must have between 1 and 3 elements');
			}
			for (const b of payload.buttons) {
				if (!b || typeof b.title !== 'string' || !b.title) return bad('(#100) Button title is required');
				if (b.title.length > 20) return bad('(#100) Length of button title must be less than or equal to 20');
				if (b.type === 'web_url' && (typeof b.url !== 'string' || !/^https?:\/\//i.test(b.url))) {
					return bad('(#100) Param message[attachment][payload][buttons][0][url] must be a valid URL');
				}
			}
		}
	}
	if (m.quick_replies !== undefined) {
		if (!Array.isArray(m.quick_replies) || m.quick_replies.length > 13) return bad('(#100) param message[quick_replies] must have at most 13 elements');
		for (const q of m.quick_replies) {
			if (q && typeof q.title === 'string' && q.title.length > 20) return bad('(#100) Length of quick reply title must be less than or equal to 20');
		}
	}
	return null;
}

/**
 * Parses a Graph request body: JSON, or form-encoded with JSON-encoded values.
 * @param {string} raw
 * @param {string} contentType
 * @returns {Record<string, any> | null}
 */
function parseGraphBody(raw, contentType) {
	if (!raw.trim()) return {};
	if (/json/i.test(contentType) || /^\s*[{[]/.test(raw)) {
		try {
			const parsed = JSON.parse(raw);
			return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
		} catch {
			return null;
		}
	}
	/** @type {Record<string, any>} */
	const out = {};
	for (const [k, v] of new URLSearchParams(raw)) {
		if (/^\s*[{[]/.test(v)) {
			try {
				out[k] = JSON.parse(v);
				continue;
			} catch {
				/* keep as string */
			}
		}
		out[k] = v;
	}
	return out;
}

/**
 * A send is to `userId` when `to` is equal, or (WhatsApp) equal once reduced to digits ('+49 151…' = '49151…').
 * @param {{ channel: string, to: string | null }} send
 * @param {string} userId
 */
function sameUser(send, userId) {
	const id = String(userId);
	if (send.to === id) return true;
	if (send.channel !== 'whatsapp' || send.to === null) return false;
	const digits = id.replace(/[^\d]/g, '');
	return digits.length > 0 && send.to.replace(/[^\d]/g, '') === digits;
}

/**
 * Starts the Graph API simulator on 127.0.0.1.
 * @param {GraphSimOptions} options
 * @returns {Promise<GraphSim>}
 */
async function startGraphSim(options) {
	if (!options || !Array.isArray(options.accessTokens)) throw new Error('startGraphSim: accessTokens (string[]) is required');
	const tokens = new Set(options.accessTokens);
	const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
	let latencyMs = options.latencyMs ?? 0;
	/** @type {WhatsAppNumber[]} */
	const whatsappNumbers = (options.whatsappNumbers ?? [
		{ id: '100000000000001', display_phone_number: '+1 555-010-0001', verified_name: 'Sandbox Shop', quality_rating: 'GREEN' },
	]).map((n) => ({ ...n }));
	/** @type {InstagramAccount[]} */
	const instagramAccounts = (options.instagramAccounts ?? [
		{ id: '17841400000000001', username: 'sandbox_shop', user_id: '17841400000000001', name: 'Sandbox Shop' },
	]).map((a) => ({ ...a }));

	/** @type {SentMessage[]} */
	const sent = [];
	/** @type {AttemptRecord[]} */
	const attempts = [];
	/** @type {RequestRecord[]} */
	const requests = [];
	/** @type {FailSpec[]} */
	const failures = [];
	/** @type {FailRule | null} */
	let failRule = null;
	/** @type {Map<string, number>} identical send calls seen so far, for FailRule's `attempt` */
	const callCounts = new Map();
	/** @type {{ gate: Promise<void>, open: () => void, held: number } | null} */
	let hold = null;
	/** @type {Set<(send: SentMessage) => void>} */
	const sendListeners = new Set();

	/**
	 * @param {import('node:http').ServerResponse} res
	 * @param {FailSpec} spec
	 */
	async function answer(res, spec) {
		const delay = (spec.delayMs ?? 0) + latencyMs;
		if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
		const headers = {
			'x-fb-trace-id': fbtraceId(),
			'x-fb-request-id': randomId('A', 23),
			'facebook-api-version': apiVersion,
			...(spec.headers ?? {}),
		};
		let body = spec.body;
		if (body === undefined) {
			body = metaError({ code: spec.status >= 500 ? 2 : 1, message: spec.status >= 500 ? 'An unexpected error has occurred. Please retry your request later.' : 'An unknown error has occurred.' }).body;
		}
		if (typeof body === 'string') {
			res.writeHead(spec.status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
			res.end(body);
		} else {
			sendJson(res, spec.status, body, headers);
		}
	}

	/** @param {string} id */
	const findNumber = (id) => whatsappNumbers.find((n) => n.id === id);
	/** @param {string} id */
	const findIg = (id) => (id === 'me' ? instagramAccounts[0] : instagramAccounts.find((a) => a.id === id || a.user_id === id));

	/** @param {string} id @param {'get' | 'post'} verb */
	const unknownObject = (id, verb) =>
		metaError({
			code: 100,
			subcode: 33,
			type: 'GraphMethodException',
			message: `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
		});

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function handle(req, res) {
		const rawBody = await readBody(req);
		const u = new URL(req.url ?? '/', 'http://127.0.0.1');
		const headers = plainHeaders(req.headers);
		const query = Object.fromEntries(u.searchParams);
		const method = (req.method ?? 'GET').toUpperCase();
		/** @type {RequestRecord} */
		const record = { at: new Date().toISOString(), method, path: u.pathname, query, headers, rawBody, status: 0 };
		requests.push(record);
		res.on('finish', () => {
			record.status = res.statusCode;
		});

		const segs = u.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
		/** @type {string | null} */
		let version = null;
		if (segs.length && /^v\d+(\.\d+)?$/.test(segs[0])) version = /** @type {string} */ (segs.shift());

		const body = method === 'POST' ? parseGraphBody(rawBody, headers['content-type'] ?? '') : {};
		const auth = headers.authorization ?? '';
		const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth.trim());
		const token = m ? m[1].trim() : (query.access_token ?? (body && typeof body.access_token === 'string' ? body.access_token : ''));
		const tokenOk = Boolean(token) && tokens.has(token);

		const isSend = method === 'POST' && segs.length === 2 && segs[1] === 'messages';
		if (isSend) {
			const accountId = segs[0];
			/** @type {'whatsapp' | 'instagram' | null} */
			let channel = null;
			if (body && body.messaging_product !== undefined) channel = 'whatsapp';
			else if (body && (body.recipient !== undefined || accountId === 'me')) channel = 'instagram';
			/** @type {string | null} */
			let to = null;
			if (body && channel === 'whatsapp' && typeof body.to === 'string') to = body.to;
			if (body && channel === 'instagram' && body.recipient && body.recipient.id !== undefined) to = String(body.recipient.id);
			/** @type {AttemptRecord} */
			const attempt = {
				at: record.at,
				method,
				path: u.pathname,
				version,
				accountId,
				channel,
				to,
				body,
				headers,
				status: 0,
				response: null,
				injected: false,
			};
			attempts.push(attempt);
			/** @param {FailSpec} spec @param {boolean} injected */
			const finish = async (spec, injected) => {
				attempt.status = spec.status;
				attempt.response = spec.body;
				attempt.injected = injected;
				await answer(res, spec);
			};

			if (!tokenOk) {
				const spec = token ? errors.invalidToken() : metaError({ status: 401, code: 190, message: 'An active access token must be used to query information about the current user.' });
				return finish(spec, false);
			}
			if (hold) {
				const current = hold;
				current.held += 1;
				// Before the answer, 'close' on the response means the client's connection went away.
				let clientGone = false;
				const gone = new Promise((resolve) => res.once('close', () => {
					clientGone = true;
					resolve(undefined);
				}));
				await Promise.race([current.gate, gone]);
				current.held -= 1;
				if (clientGone || !res.socket || res.socket.destroyed || res.socket.readableEnded) {
					attempt.abandoned = true;
					return undefined;
				}
			}
			const injected = failures.shift();
			if (injected) return finish(injected, true);
			const callKey = `${accountId}\u0000${rawBody}`;
			const earlier = callCounts.get(callKey) ?? 0;
			callCounts.set(callKey, earlier + 1);
			const ruled = failRule ? failRule({ channel, to, accountId, body, attempt: earlier }) : undefined;
			if (ruled) return finish(ruled, true);
			if (!body) return finish(metaError({ code: 100, message: '(#100) Request body is not valid JSON' }), false);
			if (!channel) return finish(metaError({ code: 100, message: '(#100) The parameter messaging_product is required.' }), false);

			if (channel === 'whatsapp') {
				if (accountId === 'me' || (!findNumber(accountId) && !options.acceptUnknownAccounts)) {
					return finish(unknownObject(accountId, 'post'), false);
				}
				const problem = validateWhatsApp(body);
				if (problem) return finish(problem, false);
			} else {
				if (!findIg(accountId) && !options.acceptUnknownAccounts) return finish(unknownObject(accountId, 'post'), false);
				const problem = validateInstagram(body);
				if (problem) return finish(problem, false);
			}

			/** @type {Record<string, any>} */
			let response;
			/** @type {string | null} */
			let messageId = null;
			if (channel === 'whatsapp') {
				if (body.status === 'read' || body.status === 'typing') {
					response = { success: true };
				} else {
					messageId = randomId('wamid.SIM', 40);
					const toStr = String(body.to);
					/** @type {Record<string, unknown>} */
					const msg = { id: messageId };
					if (body.type === 'template') msg.message_status = 'accepted';
					response = { messaging_product: 'whatsapp', contacts: [{ input: toStr, wa_id: toStr.replace(/[^\d]/g, '') || toStr }], messages: [msg] };
				}
			} else if (body.sender_action !== undefined) {
				response = { recipient_id: to };
			} else {
				messageId = randomId('m_SIM', 60);
				response = { recipient_id: to, message_id: messageId };
			}
			const { text, urls } = describeMessage(body, channel);
			/** @type {SentMessage} */
			const accepted = {
				at: record.at,
				method,
				path: u.pathname,
				version,
				accountId,
				channel,
				to,
				body,
				headers,
				messageId,
				text,
				urls,
				response,
			};
			sent.push(accepted);
			for (const listener of sendListeners) {
				try {
					listener(accepted);
				} catch {
					/* a listener's failure is its own; the send was accepted */
				}
			}
			return finish({ status: 200, body: response }, false);
		}

		if (method === 'GET' && segs.length === 1) {
			if (!tokenOk) return answer(res, token ? errors.invalidToken() : metaError({ status: 401, code: 190, message: 'An active access token must be used to query information about the current user.' }));
			const id = segs[0];
			const fields = query.fields ? query.fields.split(',').map((f) => f.trim()).filter(Boolean) : null;
			/** @type {Record<string, unknown> | null} */
			let node = null;
			const number = findNumber(id);
			if (number) {
				node = {
					verified_name: number.verified_name ?? 'Sandbox Shop',
					code_verification_status: 'VERIFIED',
					display_phone_number: number.display_phone_number ?? '+1 555-010-0001',
					quality_rating: number.quality_rating ?? 'GREEN',
					platform_type: 'CLOUD_API',
					throughput: { level: 'STANDARD' },
					id: number.id,
				};
			} else {
				const ig = findIg(id);
				if (ig) {
					node = {
						id: ig.id,
						username: ig.username ?? 'sandbox_shop',
						user_id: ig.user_id ?? ig.id,
						name: ig.name ?? 'Sandbox Shop',
					};
				}
			}
			if (!node) return answer(res, unknownObject(id, 'get'));
			if (fields) {
				/** @type {Record<string, unknown>} */
				const picked = {};
				for (const f of fields) if (f in node) picked[f] = node[f];
				picked.id = node.id;
				node = picked;
			}
			return answer(res, { status: 200, body: node });
		}

		return answer(
			res,
			metaError({ code: 2500, message: `Unknown path components: ${u.pathname}` }),
		);
	}

	const listening = await listenLoopback(handle, options.port ?? 0);

	/** @type {GraphSim} */
	const sim = {
		url: listening.url,
		port: listening.port,
		stop: listening.stop,
		sent,
		attempts,
		requests,
		sentTo: (userId) => sent.filter((s) => sameUser(s, userId)),
		waitForSends: async (n, opts = {}) => {
			const pick = () => (opts.to === undefined ? sent.slice() : sent.filter((s) => sameUser(s, /** @type {string} */ (opts.to))));
			await waitUntil(() => pick().length >= n, {
				timeoutMs: opts.timeoutMs ?? 5000,
				intervalMs: opts.intervalMs ?? 20,
				describe: () =>
					`expected ${n} accepted send(s)${opts.to !== undefined ? ` to ${opts.to}` : ''}, got ${pick().length}; attempts: ${JSON.stringify(
						attempts.map((a) => ({ status: a.status, channel: a.channel, to: a.to, response: a.response })),
					)}`,
			});
			return pick();
		},
		failNext: (spec, count = 1) => {
			if (!spec || typeof spec.status !== 'number') throw new Error('failNext: { status } is required');
			for (let i = 0; i < count; i++) failures.push(spec);
		},
		pendingFailures: () => failures.length,
		failWhen: (rule) => {
			failRule = rule;
		},
		holdSends: () => {
			/** @type {() => void} */
			let open = () => {};
			const gate = new Promise((resolve) => {
				open = () => resolve(undefined);
			});
			const current = { gate, open, held: 0 };
			hold = current;
			return {
				held: () => current.held,
				waitForHeld: (n, o = {}) => waitUntil(() => current.held >= n, { timeoutMs: o.timeoutMs ?? 30_000, intervalMs: 20, describe: () => `expected ${n} held send call(s), got ${current.held}` }),
				release: () => {
					if (hold === current) hold = null;
					current.open();
				},
			};
		},
		errors,
		setLatency: (ms) => {
			latencyMs = ms;
		},
		addAccessToken: (t) => {
			tokens.add(t);
		},
		revokeAccessToken: (t) => {
			tokens.delete(t);
		},
		whatsappNumbers,
		instagramAccounts,
		onSend: (listener) => {
			sendListeners.add(listener);
			return () => {
				sendListeners.delete(listener);
			};
		},
		reset: () => {
			sent.length = 0;
			attempts.length = 0;
			requests.length = 0;
			failures.length = 0;
			failRule = null;
			callCounts.clear();
			if (hold) hold.open();
			hold = null;
		},
	};
	return sim;
}

module.exports = { startGraphSim, graphErrors: errors, DEFAULT_API_VERSION };
