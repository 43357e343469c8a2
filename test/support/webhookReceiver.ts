/**
 * A loopback webhook endpoint for the simulators' deliveries: keeps each request's raw body and headers (so a
 * test verifies signatures on the exact bytes) and answers each with the status the test chooses.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
	body: string;
	headers: IncomingHttpHeaders;
}

export interface WebhookReceiver {
	/** `http://127.0.0.1:<port>/stripe` */
	url: string;
	/** Every request received, in order (the same array for the receiver's life). */
	received: ReceivedRequest[];
	stop: () => Promise<void>;
}

/** @param status the status of each answer, asked per request (default 200). */
export async function startWebhookReceiver(status: () => number = () => 200): Promise<WebhookReceiver> {
	const received: ReceivedRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
			res.writeHead(status(), { 'Content-Type': 'application/json' }).end('{"received":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stripe`,
		received,
		stop: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
