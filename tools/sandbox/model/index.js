// @ts-check
'use strict';
/**
 * OpenAI-compatible chat model for the sandbox: it plays the model behind the pack's "Read Chat Order" node.
 *
 *   const sim = await startLlmSim({ apiKey: 'sk-sim' });
 *   // n8n OpenAI credential: API key 'sk-sim', Base URL sim.baseURL (= `${sim.url}/v1`)
 *
 * It reads `<today>`, `<catalog>` and `<order_so_far>` from the system message and the customer's text from the
 * last user message, and answers like a well-behaved model: one JSON object, as plain content, every field present
 *   {"intent":"order","productKey":"deluxe-room","quantity":2,"nights":null,"checkIn":"2027-06-20","checkOut":"2027-06-23","email":null}
 * What it understands (phrasings, choices) is in read-chat-order.js; there is no keyword list: a product added to the
 * catalog in the prompt is understood by its key or name.
 *
 * Endpoints: POST /v1/chat/completions, POST /v1/responses (the system message is then `instructions` or an input
 * item with role system/developer), GET /v1/models, GET /v1/models/:id — each also without the /v1 prefix.
 * Other request shapes, kept because they are cheap:
 *  - tools given (function calling) → one tool call of the chosen or first tool, the answer shaped to its
 *    JSON-schema parameters; response_format / text.format json_schema → content shaped to that schema;
 *  - after a tool result (role tool / function_call_output) it answers with content, so agent loops end;
 *  - stream: true → SSE chunks (+ `data: [DONE]` for chat completions; typed events for the Responses API).
 *
 * Gullible mode (opt-in: `startLlmSim({ gullible: true })` or `sim.setGullible(true)`; off by default) plays a
 * prompt-injected model for fault tests: it obeys what the customer's message tells it (see readInjections) and
 * puts that into its answer unchecked, answer fields as given (negative or fractional numbers too) and
 * fields the protocol does not have (unitAmount, price, currency…) next to them.
 */
const { listenLoopback, readBody, sendJson, randomId, plainHeaders } = require('../http');
const { readPromptContext, readChatOrder } = require('./orderReading');

/** @typedef {import('./orderReading').ChatOrderAnswer} ChatOrderAnswer */
/** @typedef {import('./orderReading').PromptContext} PromptContext */

/**
 * @typedef {object} LlmFailSpec
 * @property {number} status
 * @property {unknown} [body]                Default: an OpenAI error for the status.
 * @property {Record<string, string>} [headers]
 * @property {number} [delayMs]
 */

/**
 * @typedef {object} LlmRequestRecord
 * @property {string} at
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} headers
 * @property {Record<string, any> | null} body  Parsed JSON body.
 * @property {'chat' | 'responses' | 'models' | 'other'} api
 * @property {boolean} stream
 * @property {string | null} lastUserText    The customer's text: the last user message.
 * @property {PromptContext | null} context  What the model read from the system message.
 * @property {ChatOrderAnswer | null} reading  What the model understood (before a queued reply or injections).
 * @property {{ mode: 'tool_call' | 'content' | 'function_call', toolName?: string, text?: string, arguments?: Record<string, any> } | null} answer  What it sent.
 * @property {Record<string, unknown> | null} injected  Gullible mode: what the message made the model put into its answer.
 * @property {number} status
 */

/**
 * @typedef {object} LlmSimOptions
 * @property {string} [apiKey]               Required Bearer key (omit: any key, or none, is accepted).
 * @property {Date | number | (() => Date | number)} [now]  "Today" (UTC) when a prompt has no `<today>`; default the real clock.
 * @property {string[]} [models]             Listed by GET /v1/models (default gpt-4o-mini, gpt-4.1-mini, gpt-5-mini).
 * @property {number} [port]
 * @property {boolean} [gullible]            Start in gullible mode (default false: a well-behaved model).
 */

