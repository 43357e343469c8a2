/** Writing one answer the way Graph does: its trace headers, JSON or text, after the configured latency. */
import type { ServerResponse } from 'node:http';

import { randomId, sendJson } from '../http';
import { defaultErrorBody, fbtraceId } from './errors';
import type { GraphState } from './state';
import type { FailSpec } from './types';

export async function answer(state: GraphState, res: ServerResponse, spec: FailSpec): Promise<void> {
	const delay = (spec.delayMs ?? 0) + state.latencyMs;
	if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
	if (spec.dropConnection) {
		// The request has been read in full: closing now is a send Meta may have received but never confirmed.
		res.destroy();
		return;
	}
	const headers = {
		'x-fb-trace-id': fbtraceId(),
		'x-fb-request-id': randomId('A', 23),
		'facebook-api-version': state.apiVersion,
		...(spec.headers ?? {}),
	};
	const body = spec.body === undefined ? defaultErrorBody(spec.status) : spec.body;
	if (typeof body === 'string') {
		res.writeHead(spec.status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
		res.end(body);
	} else {
		sendJson(res, spec.status, body, headers);
	}
}
