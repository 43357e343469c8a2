/**
 * Where n8n's outbound traffic ends: HTTP(S)_PROXY / ALL_PROXY of the n8n under test point at this sink on
 * 127.0.0.1, which refuses every request and records its target (NO_PROXY keeps loopback direct).
 */
import http from 'node:http';

/** An outbound request the sink refused. */
export interface BlockedRequest {
	method: string;
	target: string;
	at: string;
}

export interface OutboundSink {
	url: string;
	port: number;
	blocked: BlockedRequest[];
	close: () => Promise<void>;
}

/** A loopback HTTP proxy that refuses everything: n8n's outbound calls end here. */
export async function startOutboundSink(): Promise<OutboundSink> {
	const blocked: BlockedRequest[] = [];
	const srv = http.createServer((req, res) => {
		blocked.push({ method: req.method ?? '?', target: req.url ?? '', at: new Date().toISOString() });
		res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
		res.end('e2e harness: outbound traffic is blocked (loopback only)\n');
	});
	srv.on('connect', (req, socket) => {
		blocked.push({ method: 'CONNECT', target: req.url ?? '', at: new Date().toISOString() });
		socket.on('error', () => {});
		socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
	});
	srv.on('clientError', (_e, socket) => socket.destroy());
	await new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(undefined)));
	const addr = srv.address();
	const port = typeof addr === 'object' && addr ? addr.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		blocked,
		close: () =>
			new Promise((resolve) => {
				srv.closeAllConnections?.();
				srv.close(() => resolve(undefined));
			}),
	};
}
