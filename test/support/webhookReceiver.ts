/**
 * A loopback webhook endpoint for the simulators' deliveries: keeps each request's raw body and headers (so a
 * test verifies signatures on the exact bytes) and answers each with the status the test chooses.
 */
import type { IncomingHttpHeaders } from 'node:http';

import { listenLoopback, readBody } from '../../tools/sandbox/http';

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
	const listening = await listenLoopback(async (req, res) => {
		received.push({ body: await readBody(req), headers: req.headers });
		res.writeHead(status(), { 'Content-Type': 'application/json' }).end('{"received":true}');
	});
	return { url: `${listening.url}/stripe`, received, stop: listening.stop };
}
