// @ts-check
'use strict';
/**
 * Small helpers shared by the sandbox simulators: loopback-only listening, body reading,
 * JSON answers, id generation and a loopback guard for anything a simulator sends out.
 */
const http = require('node:http');
const crypto = require('node:crypto');

const LOOPBACK_HOST = '127.0.0.1';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * @typedef {object} Listening
 * @property {http.Server} server
 * @property {number} port
 * @property {string} url            `http://127.0.0.1:<port>` (no trailing slash)
 * @property {() => Promise<void>} stop  Closes the server and every open connection; safe to call twice.
 */

/**
 * Starts `handler` on 127.0.0.1 only.
 * @param {(req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>} handler
 * @param {number} [port] 0 (default) picks a free port.
 * @returns {Promise<Listening>}
 */
async function listenLoopback(handler, port = 0) {
	const server = http.createServer((req, res) => {
		Promise.resolve()
			.then(() => handler(req, res))
			.catch((err) => {
				if (!res.headersSent) {
					sendJson(res, 500, { error: { message: `simulator crashed: ${String(err && err.stack ? err.stack : err)}` } });
				} else {
					res.destroy();
				}
			});
	});
	server.keepAliveTimeout = 1000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, LOOPBACK_HOST, () => {
			server.off('error', reject);
			resolve(undefined);
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
			await new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			});
		},
	};
}

/**
 * Reads the whole request body as a UTF-8 string (limited to 5 MiB).
 * @param {http.IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
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

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string} html
 * @param {Record<string, string>} [headers]
 */
function sendHtml(res, status, html, headers = {}) {
	res.writeHead(status, {
		'Content-Type': 'text/html; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(html)),
		...headers,
	});
	res.end(html);
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random alphanumeric id with a prefix, e.g. `randomId('cs_test_', 24)`.
 * @param {string} prefix
 * @param {number} [length]
 */
function randomId(prefix, length = 24) {
	const bytes = crypto.randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i++) out += ALPHANUM[bytes[i] % ALPHANUM.length];
	return prefix + out;
}

/**
 * True when `url` names a loopback host (127.0.0.0/8, localhost, ::1).
 * @param {string} url
 */
function isLoopbackUrl(url) {
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
	const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Throws unless `url` is a loopback http(s) URL: the sandbox never sends traffic anywhere else.
 * @param {string} url
 * @param {string} what
 */
function assertLoopbackUrl(url, what) {
	if (!isLoopbackUrl(url)) {
		throw new Error(`${what} must be a loopback URL (127.0.0.1, localhost or [::1]); got ${JSON.stringify(url)}`);
	}
}

/**
 * Lower-cased copy of the request headers with string values.
 * @param {http.IncomingHttpHeaders} headers
 * @returns {Record<string, string>}
 */
function plainHeaders(headers) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const [k, v] of Object.entries(headers)) {
		if (v === undefined) continue;
		out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	}
	return out;
}

/**
 * Polls `predicate` every `intervalMs` until it returns true or `timeoutMs` elapses.
 * @param {() => boolean} predicate
 * @param {{ timeoutMs?: number, intervalMs?: number, describe?: () => string }} [options]
 * @returns {Promise<void>}
 */
async function waitUntil(predicate, options = {}) {
	const timeoutMs = options.timeoutMs ?? 5000;
	const intervalMs = options.intervalMs ?? 20;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (predicate()) return;
		if (Date.now() >= deadline) {
			throw new Error(`timed out after ${timeoutMs} ms${options.describe ? `: ${options.describe()}` : ''}`);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/**
 * Escapes text for HTML.
 * @param {unknown} value
 */
function escapeHtml(value) {
	return String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

module.exports = {
	LOOPBACK_HOST,
	listenLoopback,
	readBody,
	sendJson,
	sendHtml,
	randomId,
	isLoopbackUrl,
	assertLoopbackUrl,
	plainHeaders,
	waitUntil,
	escapeHtml,
};
