/** What the two completion APIs (chatCompletions.ts, responsesApi.ts) are given to answer with. */
import type { ServerResponse } from 'node:http';
import { randomId } from '../http';
import type { ModelOutput, OpenAiBody } from './types';

export interface Completion {
	body: OpenAiBody;
	model: string;
	out: ModelOutput;
	/** Answered through the legacy `functions` (a function_call) rather than `tools`. */
	legacyFunction: boolean;
	promptTokens: number;
	completionTokens: number;
	/** Unix seconds. */
	created: number;
}

export interface Answering {
	/** One JSON response (recorded with its status). */
	reply: (status: number, body: unknown) => void;
	/** Starts a 200 server-sent-events response (recorded) and returns it to write to. */
	openStream: () => ServerResponse;
}

export const sseHeaders = (): Record<string, string> => ({
	'Content-Type': 'text/event-stream; charset=utf-8',
	'Cache-Control': 'no-cache',
	Connection: 'keep-alive',
	'x-request-id': randomId('req_', 24),
});

/** A streamed text in pieces, as a model streams its tokens. */
export function chunks(text: string, size = 16): string[] {
	const out: string[] = [];
	for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
	return out.length ? out : [''];
}
