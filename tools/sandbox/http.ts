/**
 * Small helpers shared by the sandbox simulators: loopback-only listening, body reading,
 * JSON answers, id generation and a loopback guard for anything a simulator sends out.
 */
import http from 'node:http';
import crypto from 'node:crypto';

export const LOOPBACK_HOST = '127.0.0.1';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface Listening {
	server: http.Server;
	port: number;
	/** `http://127.0.0.1:<port>` (no trailing slash) */
	url: string;
	/** Closes the server and every open connection; safe to call twice. */
	stop: () => Promise<void>;
}

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** Starts `handler` on 127.0.0.1 only; port 0 (default) picks a free port. */
export async function listenLoopback(handler: RequestHandler, port = 0): Promise<Listening> {
	const server = http.createServer((req, res) => {
		Promise.resolve()
			.then(() => handler(req, res))
			.catch((err: unknown) => {
				if (!res.headersSent) {
					const detail = err instanceof Error && err.stack ? err.stack : String(err);
					sendJson(res, 500, { error: { message: `simulator crashed: ${detail}` } });
				} else {
					res.destroy();
				}
			});
	});
	server.keepAliveTimeout = 1000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, LOOPBACK_HOST, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('simulator: no TCP address');
	let stopped = false;
	return {
		server,
		port: address.port,
		url: `http://${LOOPBACK_HOST}:${address.port}`,
		stop: async () => {
			if (stopped) return;
			stopped = true;
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

/** Reads the whole request body as a UTF-8 string (limited to 5 MiB). */
export function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('request body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

export function sendHtml(res: http.ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
	res.writeHead(status, {
		'Content-Type': 'text/html; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(html)),
		...headers,
	});
	res.end(html);
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random alphanumeric id with a prefix, e.g. `randomId('cs_test_', 24)`. */
export function randomId(prefix: string, length = 24): string {
	const bytes = crypto.randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i++) out += ALPHANUM[bytes[i] % ALPHANUM.length];
	return prefix + out;
}

/** True when `url` names a loopback host (127.0.0.0/8, localhost, ::1). */
export function isLoopbackUrl(url: string): boolean {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
	const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Throws unless `url` is a loopback http(s) URL: the sandbox never sends traffic anywhere else. */
export function assertLoopbackUrl(url: string, what: string): void {
	if (!isLoopbackUrl(url)) {
		throw new Error(`${what} must be a loopback URL (127.0.0.1, localhost or [::1]); got ${JSON.stringify(url)}`);
	}
}

/** Lower-cased copy of the request headers with string values. */
export function plainHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers)) {
		if (v === undefined) continue;
		out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	}
	return out;
}

/** Escapes text for HTML. */
export function escapeHtml(value: unknown): string {
	return String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}
