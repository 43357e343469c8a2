/**
 * What the hosted pages (checkout, portal) share: reading the request, plain error pages, and answering a
 * button press with the page again (or JSON, for a test that asks for it).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { sendHtml, sendJson } from '../http';
import type { ActionResult } from './types';

export interface PageRequest {
	method: string;
	/** A test driving the page asks for JSON (Accept: application/json) instead of the page. */
	wantsJson: boolean;
}

export function pageRequest(req: IncomingMessage): PageRequest {
	return { method: (req.method ?? 'GET').toUpperCase(), wantsJson: /application\/json/.test(String(req.headers.accept ?? '')) };
}

export function sendPlainPage(res: ServerResponse, status: number, title: string, headers?: Record<string, string>): void {
	sendHtml(res, status, `<!doctype html><html><body><h1>${title}</h1></body></html>`, headers);
}

/** The events of an action as a page's JSON answer lists them. */
export const eventSummaries = (result: ActionResult) => result.events.map((e) => ({ id: e.id, type: e.type, status: e.status }));

/**
 * Runs a button's action: the page (or JSON) after it, or the page with the error (409, or the error's own
 * status) when the action is not possible now.
 */
export async function answerPageAction(
	res: ServerResponse,
	request: PageRequest,
	run: () => Promise<ActionResult>,
	answer: { json: (result: ActionResult) => unknown; html: (result: ActionResult) => string; failedHtml: (message: string) => string },
): Promise<void> {
	try {
		const result = await run();
		if (request.wantsJson) return sendJson(res, 200, answer.json(result));
		return sendHtml(res, 200, answer.html(result));
	} catch (err) {
		const status = (err as { status?: number }).status ?? 409;
		const message = err instanceof Error ? err.message : String(err);
		if (request.wantsJson) return sendJson(res, status, { error: { message } });
		return sendHtml(res, status, answer.failedHtml(message));
	}
}