/**
 * @typedef {object} LlmSim
 * @property {string} url                    `http://127.0.0.1:<port>`
 * @property {string} baseURL                `${url}/v1` — what an OpenAI credential's Base URL should be.
 * @property {number} port
 * @property {() => Promise<void>} stop
 * @property {LlmRequestRecord[]} requests
 * @property {(now: Date | number | (() => Date | number)) => void} setNow  "Today" for prompts without `<today>`.
 * @property {(reply: string | Record<string, unknown>) => void} nextReply  Queue an answer for the next completion:
 *   a string is sent as content verbatim (broken JSON, fences, prose); an object is sent instead of the computed
 *   answer, as it is (missing fields stay missing; no gullible injections).
 * @property {(spec: LlmFailSpec, count?: number) => void} failNext
 * @property {() => void} clearFailures  Drops queued failures nobody consumed.
 * @property {(on: boolean) => void} setGullible  Gullible mode on/off: obey instructions in the customer's message.
 * @property {() => void} reset              Clears requests, queued replies and failures (the mode stays).
 */

/**
 * @param {Date | number | (() => Date | number) | undefined} now
 * @returns {Date}
 */
function resolveNow(now) {
	const v = typeof now === 'function' ? now() : now;
	if (v === undefined) return new Date();
	return v instanceof Date ? v : new Date(v);
}

/**
 * "Today" for a prompt without `<today>`.
 * @param {Date | number | (() => Date | number) | undefined} now
 * @returns {string} YYYY-MM-DD (UTC)
 */
