/**
 * The sandbox's chat page: a phone-like WhatsApp or Instagram chat in the browser, one customer per tab, served
 * on 127.0.0.1 (static files in ./public, no build step). What the customer types or taps goes to n8n as the
 * signed webhook Meta would send; what the shop sends reaches the page the moment the Graph simulator accepts
 * it (server-sent events). Beside the chat: the customer's order rows (n8n's Data Table) and their executions.
 *
 *   const chat = await startChatPage({ sandbox });   // sandbox: startSandbox()'s handle
 *   chat.url  → http://127.0.0.1:<port>/            (?channel=whatsapp&customer=4915…&name=Ada opens that chat)
 *   await chat.say('whatsapp', '4915…', 'I want the deluxe room', { name: 'Ada' });   // shows on the page too
 *   await chat.stop();
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { listenLoopback, readBody, sendJson, type Listening } from '../http';
import { customerOfExecution, isChatMessage, shopEntry, type Channel, type ChatEntry, type GraphSend } from './entries';

export { customerOfExecution, isChatMessage } from './entries';
export type { ChatEntry } from './entries';

const PUBLIC = path.join(__dirname, 'public');
const STATIC: Record<string, [file: string, contentType: string]> = {
	'/': ['index.html', 'text/html; charset=utf-8'],
	'/index.html': ['index.html', 'text/html; charset=utf-8'],
	'/chat.css': ['chat.css', 'text/css; charset=utf-8'],
	'/chat.js': ['chat.js', 'text/javascript; charset=utf-8'],
	'/render.js': ['render.js', 'text/javascript; charset=utf-8'],
};
const CHANNELS: readonly string[] = ['whatsapp', 'instagram'];
/** WhatsApp wa_id (digits) or Instagram-scoped id: what Meta would put in `from` / `sender.id`. */
const CUSTOMER_ID = /^\d{6,20}$/;
const KEEPALIVE_MS = 20_000;
const EXECUTIONS_LOOKED_AT = 40;

const isChannel = (channel: string): channel is Channel => CHANNELS.includes(channel);

/** What the page uses of startSandbox()'s handle (tools/n8n/sandbox). */
export interface ChatSandbox {
	graph: { sent: GraphSend[]; onSend(listener: (send: GraphSend) => void): () => void };
	customerSays(
		channel: Channel,
		text: string,
		o: { from: string; name?: string; reply?: { id: string; title: string }; replyTo?: string },
	): Promise<{ status: number; messageId: string }>;
	/** The order rows (n8n's Data Table). */
	orders(): Promise<Array<Record<string, unknown>>>;
	api: {
		listExecutions(workflowId: string, o: { limit: number }): Promise<Array<{ id: string | number; status: string; startedAt: string; stoppedAt?: string | null }>>;
		getExecution(id: string): Promise<unknown>;
	};
	workflowId: string;
	/** The template's workflows (the conversation and the payments); absent: only workflowId. */
	workflowIds?: Record<string, string>;
	n8n: { baseUrl: string };
	stripe: { url: string };
}

export interface ChatPage {
	/** `http://127.0.0.1:<port>/` */
	url: string;
	port: number;
	say: (channel: Channel, customer: string, text: string, o?: { name?: string }) => Promise<ChatEntry>;
	tap: (channel: Channel, customer: string, reply: { id: string; title: string }, o?: { name?: string; replyTo?: string }) => Promise<ChatEntry>;
	conversation: (channel: Channel, customer: string) => ChatEntry[];
	/** Every new entry (the terminal prints them). */
	onEntry: (listener: (entry: ChatEntry) => void) => () => void;
	stop: () => Promise<void>;
}

