/**
 * OpenAI-compatible chat model for the sandbox: it plays the model behind the pack's "Read Chat Order" node.
 *
 *   const sim = await startLlmSim({ apiKey: 'sk-sim' });
 *   // n8n OpenAI credential: API key 'sk-sim', Base URL sim.baseURL (= `${sim.url}/v1`)
 *
 * It reads `<today>`, `<catalog>` and `<order_so_far>` from the system message and the customer's text from the
 * last user message, and answers like a well-behaved model: one JSON object, as plain content, every field present
 *   {"intent":"order","productKey":"deluxe-room","quantity":2,"nights":null,"checkIn":"2027-06-20","checkOut":"2027-06-23","email":null}
 * What it understands (phrasings, choices) is in orderReading.ts; there is no keyword list: a product added to the
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
 * prompt-injected model for fault tests (gullible.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback, plainHeaders, randomId, readBody, sendJson } from '../http';
import { shapeToSchema } from './answerSchema';
import { answerChatCompletion } from './chatCompletions';
import { sseHeaders, type Completion } from './completion';
import { applyInjections, readInjections } from './gullible';
import { apiKeyError, invalidUrl, missingParameter, modelNotFound, openAiError, unparsableBody } from './openAiErrors';
import { readChatOrder, readPromptContext } from './orderReading';
import { chooseTool, contentSchema, conversation, tokensOf, type OpenAiApi } from './requestReading';
import { answerResponse } from './responsesApi';
import type { LlmFailSpec, LlmRequestRecord, LlmSim, LlmSimOptions, ModelOutput, Now, OpenAiBody } from './types';

/** "Today" for a prompt without `<today>`: YYYY-MM-DD (UTC). */
function todayOf(now: Now | undefined): string {
	const v = typeof now === 'function' ? now() : now;
	const date = v === undefined ? new Date() : v instanceof Date ? v : new Date(v);
	return date.toISOString().slice(0, 10);
}

const apiOf = (path: string): LlmRequestRecord['api'] =>
	/\/chat\/completions$/.test(path) ? 'chat' : /\/responses$/.test(path) ? 'responses' : /\/models(\/[^/]+)?$/.test(path) ? 'models' : 'other';

function parseBody(raw: string): OpenAiBody | null {
	if (!raw.trim()) return null;
	try {
		return JSON.parse(raw);
	} catch {
		return null;
	}
}

/** Starts the OpenAI-compatible simulator on 127.0.0.1. */
export async function startLlmSim(options: LlmSimOptions = {}): Promise<LlmSim> {
	let now = options.now;
	const models = options.models ?? ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-5-mini'];
	const requests: LlmRequestRecord[] = [];
	const replies: Array<string | Record<string, unknown>> = [];
	const failures: LlmFailSpec[] = [];
	let gullible = options.gullible === true;

	/** The answer to a completion request whose shape is valid: what the model reads and what it sends. */
	function complete(record: LlmRequestRecord, body: OpenAiBody, api: OpenAiApi): Completion {
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
		const answer: Record<string, unknown> = queued && typeof queued === 'object' ? { ...queued } : { ...record.reading };
		const injected = gullible && queued === undefined && !afterTool ? readInjections(lastUser) : null;
		if (injected && Object.keys(injected).length) record.injected = injected;
		const obey = (value: Record<string, unknown>) => (record.injected ? applyInjections(value, record.injected) : value);

		let out: ModelOutput;
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
			const schema = contentSchema(body, api);
			const text = JSON.stringify(obey(schema ? shapeToSchema(answer, schema) : answer));
			out = { kind: 'text', text };
			record.answer = { mode: 'content', text };
		}
		return {
			body,
			model: typeof body.model === 'string' && body.model ? body.model : models[0],
			out,
			legacyFunction: Boolean(legacyFn),
			promptTokens: tokensOf(convo.map((m) => m.text).join('\n')),
			completionTokens: tokensOf(out.kind === 'tool' ? out.args : out.text),
			created: Math.floor(Date.now() / 1000),
		};
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const u = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const headers = plainHeaders(req.headers);
		const raw = await readBody(req);
		const path = u.pathname.replace(/\/+$/, '');
		const api = apiOf(path);
		const body = parseBody(raw);
		const record: LlmRequestRecord = { at: new Date().toISOString(), method, path: u.pathname, headers, body, api, stream: Boolean(body && body.stream), lastUserText: null, context: null, reading: null, answer: null, injected: null, status: 0 };
		requests.push(record);
		const reply = (status: number, b: unknown, h?: Record<string, string>) => {
			record.status = status;
			sendJson(res, status, b, { 'x-request-id': randomId('req_', 24), 'openai-processing-ms': '1', ...(h ?? {}) });
		};

		if (options.apiKey !== undefined) {
			const m = /^Bearer\s+(.+)$/i.exec((headers.authorization ?? '').trim());
			if (!m || m[1].trim() !== options.apiKey) return reply(401, apiKeyError(m ? m[1].trim() : ''));
		}

		if (api === 'models' && method === 'GET') {
			const m = /\/models\/([^/]+)$/.exec(path);
			const list = models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'llm-sim' }));
			if (!m) return reply(200, { object: 'list', data: list });
			const id = decodeURIComponent(m[1]);
			const hit = list.find((x) => x.id === id);
			return hit ? reply(200, hit) : reply(404, modelNotFound(id));
		}
		if ((api !== 'chat' && api !== 'responses') || method !== 'POST') return reply(404, invalidUrl(method, u.pathname));
		if (!body || typeof body !== 'object') return reply(400, unparsableBody());
		if (api === 'chat' && !Array.isArray(body.messages)) return reply(400, missingParameter('messages'));
		if (api === 'responses' && body.input === undefined) return reply(400, missingParameter('input'));

		const failure = failures.shift();
		if (failure) {
			if (failure.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
			return reply(failure.status, failure.body ?? openAiError(failure.status), failure.headers);
		}

		const answering = {
			reply,
			openStream: () => {
				record.status = 200;
				res.writeHead(200, sseHeaders());
				return res;
			},
		};
		const completion = complete(record, body, api);
		if (api === 'chat') answerChatCompletion(completion, answering);
		else answerResponse(completion, answering);
	}

	const listening = await listenLoopback(handle, options.port ?? 0);
	return {
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
}
