/**
 * A loopback proxy in front of the model simulator that plays a slow model on cue: a completion whose request
 * contains one of `slow.texts` is held `slow.holdMs` before it is passed on; everything else passes at once.
 * The sandbox's model credential points at it (startSandbox's `credentialData`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '../../wait';

export interface SlowModelProxy {
	baseURL: string;
	/** what is held (requests containing one of `texts`), for how long, and how many were */
	slow: { texts: string[]; holdMs: number; held: number };
	stop: () => Promise<void>;
}

/** `target`: the simulator's base URL (…/v1), asked on every request. */
export async function startSlowModelProxy(target: () => string): Promise<SlowModelProxy> {
	const slow: SlowModelProxy['slow'] = { texts: [], holdMs: 0, held: 0 };
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const body = Buffer.concat(chunks);
			const text = body.toString('utf8');
			if (slow.texts.some((t) => text.includes(t))) {
				slow.held += 1;
				await sleep(slow.holdMs);
			}
			const url = new URL(req.url ?? '/', target().replace(/\/v1\/?$/, '/'));
			const headers: Record<string, string> = {};
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
	const port = (server.address() as AddressInfo).port;
	return {
		baseURL: `http://127.0.0.1:${port}/v1`,
		slow,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