/** Starts the chat page on 127.0.0.1 over a running sandbox (startSandbox()'s handle). */
export async function startChatPage(options: { sandbox: ChatSandbox; port?: number; log?: (line: string) => void }): Promise<ChatPage> {
	const { sandbox } = options;
	const log = options.log ?? (() => {});
	/** what customers said through this page (or say()/tap()), in order */
	const said: ChatEntry[] = [];
	const streams = new Set<{ channel: string; customer: string; res: ServerResponse }>();
	const listeners = new Set<(entry: ChatEntry) => void>();
	/** finished executions → their customer */
	const executionCustomers = new Map<string, { channel: string; customer: string } | null>();
	let listening: Listening | null = null;

	const publish = (entry: ChatEntry) => {
		for (const stream of streams) {
			if (stream.channel === entry.channel && stream.customer === entry.customer) {
				stream.res.write(`event: entry\ndata: ${JSON.stringify(entry)}\n\n`);
			}
		}
		for (const listener of listeners) {
			try {
				listener(entry);
			} catch {
				/* the listener's problem */
			}
		}
	};
	const unsubscribe = sandbox.graph.onSend((send) => {
		if (send.channel && send.to && isChatMessage(send)) publish(shopEntry(send));
	});

	const conversation = (channel: string, customer: string): ChatEntry[] => {
		const shop = sandbox.graph.sent.filter((s) => s.channel === channel && s.to === customer && isChatMessage(s)).map(shopEntry);
		const mine = said.filter((e) => e.channel === channel && e.customer === customer);
		return [...mine, ...shop].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
	};

	const deliver = async (channel: Channel, customer: string, what: { text?: string; reply?: { id: string; title: string }; name?: string; replyTo?: string }) => {
		const at = new Date().toISOString();
		const delivery = await sandbox.customerSays(channel, what.text ?? '', { from: customer, name: what.name, reply: what.reply, replyTo: what.replyTo });
		const entry: ChatEntry = { key: `customer:${delivery.messageId}`, from: 'customer', channel, customer, at, text: what.reply ? what.reply.title : what.text, status: delivery.status, ...(what.reply ? { reply: what.reply } : {}) };
		said.push(entry);
		publish(entry);
		return entry;
	};

	/** The customer's order rows, newest first. */
	const ordersOf = async (channel: string, customer: string) => {
		const rows = await sandbox.orders();
		return rows
			.filter((r) => r.channel === channel && String(r.userId) === customer)
			.sort((a, b) => Number(b.id) - Number(a.id))
			.map((r) => ({ ...r, checkoutUrl: `${sandbox.stripe.url}/pay/${r.sessionId}` }));
	};

	/**
	 * The customer's executions among the latest ones of the template's workflows (the conversation and the
	 * payments), newest first, with links into the editor.
	 */
	const executionsOf = async (channel: string, customer: string) => {
		const workflowIds = Object.values(sandbox.workflowIds ?? { conversation: sandbox.workflowId });
		const lists = await Promise.all(workflowIds.map(async (workflowId) =>
			(await sandbox.api.listExecutions(workflowId, { limit: EXECUTIONS_LOOKED_AT })).map((e) => ({ ...e, workflowId }))));
		const list = lists.flat().sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
		const mine = [];
		for (const e of list) {
			if (['running', 'new', 'waiting', 'queued'].includes(e.status)) continue; // placed once it ends
			let owner = executionCustomers.get(String(e.id));
			if (owner === undefined) {
				const execution = await sandbox.api.getExecution(String(e.id)).catch(() => undefined);
				if (execution === undefined) continue; // n8n did not answer: look again next time
				owner = customerOfExecution(execution);
				executionCustomers.set(String(e.id), owner); // a finished execution never changes
			}
			if (owner && owner.channel === channel && owner.customer === customer) {
				mine.push({ id: String(e.id), status: e.status, startedAt: e.startedAt, stoppedAt: e.stoppedAt ?? null, url: `${sandbox.n8n.baseUrl}workflow/${e.workflowId}/executions/${e.id}` });
			}
		}
		return mine;
	};

	/**
	 * Only pages of this server may post (a JSON body forces a CORS preflight nobody answers), and only under
	 * its own host name (no DNS rebinding).
	 */
	const sameOrigin = (req: IncomingMessage) => {
		const host = String(req.headers.host ?? '');
		return host === `127.0.0.1:${listening?.port}` || host === `localhost:${listening?.port}`;
	};

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const u = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		if (!sameOrigin(req)) return sendJson(res, 421, { error: 'use http://127.0.0.1 (this page answers only its own address)' });
		const file = Object.hasOwn(STATIC, u.pathname) ? STATIC[u.pathname] : undefined;
		if (method === 'GET' && file) {
			const body = fs.readFileSync(path.join(PUBLIC, file[0]));
			res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store', 'content-length': String(body.length), 'x-content-type-options': 'nosniff' });
			res.end(body);
			return;
		}
		const channel = u.searchParams.get('channel') ?? '';
		const customer = u.searchParams.get('customer') ?? '';
		const who = () => isChannel(channel) && CUSTOMER_ID.test(customer);

		if (method === 'GET' && u.pathname === '/api/config') {
			return sendJson(res, 200, {
				editorUrl: sandbox.n8n.baseUrl,
				workflowUrl: `${sandbox.n8n.baseUrl}workflow/${sandbox.workflowId}`,
				stripeUrl: `${sandbox.stripe.url}/`,
				shop: { whatsapp: 'Grand Hotel', instagram: 'grandhotel' },
			});
		}
		if (method === 'GET' && u.pathname === '/api/customers') {
			const seen = new Map<string, { channel: string; customer: string; last: string }>();
			const note = (ch: string, id: string, at: string) => {
				const k = `${ch}:${id}`;
				const known = seen.get(k);
				if (!known || known.last < at) seen.set(k, { channel: ch, customer: id, last: at });
			};
			for (const e of said) note(e.channel, e.customer, e.at);
			for (const s of sandbox.graph.sent) if (s.channel && s.to && isChatMessage(s)) note(s.channel, String(s.to), s.at);
			return sendJson(res, 200, [...seen.values()].sort((a, b) => (a.last < b.last ? 1 : -1)));
		}
		if (method === 'GET' && u.pathname === '/api/events') {
			if (!who()) return sendJson(res, 400, { error: 'channel (whatsapp|instagram) and customer (digits) are required' });
			res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
			res.write(`retry: 1000\nevent: history\ndata: ${JSON.stringify(conversation(channel, customer))}\n\n`);
			const stream = { channel, customer, res };
			streams.add(stream);
			const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
			req.on('close', () => {
				clearInterval(keepalive);
				streams.delete(stream);
			});
			return undefined;
		}
		if (method === 'GET' && u.pathname === '/api/orders') {
			if (!who()) return sendJson(res, 400, { error: 'channel and customer are required' });
			return sendJson(res, 200, await ordersOf(channel, customer));
		}
		if (method === 'GET' && u.pathname === '/api/executions') {
			if (!who()) return sendJson(res, 400, { error: 'channel and customer are required' });
			return sendJson(res, 200, await executionsOf(channel, customer));
		}
		if (method === 'POST' && (u.pathname === '/api/say' || u.pathname === '/api/tap')) {
			if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) return sendJson(res, 415, { error: 'send JSON' });
			let parsed: unknown;
			try {
				parsed = JSON.parse(await readBody(req));
			} catch {
				return sendJson(res, 400, { error: 'body is not JSON' });
			}
			// The page's JSON, checked field by field below.
			const body = (parsed !== null && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
			const ch = String(body.channel ?? '');
			const id = String(body.customer ?? '');
			if (!isChannel(ch) || !CUSTOMER_ID.test(id)) return sendJson(res, 400, { error: 'channel (whatsapp|instagram) and customer (digits) are required' });
			const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 60) : undefined;
			try {
				if (u.pathname === '/api/say') {
					const text = typeof body.text === 'string' ? body.text.trim() : '';
					if (!text || text.length > 4096) return sendJson(res, 400, { error: 'text: 1–4096 characters' });
					return sendJson(res, 200, await deliver(ch, id, { text, name }));
				}
				const reply = body.reply as { id?: unknown; title?: unknown } | null | undefined;
				if (!reply || typeof reply.id !== 'string' || !reply.id || typeof reply.title !== 'string' || !reply.title) {
					return sendJson(res, 400, { error: 'reply: { id, title } of the tapped button is required' });
				}
				const replyTo = typeof body.replyTo === 'string' && body.replyTo ? body.replyTo : undefined;
				return sendJson(res, 200, await deliver(ch, id, { reply: { id: reply.id, title: reply.title }, name, replyTo }));
			} catch (error) {
				log(`chat page: delivering to n8n failed: ${error instanceof Error ? error.message : String(error)}`);
				return sendJson(res, 502, { error: `n8n did not take the message: ${error instanceof Error ? error.message : String(error)}` });
			}
		}
		return sendJson(res, 404, { error: `no such page: ${method} ${u.pathname}` });
	}

	const page = await listenLoopback(handle, options.port ?? 0);
	listening = page;
	return {
		url: `${page.url}/`,
		port: page.port,
		say: (channel, customer, text, o = {}) => deliver(channel, customer, { text, name: o.name }),
		tap: (channel, customer, reply, o = {}) => deliver(channel, customer, { reply, name: o.name, replyTo: o.replyTo }),
		conversation: (channel, customer) => conversation(channel, customer),
		onEntry: (listener) => {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		stop: async () => {
			unsubscribe();
			for (const stream of streams) stream.res.end();
			streams.clear();
			await page.stop();
		},
	};
}

