// @ts-check
'use strict';
/**
 * A loopback proxy in front of the model simulator that plays a slow model on cue: a completion whose request
 * contains one of `slow.texts` is held `slow.holdMs` before it is passed on; everything else passes at once.
 * The sandbox's model credential points at it (startSandbox's `credentialData`).
 */
const http = require('node:http');

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** @param {() => string} target  the simulator's base URL (…/v1), asked on every request */
async function startSlowModelProxy(target) {
	/** @type {{ texts: string[], holdMs: number, held: number }} */
	const slow = { texts: [], holdMs: 0, held: 0 };
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const body = Buffer.concat(chunks);
			const text = body.toString('utf8');
			if (slow.texts.some((t) => text.includes(t))) {
				slow.held += 1;
				await sleep(slow.holdMs);
			}
			const url = new URL(req.url ?? '/', target().replace(/\/v1\/?$/, '/'));
			/** @type {Record<string, string>} */
			const headers = {};
			for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
			try {
				const answer = await fetch(url, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
				res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
				res.end(Buffer.from(await answer.arrayBuffer()));
			} catch (error) {
				res.writeHead(502).end(String(error));
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	return {
		baseURL: `http://127.0.0.1:${port}/v1`,
		slow,
		stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

module.exports = { startSlowModelProxy };
