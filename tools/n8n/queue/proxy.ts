/**
 * A small round-robin HTTP load balancer on 127.0.0.1, in front of n8n's webhook processes, as an operator's
 * nginx/HAProxy would be. Meta and Stripe (the simulators) call it, never a host directly.
 *
 * - Requests go to the hosts that are "in", in turn; the body is streamed byte for byte (signatures are
 *   computed on the raw bytes), with X-Forwarded-For/-Proto/-Host added (n8n: N8N_PROXY_HOPS=1).
 * - A host that refuses the connection gets nothing: the request goes to the next host (nothing was sent,
 *   so it is safe even for POST — nginx's `proxy_next_upstream error` does the same). A host that accepted the
 *   request and then failed is not retried (the request may have started a run): the caller gets 502.
 * - `takeOut(i)` / `putBack(i)` take a host out of rotation as an operator (or a failed health check) would.
 */
import http from 'node:http';

export interface Proxy {
	/** http://127.0.0.1:<port>/ */
	url: string;
	port: number;
	/** base URLs of the hosts, e.g. http://127.0.0.1:5680/ */
	setTargets: (targets: string[]) => void;
	takeOut: (i: number) => void;
	putBack: (i: number) => void;
	/** requests each host answered */
	counts: () => number[];
	stop: () => Promise<void>;
}

export async function startProxy(opts: { targets?: string[] } = {}): Promise<Proxy> {
	let hosts: Array<{ url: URL; in: boolean; answered: number }> = [];
	const setTargets = (targets: string[]) => {
		hosts = targets.map((t) => ({ url: new URL(t), in: true, answered: 0 }));
	};
	setTargets(opts.targets ?? []);
	let next = 0;
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const order: number[] = [];
			for (let k = 0; k < hosts.length; k++) {
				const i = (next + k) % hosts.length;
				if (hosts[i].in) order.push(i);
			}
			next = hosts.length ? (next + 1) % hosts.length : 0;
			const attempt = (n: number): void => {
				if (n >= order.length) {
					res.writeHead(502, { 'content-type': 'text/plain' });
					res.end('load balancer: no webhook host accepted the connection\n');
					return;
				}
				const host = hosts[order[n]];
				const headers: http.OutgoingHttpHeaders = { ...req.headers, host: host.url.host };
				headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
				headers['x-forwarded-proto'] = 'http';
				headers['x-forwarded-host'] = req.headers.host ?? '';
				let sent = false;
				const upstream = http.request(
					{ host: host.url.hostname, port: host.url.port, method: req.method, path: req.url, headers, agent },
					(up) => {
						host.answered += 1;
						res.writeHead(up.statusCode ?? 502, up.headers);
						up.pipe(res);
					},
				);
				upstream.on('socket', (socket) => {
					if (!socket.connecting) sent = true;
					else socket.once('connect', () => (sent = true));
				});
				upstream.on('error', (error) => {
					const code = (error as NodeJS.ErrnoException).code;
					if (!sent && (code === 'ECONNREFUSED' || code === 'ECONNRESET')) return attempt(n + 1);
					if (!res.headersSent) {
						res.writeHead(502, { 'content-type': 'text/plain' });
						res.end(`load balancer: the webhook host failed (${code ?? error.message})\n`);
					} else res.destroy();
				});
				upstream.end(body);
			};
			attempt(0);
		});
	});
	server.keepAliveTimeout = 5_000;
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const addr = server.address();
	const port = typeof addr === 'object' && addr ? addr.port : 0;
	return {
		url: `http://127.0.0.1:${port}/`,
		port,
		setTargets,
		takeOut: (i) => void (hosts[i].in = false),
		putBack: (i) => void (hosts[i].in = true),
		counts: () => hosts.map((h) => h.answered),
		stop: () =>
			new Promise<void>((resolve) => {
				agent.destroy();
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}
