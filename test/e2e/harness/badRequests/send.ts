/** Sending the cases to a webhook exactly as built, and judging each answer against what the case may get. */
import http from 'node:http';
import { jsonValue } from './n8nBody';
import type { BadRequest, N8nDefect } from './types';

export interface Outcome {
	/** undefined: no answer (see error) */
	status?: number;
	/** the first 2000 characters of the answer */
	body: string;
	/** 'timeout …' when n8n did not answer in time, else the network error (reset, refused) */
	error?: string;
	ms: number;
}

/**
 * Sends one case on a connection of its own with node:http: the headers exactly as built (a repeated name goes
 * out as separate lines), Host and Content-Length added. Never rejects.
 * @param url  the webhook URL
 */
export function sendRequest(url: string, request: BadRequest, o: { timeoutMs: number }): Promise<Outcome> {
	const started = Date.now();
	const target = new URL(url + request.query);
	return new Promise((resolve) => {
		let done = false;
		let status: number | undefined;
		const chunks: Buffer[] = [];
		let size = 0;
		const answer = () => Buffer.concat(chunks).toString('utf8').slice(0, 2000);
		const finish = (r: { status?: number; error?: string }) => {
			if (done) return;
			done = true;
			resolve({ ...r, body: answer(), ms: Date.now() - started });
		};
		const describe = (error: { name?: string; code?: string; message?: string } | undefined) =>
			error?.name === 'AbortError' || error?.name === 'TimeoutError' ? `timeout: no answer within ${o.timeoutMs} ms` : `${error?.code ?? error?.name}: ${error?.message}`;
		const headers: string[] = ['host', target.host];
		for (const [name, value] of request.headers) headers.push(name, value);
		if (request.body !== undefined) headers.push('content-length', String(request.body.length));
		let req: http.ClientRequest;
		try {
			req = http.request(target, { method: request.method, headers, agent: false, signal: AbortSignal.timeout(o.timeoutMs) }, (res) => {
				status = res.statusCode;
				res.on('data', (chunk: Buffer) => {
					if (size < 4096) chunks.push(chunk);
					size += chunk.length;
				});
				res.on('end', () => finish({ status }));
				res.on('error', () => finish({ status }));
				res.on('close', () => finish({ status }));
			});
		} catch (error) {
			finish({ error: `not sent: ${describe(error)}` });
			return;
		}
		// An answer came before the whole body was written (n8n refuses by Content-Length): a write error after it is no failure.
		req.on('error', (error) => (status === undefined ? finish({ error: describe(error) }) : finish({ status })));
		req.end(request.body);
	});
}

/**
 * Sends all cases, at most `concurrency` at a time, in their order; starts none after `deadline` (ms since the
 * epoch): those come back with error 'not sent: over the time budget'.
 */
export async function sendAll(
	url: string,
	cases: BadRequest[],
	o: { concurrency: number; timeoutMs: number; deadline?: number },
): Promise<Array<{ request: BadRequest; outcome: Outcome }>> {
	const results: Array<{ request: BadRequest; outcome: Outcome }> = new Array(cases.length);
	let next = 0;
	const worker = async () => {
		while (next < cases.length) {
			const index = next++;
			const request = cases[index];
			const outcome = o.deadline !== undefined && Date.now() > o.deadline
				? { error: 'not sent: over the time budget', body: '', ms: 0 }
				: await sendRequest(url, request, { timeoutMs: o.timeoutMs });
			results[index] = { request, outcome };
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
	return results;
}

/**
 * What is wrong with an outcome, or undefined: a network error or no answer, a 5xx, a status the case may not
 * get, or a 200 with another body than documented.
 */
export function verdict(request: BadRequest, outcome: Outcome): string | undefined {
	if (request.n8nDefect && n8nDefectExplains(request.n8nDefect, outcome)) return undefined;
	if (outcome.status === undefined) return `no answer (${outcome.error})`;
	if (outcome.status >= 500) return `server error ${outcome.status}, expected ${request.expect.join('|')}`;
	if (!request.expect.includes(outcome.status)) return `status ${outcome.status}, expected ${request.expect.join('|')}`;
	if (outcome.status === 200 && request.answer !== undefined) {
		const body = jsonValue(outcome.body);
		if (!body) return `200 with a body that is not JSON: ${outcome.body.slice(0, 120)}`;
		if (JSON.stringify(body.value) !== JSON.stringify(request.answer)) return `200 with ${outcome.body.slice(0, 160)}, expected ${JSON.stringify(request.answer).slice(0, 160)}`;
	}
	return undefined;
}

/** Whether `outcome` is what n8n's own defect (not our node) makes of such a request. */
export function n8nDefectExplains(defect: N8nDefect, outcome: { status?: number }): boolean {
	return outcome.status === undefined ? defect.noAnswer === true : defect.statuses.includes(outcome.status);
}
