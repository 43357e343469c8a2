/**
 * A stand-in for the Graph API on 127.0.0.1: records every request (method, path, headers, parsed JSON body)
 * and answers from a script; once the script is used up it answers like Meta does for a successful send.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: unknown;
}

export type ScriptedAnswer =
	| { status: number; body?: unknown; headers?: Record<string, string> }
	/** Read the request, then drop the connection without answering (a send Meta may have received). */
	| 'destroy';

export interface FakeGraph {
	baseUrl: string;
	requests: RecordedRequest[];
	/** Answers for the next requests, in order. */
	script(...answers: ScriptedAnswer[]): void;
	close(): Promise<void>;
}

export function graphError(
	code: number,
	message: string,
	extra: { subcode?: number; details?: string; type?: string; fbtraceId?: string } = {},
) {
	const error: Record<string, unknown> = {
		message,
		type: extra.type ?? 'OAuthException',
		code,
		fbtrace_id: extra.fbtraceId ?? 'AbCdEfTrace123',
	};
	if (extra.subcode !== undefined) error.error_subcode = extra.subcode;
	if (extra.details !== undefined) error.error_data = { messaging_product: 'whatsapp', details: extra.details };
	return { error };
}

export async function startFakeGraph(): Promise<FakeGraph> {
	const requests: RecordedRequest[] = [];
	const queue: ScriptedAnswer[] = [];
	let sent = 0;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body: unknown = raw;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				// keep the raw text
			}
			requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
			const answer = queue.shift();
			if (answer === 'destroy') {
				req.socket.destroy();
				return;
			}
			let status = 200;
			let payload: unknown;
			let headers: Record<string, string> = {};
			if (answer) {
				status = answer.status;
				payload = answer.body;
				headers = answer.headers ?? {};
			} else {
				sent++;
				const sentBody = (body as { messaging_product?: string; to?: string; recipient?: { id?: string } } | undefined) ?? {};
				payload =
					sentBody.messaging_product === 'whatsapp'
						? {
								messaging_product: 'whatsapp',
								contacts: [{ input: sentBody.to, wa_id: sentBody.to }],
								messages: [{ id: `wamid.TEST${sent}` }],
							}
						: { recipient_id: sentBody.recipient?.id, message_id: `mid.TEST${sent}` };
			}
			res.writeHead(status, { 'content-type': 'application/json', ...headers });
			res.end(payload === undefined ? '' : JSON.stringify(payload));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		script: (...answers) => queue.push(...answers),
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