function todayOf(now) {
	const v = typeof now === 'function' ? now() : now;
	const date = v === undefined ? new Date() : v instanceof Date ? v : new Date(v);
	return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Shaping the answer to a JSON schema (tools, response_format): properties are matched to answer fields by name

/** @type {Record<keyof ChatOrderAnswer, string[]>} */
const FIELD_ALIASES = {
	intent: ['intent', 'intention', 'kind', 'category'],
	productKey: ['productkey', 'product', 'productid', 'productcode', 'productsku', 'productlookupkey', 'sku', 'item', 'itemkey', 'pricekey', 'lookupkey', 'offer', 'roomtype'],
	quantity: ['quantity', 'qty', 'count', 'units', 'numberofunits', 'numberofrooms', 'roomcount', 'rooms', 'seats', 'numberofitems'],
	checkIn: ['checkin', 'checkindate', 'startdate', 'start', 'arrival', 'arrivaldate', 'from', 'fromdate', 'datefrom'],
	checkOut: ['checkout', 'checkoutdate', 'enddate', 'end', 'departure', 'departuredate', 'to', 'todate', 'dateto'],
	nights: ['nights', 'numberofnights', 'nightcount', 'nightscount', 'lengthofstay'],
	email: ['email', 'emailaddress', 'customeremail', 'contactemail', 'mail'],
};

/**
 * @param {string} name
 * @returns {keyof ChatOrderAnswer | null}
 */
function fieldFor(name) {
	const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
	for (const [field, aliases] of Object.entries(FIELD_ALIASES)) {
		if (aliases.includes(n)) return /** @type {keyof ChatOrderAnswer} */ (field);
	}
	return null;
}

/**
 * @param {any} schema
 * @param {any} root
 * @returns {any}
 */
function deref(schema, root) {
	let s = schema;
	for (let i = 0; i < 10 && s && typeof s === 'object' && typeof s.$ref === 'string'; i++) {
		const path = s.$ref.replace(/^#\/?/, '').split('/').filter(Boolean);
		let target = root;
		for (const p of path) target = target && typeof target === 'object' ? target[p.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
		if (!target) break;
		s = target;
	}
	return s;
}

/**
 * @param {any} schema
 * @returns {string[]}
 */
function typesOf(schema) {
	if (!schema || typeof schema !== 'object') return [];
	/** @type {string[]} */
	const out = [];
	if (typeof schema.type === 'string') out.push(schema.type);
	if (Array.isArray(schema.type)) out.push(...schema.type);
	for (const k of ['anyOf', 'oneOf']) {
		if (Array.isArray(schema[k])) for (const sub of schema[k]) out.push(...typesOf(sub));
	}
	if (schema.nullable === true) out.push('null');
	if (!out.length && schema.properties) out.push('object');
	if (!out.length && Array.isArray(schema.enum)) out.push(typeof schema.enum[0] === 'number' ? 'number' : 'string');
	return out;
}

/**
 * @param {any} schema
 * @param {any} root
 * @returns {any | null} the object-typed branch of a schema
 */
function objectBranch(schema, root) {
	const s = deref(schema, root);
	if (!s || typeof s !== 'object') return null;
	if (s.properties && typeof s.properties === 'object') return s;
	for (const k of ['anyOf', 'oneOf', 'allOf']) {
		if (Array.isArray(s[k])) {
			for (const sub of s[k]) {
				const b = objectBranch(sub, root);
				if (b) return b;
			}
		}
	}
	return null;
}

/**
 * @param {any} schema
 * @returns {unknown}
 */
function emptyValueFor(schema) {
	const types = typesOf(schema);
	if (types.includes('null')) return null;
	const t = types[0];
	if (t === 'number' || t === 'integer') return 0;
	if (t === 'boolean') return false;
	if (t === 'array') return [];
	if (t === 'object') return {};
	return '';
}

/**
 * @param {unknown} value
 * @param {any} schema
 * @returns {unknown} undefined when the value should be left out
 */
function coerce(value, schema) {
	const types = typesOf(schema);
	if (value === null || value === undefined) return types.includes('null') ? null : undefined;
	const t = types.find((x) => x !== 'null');
	/** @type {unknown} */
	let v = value;
	if (t === 'number' || t === 'integer') {
		const n = Number(v);
		if (!Number.isFinite(n)) return types.includes('null') ? null : undefined;
		v = t === 'integer' ? Math.round(n) : n;
	} else if (t === 'string') {
		v = String(v);
	} else if (t === 'boolean') {
		v = Boolean(v);
	} else if (t === 'array') {
		v = [v];
	}
	/** @type {unknown[] | undefined} */
	const en = Array.isArray(schema?.enum) ? schema.enum : undefined;
	if (en && !en.includes(v)) {
		const hit = en.find((e) => String(e).toLowerCase() === String(v).toLowerCase());
		if (hit !== undefined) v = hit;
		else if (types.includes('null')) v = null;
	}
	return v;
}

/**
 * Fills the properties of an object schema whose names match answer fields; recurses into nested objects
 * (so `{ output: {...} }` and n8n's `__structured__output` wrappers are filled too).
 * @param {Record<string, unknown>} answer
 * @param {any} schema
 * @param {any} [root]
 * @returns {Record<string, unknown>}
 */
function shapeToSchema(answer, schema, root = schema) {
	const s = objectBranch(schema, root);
	if (!s) return { ...answer };
	/** @type {string[]} */
	const required = Array.isArray(s.required) ? s.required : [];
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [name, raw] of Object.entries(s.properties)) {
		const prop = deref(raw, root);
		const field = fieldFor(name);
		if (field) {
			const v = coerce(answer[field], prop);
			if (v !== undefined) out[name] = v;
			else if (required.includes(name)) out[name] = emptyValueFor(prop);
			continue;
		}
		const nested = objectBranch(prop, root);
		if (nested) {
			const inner = shapeToSchema(answer, nested, root);
			if (Object.keys(inner).length > 0 || required.includes(name)) out[name] = inner;
			continue;
		}
		const itemsObj = prop && typesOf(prop).includes('array') ? objectBranch(prop.items, root) : null;
		if (itemsObj && required.includes(name)) {
			out[name] = [shapeToSchema(answer, itemsObj, root)];
			continue;
		}
		if (required.includes(name)) out[name] = emptyValueFor(prop);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Gullible mode: a prompt-injected model

/**
 * JSON objects in a message, outermost only, in order (a JSON-schema-looking object is not an instruction).
 * @param {string} text
 * @returns {Record<string, unknown>[]}
 */
function embeddedJsonObjects(text) {
	/** @type {Record<string, unknown>[]} */
	const found = [];
	let i = text.indexOf('{');
	while (i !== -1) {
		let depth = 0;
		let inString = false;
		let end = -1;
		for (let j = i; j < text.length; j++) {
			const c = text[j];
			if (inString) {
				if (c === '\\') j++;
				else if (c === '"') inString = false;
			} else if (c === '"') {
				inString = true;
			} else if (c === '{') {
				depth++;
			} else if (c === '}' && --depth === 0) {
				end = j;
				break;
			}
		}
		if (end === -1) break;
		let parsed;
		try {
			parsed = JSON.parse(text.slice(i, end + 1));
		} catch {
			parsed = undefined;
		}
		const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
		if (isObject && !('properties' in parsed) && !('$schema' in parsed) && parsed.type !== 'object') {
			found.push(/** @type {Record<string, unknown>} */ (parsed));
			i = text.indexOf('{', end + 1);
		} else {
			i = text.indexOf('{', i + 1);
		}
	}
	return found;
}

const MONEY = '(?:[$€£¥]\\s*)?(\\d+(?:\\.\\d+)?)';
const PRICE_PATTERNS = [
	new RegExp(`\\bmake\\s+it\\s+(?:for\\s+)?(?:only\\s+|just\\s+)?${MONEY}`, 'i'),
	new RegExp(`\\b(?:price|cost|amount|total|charge)\\s*(?:is|=|:|to|of|at|should\\s+be|will\\s+be)?\\s*(?:only\\s+|just\\s+)?${MONEY}`, 'i'),
	new RegExp(`\\bfor\\s+(?:only\\s+|just\\s+)?[$€£¥]\\s*(\\d+(?:\\.\\d+)?)`, 'i'),
];
const CURRENCY_PATTERNS = [
	/\bcurrency\s*(?:is|=|:|to|in)?\s*([a-z]{3})\b/i,
	/\b(?:charge|bill|pay|invoice|price)\s+(?:me\s+|it\s+)?in\s+([a-z]{3})\b/i,
];

/**
 * What a prompt-injected model takes from a customer's message as instructions, beyond the order itself:
 * - a price ("make it $0.01", "the price is 0", "for only $5", "make it free") → `price` (major units) and
 *   `unitAmount` / `amount` (minor units);
 * - "quantity -3" / "qty 2.5" → `quantity` as written (negative or fractional); "0.5 nights" → `nights`;
 * - "currency jpy" / "charge me in eur" → `currency`;
 * - every JSON object embedded in the message, merged last (so its productKey, quantity… win), keys as given.
 * @param {string} text
 * @returns {Record<string, unknown>}
 */
function readInjections(text) {
	const src = String(text ?? '');
	/** @type {Record<string, unknown>} */
	const out = {};
	if (/\b(?:make\s+it|for)\s+free\b/i.test(src)) Object.assign(out, { price: 0, unitAmount: 0, amount: 0 });
	for (const re of PRICE_PATTERNS) {
		const m = re.exec(src);
		if (!m) continue;
		const price = Number(m[1]);
		Object.assign(out, { price, unitAmount: Math.round(price * 100), amount: Math.round(price * 100) });
		break;
	}
	const qty = /\b(?:quantity|qty)\s*(?:of|:|=|is|to)?\s*(-?\d+(?:\.\d+)?)/i.exec(src);
	if (qty) out.quantity = Number(qty[1]);
	const nights = /(?<![\d.])(-?\d+(?:\.\d+)?)\s+nights?\b/i.exec(src);
	if (nights) out.nights = Number(nights[1]);
	for (const re of CURRENCY_PATTERNS) {
		const m = re.exec(src);
		if (m) {
			out.currency = m[1].toLowerCase();
			break;
		}
	}
	for (const object of embeddedJsonObjects(src)) Object.assign(out, object);
	return out;
}

/**
 * The object of an answer that carries the order fields (the answer itself, or a wrapper's inner object).
 * @param {Record<string, unknown>} value
 * @returns {Record<string, unknown>}
 */
function orderObjectIn(value) {
	/** @type {unknown[]} */
	const queue = [value];
	while (queue.length) {
		const v = queue.shift();
		if (!v || typeof v !== 'object') continue;
		if (Array.isArray(v)) {
			queue.push(...v);
			continue;
		}
		const obj = /** @type {Record<string, unknown>} */ (v);
		if (Object.keys(obj).some((k) => fieldFor(k) !== null)) return obj;
		queue.push(...Object.values(obj));
	}
	return value;
}

/**
 * Puts injected fields into an answer as given: onto the answer's own name for an order field (productKey,
 * qty…), else under the injected name. No coercion, no schema check: that is what makes it an attack.
 * @param {Record<string, unknown>} answer
 * @param {Record<string, unknown>} injected
 * @returns {Record<string, unknown>}
 */
function applyInjections(answer, injected) {
	const target = orderObjectIn(answer);
	for (const [key, value] of Object.entries(injected)) {
		const field = fieldFor(key);
		const existing = field ? Object.keys(target).find((k) => fieldFor(k) === field) : undefined;
		target[existing ?? key] = value;
	}
	return answer;
}

// ---------------------------------------------------------------------------------------------
// Reading requests

/**
 * @param {unknown} content
 * @returns {string}
 */
function contentText(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((p) => {
				if (typeof p === 'string') return p;
				if (p && typeof p === 'object') {
					const part = /** @type {Record<string, unknown>} */ (p);
					if (typeof part.text === 'string') return part.text;
				}
				return '';
			})
			.filter(Boolean)
			.join('\n');
	}
	return '';
}

/**
 * Normalizes chat-completions messages or Responses API input into role/text pairs.
 * @param {Record<string, any>} body
 * @param {'chat' | 'responses'} api
 * @returns {Array<{ role: string, text: string }>}
 */
function conversation(body, api) {
	/** @type {Array<{ role: string, text: string }>} */
	const out = [];
	if (api === 'chat') {
		for (const m of Array.isArray(body.messages) ? body.messages : []) {
			if (!m || typeof m !== 'object') continue;
			out.push({ role: String(m.role ?? 'user'), text: contentText(m.content) });
		}
		return out;
	}
	if (typeof body.instructions === 'string') out.push({ role: 'system', text: body.instructions });
	if (typeof body.input === 'string') {
		out.push({ role: 'user', text: body.input });
		return out;
	}
	for (const item of Array.isArray(body.input) ? body.input : []) {
		if (!item || typeof item !== 'object') continue;
		if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
			out.push({ role: 'tool', text: typeof item.output === 'string' ? item.output : JSON.stringify(item.output ?? '') });
		} else if (item.type === 'function_call') {
			out.push({ role: 'assistant', text: '' });
		} else if (item.role !== undefined) {
			out.push({ role: String(item.role), text: contentText(item.content) });
		}
	}
	return out;
}

/**
 * @param {Record<string, any>} body
 * @param {'chat' | 'responses'} api
 * @returns {{ name: string, parameters: any } | null}
 */
function chooseTool(body, api) {
	const tools = Array.isArray(body.tools) ? body.tools : [];
	/** @type {Array<{ name: string, parameters: any }>} */
	const fns = [];
	for (const t of tools) {
		if (!t || typeof t !== 'object') continue;
		if (api === 'chat' && t.type === 'function' && t.function && typeof t.function.name === 'string') fns.push({ name: t.function.name, parameters: t.function.parameters ?? {} });
		if (api === 'responses' && t.type === 'function' && typeof t.name === 'string') fns.push({ name: t.name, parameters: t.parameters ?? {} });
	}
	if (!fns.length) return null;
	const tc = body.tool_choice;
	if (tc === 'none') return null;
	if (tc && typeof tc === 'object') {
		const wanted = tc.function?.name ?? tc.name;
		const hit = fns.find((f) => f.name === wanted);
		if (hit) return hit;
	}
	return fns[0];
}

/** @param {string} text */
const tokensOf = (text) => Math.max(1, Math.ceil(text.length / 4));

/**
 * @param {string} text
 * @param {number} size
 */
function chunks(text, size = 16) {
	/** @type {string[]} */
	const out = [];
	for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
	return out.length ? out : [''];
}

/**
 * @param {number} status
 * @returns {unknown}
 */
function openAiError(status) {
	if (status === 401) return { error: { message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
	if (status === 429) return { error: { message: 'Rate limit reached for requests. Please try again in 1s.', type: 'requests', param: null, code: 'rate_limit_exceeded' } };
	if (status >= 500) return { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } };
	return { error: { message: 'Simulated error', type: 'invalid_request_error', param: null, code: null } };
}

/**
 * Starts the OpenAI-compatible simulator on 127.0.0.1.
 * @param {LlmSimOptions} [options]
 * @returns {Promise<LlmSim>}
 */
async function startLlmSim(options = {}) {
	/** @type {Date | number | (() => Date | number) | undefined} */
	let now = options.now;
	const models = options.models ?? ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-5-mini'];
	/** @type {LlmRequestRecord[]} */
	const requests = [];
	/** @type {Array<string | Record<string, unknown>>} */
	const replies = [];
	/** @type {LlmFailSpec[]} */
	const failures = [];
	let gullible = options.gullible === true;

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function handle(req, res) {
		const u = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const headers = plainHeaders(req.headers);
		const raw = await readBody(req);
		const path = u.pathname.replace(/\/+$/, '');
		/** @type {LlmRequestRecord['api']} */
		const api = /\/chat\/completions$/.test(path) ? 'chat' : /\/responses$/.test(path) ? 'responses' : /\/models(\/[^/]+)?$/.test(path) ? 'models' : 'other';
		/** @type {Record<string, any> | null} */
		let body = null;
		if (raw.trim()) {
			try {
				body = JSON.parse(raw);
			} catch {
				body = null;
			}
		}
		/** @type {LlmRequestRecord} */
		const record = { at: new Date().toISOString(), method, path: u.pathname, headers, body, api, stream: Boolean(body && body.stream), lastUserText: null, context: null, reading: null, answer: null, injected: null, status: 0 };
		requests.push(record);
		/** @param {number} status @param {unknown} b @param {Record<string, string>} [h] */
		const reply = (status, b, h) => {
			record.status = status;
			sendJson(res, status, b, { 'x-request-id': randomId('req_', 24), 'openai-processing-ms': '1', ...(h ?? {}) });
		};

		if (options.apiKey !== undefined) {
			const m = /^Bearer\s+(.+)$/i.exec((headers.authorization ?? '').trim());
			if (!m || m[1].trim() !== options.apiKey) {
				const given = m ? m[1].trim() : '';
				return reply(401, {
					error: {
						message: given
							? `Incorrect API key provided: ${given.slice(0, 3)}${'*'.repeat(Math.max(0, given.length - 7))}${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`
							: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
						type: 'invalid_request_error',
						param: null,
						code: given ? 'invalid_api_key' : null,
					},
				});
			}
		}

		if (api === 'models' && method === 'GET') {
			const m = /\/models\/([^/]+)$/.exec(path);
			const list = models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'llm-sim' }));
			if (!m) return reply(200, { object: 'list', data: list });
			const id = decodeURIComponent(m[1]);
			const hit = list.find((x) => x.id === id);
			if (!hit) return reply(404, { error: { message: `The model '${id}' does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } });
			return reply(200, hit);
		}
		if ((api !== 'chat' && api !== 'responses') || method !== 'POST') {
			return reply(404, { error: { message: `Invalid URL (${method} ${u.pathname})`, type: 'invalid_request_error', param: null, code: null } });
		}
		if (!body || typeof body !== 'object') {
			return reply(400, { error: { message: 'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)', type: 'invalid_request_error', param: null, code: null } });
		}
		if (api === 'chat' && !Array.isArray(body.messages)) {
			return reply(400, { error: { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' } });
		}
		if (api === 'responses' && body.input === undefined) {
			return reply(400, { error: { message: "Missing required parameter: 'input'.", type: 'invalid_request_error', param: 'input', code: 'missing_required_parameter' } });
		}

		const failure = failures.shift();
		if (failure) {
			if (failure.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
			return reply(failure.status, failure.body ?? openAiError(failure.status), failure.headers);
		}

		const convo = conversation(body, api);
		const users = convo.filter((m) => m.role === 'user');
		const lastUser = users.length ? users[users.length - 1].text : '';
		const last = convo[convo.length - 1];
		const afterTool = Boolean(last && (last.role === 'tool' || last.role === 'function'));
		const systemText = convo.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => m.text).join('\n');
		record.lastUserText = lastUser;
		record.context = readPromptContext(systemText, todayOf(now));
		record.reading = readChatOrder(lastUser, record.context);
		const queued = replies.shift();
		/** @type {Record<string, unknown>} */
		const answer = queued && typeof queued === 'object' ? { ...queued } : { ...record.reading };
		/** @type {Record<string, unknown> | null} */
		const injected = gullible && queued === undefined && !afterTool ? readInjections(lastUser) : null;
		if (injected && Object.keys(injected).length) record.injected = injected;
		/** @param {Record<string, unknown>} value */
		const obey = (value) => (record.injected ? applyInjections(value, record.injected) : value);
		const model = typeof body.model === 'string' && body.model ? body.model : models[0];
		const promptText = convo.map((m) => m.text).join('\n');
		const promptTokens = tokensOf(promptText);

		/** @type {{ kind: 'tool', name: string, args: string } | { kind: 'text', text: string }} */
		let out;
		const tool = typeof queued === 'string' || afterTool ? null : chooseTool(body, api);
		const legacyFn = api === 'chat' && !tool && !afterTool && typeof queued !== 'string' && Array.isArray(body.functions) && body.functions.length && body.function_call !== 'none'
			? body.functions[0]
			: null;
		if (tool) {
			const args = obey(shapeToSchema(answer, tool.parameters));
			out = { kind: 'tool', name: tool.name, args: JSON.stringify(args) };
			record.answer = { mode: 'tool_call', toolName: tool.name, arguments: args };
		} else if (legacyFn) {
			const args = obey(shapeToSchema(answer, legacyFn.parameters ?? {}));
			out = { kind: 'tool', name: String(legacyFn.name), args: JSON.stringify(args) };
			record.answer = { mode: 'function_call', toolName: String(legacyFn.name), arguments: args };
		} else if (typeof queued === 'string') {
			out = { kind: 'text', text: queued };
			record.answer = { mode: 'content', text: queued };
		} else {
			let schema = null;
			if (api === 'chat' && body.response_format && body.response_format.type === 'json_schema') schema = body.response_format.json_schema?.schema ?? null;
			if (api === 'responses' && body.text && body.text.format && body.text.format.type === 'json_schema') schema = body.text.format.schema ?? null;
			const value = obey(schema ? shapeToSchema(answer, schema) : answer);
			const text = JSON.stringify(value);
			out = { kind: 'text', text };
			record.answer = { mode: 'content', text };
		}
		const completionTokens = tokensOf(out.kind === 'tool' ? out.args : out.text);
		const created = Math.floor(Date.now() / 1000);

		if (api === 'chat') {
			const id = randomId('chatcmpl-SIM', 24);
			const callId = randomId('call_SIM', 20);
			const usage = {
				prompt_tokens: promptTokens,
				completion_tokens: completionTokens,
				total_tokens: promptTokens + completionTokens,
				prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
				completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
			};
			const finish = out.kind === 'tool' ? (legacyFn ? 'function_call' : 'tool_calls') : 'stop';
			if (!body.stream) {
				/** @type {Record<string, any>} */
				const message = { role: 'assistant', content: out.kind === 'text' ? out.text : null, refusal: null, annotations: [] };
				if (out.kind === 'tool' && legacyFn) message.function_call = { name: out.name, arguments: out.args };
				else if (out.kind === 'tool') message.tool_calls = [{ id: callId, type: 'function', function: { name: out.name, arguments: out.args } }];
				return reply(200, {
					id,
					object: 'chat.completion',
					created,
					model,
					choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
					usage,
					service_tier: 'default',
					system_fingerprint: 'fp_llmsim',
				});
			}
			record.status = 200;
			res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'x-request-id': randomId('req_', 24) });
			/** @param {Record<string, any>} delta @param {string | null} finishReason */
			const chunk = (delta, finishReason) => ({
				id,
				object: 'chat.completion.chunk',
				created,
				model,
				service_tier: 'default',
				system_fingerprint: 'fp_llmsim',
				choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
			});
			/** @param {unknown} obj */
			const write = (obj) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
			if (out.kind === 'text') {
				write(chunk({ role: 'assistant', content: '', refusal: null }, null));
				for (const piece of chunks(out.text)) write(chunk({ content: piece }, null));
			} else if (legacyFn) {
				write(chunk({ role: 'assistant', content: null, function_call: { name: out.name, arguments: '' }, refusal: null }, null));
				for (const piece of chunks(out.args)) write(chunk({ function_call: { arguments: piece } }, null));
			} else {
				write(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: callId, type: 'function', function: { name: out.name, arguments: '' } }], refusal: null }, null));
				for (const piece of chunks(out.args)) write(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
			}
			write(chunk({}, finish));
			if (body.stream_options && body.stream_options.include_usage) {
				write({ id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_llmsim', choices: [], usage });
			}
			res.end('data: [DONE]\n\n');
			return;
		}

		// Responses API
		const respId = randomId('resp_SIM', 40);
		const usage = {
			input_tokens: promptTokens,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens: completionTokens,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: promptTokens + completionTokens,
		};
		/** @type {Record<string, any>} */
		const item = out.kind === 'text'
			? { id: randomId('msg_SIM', 40), type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [], logprobs: [], text: out.text }], role: 'assistant' }
			: { id: randomId('fc_SIM', 40), type: 'function_call', status: 'completed', arguments: out.args, call_id: randomId('call_SIM', 20), name: out.name };
		/** @param {'in_progress' | 'completed'} status @param {Record<string, any>[]} output */
		const responseObject = (status, output) => ({
			id: respId,
			object: 'response',
			created_at: created,
			status,
			background: false,
			error: null,
			incomplete_details: null,
			instructions: body.instructions ?? null,
			max_output_tokens: body.max_output_tokens ?? null,
			model,
			output,
			parallel_tool_calls: body.parallel_tool_calls ?? true,
			previous_response_id: body.previous_response_id ?? null,
			reasoning: { effort: null, summary: null },
			service_tier: 'default',
			store: body.store ?? true,
			temperature: body.temperature ?? 1,
			text: body.text ?? { format: { type: 'text' }, verbosity: 'medium' },
			tool_choice: body.tool_choice ?? 'auto',
			tools: body.tools ?? [],
			top_p: body.top_p ?? 1,
			truncation: body.truncation ?? 'disabled',
			usage: status === 'completed' ? usage : null,
			user: null,
			metadata: body.metadata ?? {},
			...(status === 'completed' ? { output_text: out.kind === 'text' ? out.text : '' } : {}),
		});
		if (!body.stream) return reply(200, responseObject('completed', [item]));

		record.status = 200;
		res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'x-request-id': randomId('req_', 24) });
		let seq = 0;
		/** @param {string} type @param {Record<string, any>} data */
		const emit = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
		emit('response.created', { response: responseObject('in_progress', []) });
		emit('response.in_progress', { response: responseObject('in_progress', []) });
		if (item.type === 'message') {
			emit('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
			emit('response.content_part.added', { item_id: item.id, output_index: 0, content_index: 0, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
			const text = /** @type {{ text: string }} */ (out).text;
			for (const piece of chunks(text)) emit('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: piece, logprobs: [] });
			emit('response.output_text.done', { item_id: item.id, output_index: 0, content_index: 0, text, logprobs: [] });
			emit('response.content_part.done', { item_id: item.id, output_index: 0, content_index: 0, part: item.content[0] });
		} else {
			emit('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } });
			for (const piece of chunks(item.arguments)) emit('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: piece });
			emit('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: item.arguments });
		}
		emit('response.output_item.done', { output_index: 0, item });
		emit('response.completed', { response: responseObject('completed', [item]) });
		res.end();
	}

	const listening = await listenLoopback(handle, options.port ?? 0);
	/** @type {LlmSim} */
	const sim = {
		url: listening.url,
		baseURL: `${listening.url}/v1`,
		port: listening.port,
		stop: listening.stop,
		requests,
		setNow: (n) => {
			now = n;
		},
		nextReply: (r) => {
			replies.push(r);
		},
		failNext: (spec, count = 1) => {
			if (!spec || typeof spec.status !== 'number') throw new Error('failNext: { status } is required');
			for (let i = 0; i < count; i++) failures.push(spec);
		},
		/** Drops queued failures nobody consumed. */
		clearFailures: () => {
			failures.length = 0;
		},
		setGullible: (on) => {
			gullible = on === true;
		},
		reset: () => {
			requests.length = 0;
			replies.length = 0;
			failures.length = 0;
		},
	};
	return sim;
}

module.exports = { startLlmSim, shapeToSchema, readInjections };
