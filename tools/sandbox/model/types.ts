/** The simulator's public shapes: how tests start, steer and inspect it. */
import type { ChatOrderAnswer, PromptContext } from './orderReading';

/** A parsed OpenAI request body: open JSON (chat completions or Responses API, whatever the client sends). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpenAiBody = Record<string, any>;

/** "Today" (UTC): a fixed time, or a clock. */
export type Now = Date | number | (() => Date | number);

export interface LlmFailSpec {
	status: number;
	/** Default: an OpenAI error for the status. */
	body?: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
}

export interface LlmAnswerRecord {
	mode: 'tool_call' | 'content' | 'function_call';
	toolName?: string;
	text?: string;
	arguments?: OpenAiBody;
}

export interface LlmRequestRecord {
	at: string;
	method: string;
	path: string;
	headers: Record<string, string>;
	/** Parsed JSON body. */
	body: OpenAiBody | null;
	api: 'chat' | 'responses' | 'models' | 'other';
	stream: boolean;
	/** The customer's text: the last user message. */
	lastUserText: string | null;
	/** What the model read from the system message. */
	context: PromptContext | null;
	/** What the model understood (before a queued reply or injections). */
	reading: ChatOrderAnswer | null;
	/** What it sent. */
	answer: LlmAnswerRecord | null;
	/** Gullible mode: what the message made the model put into its answer. */
	injected: Record<string, unknown> | null;
	status: number;
}

export interface LlmSimOptions {
	/** Required Bearer key (omit: any key, or none, is accepted). */
	apiKey?: string;
	/** "Today" (UTC) when a prompt has no `<today>`; default the real clock. */
	now?: Now;
	/** Listed by GET /v1/models (default gpt-4o-mini, gpt-4.1-mini, gpt-5-mini). */
	models?: string[];
	port?: number;
	/** Start in gullible mode (default false: a well-behaved model). */
	gullible?: boolean;
}

export interface LlmSim {
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** `${url}/v1` — what an OpenAI credential's Base URL should be. */
	baseURL: string;
	port: number;
	stop: () => Promise<void>;
	requests: LlmRequestRecord[];
	/** "Today" for prompts without `<today>`. */
	setNow: (now: Now) => void;
	/**
	 * Queue an answer for the next completion: a string is sent as content verbatim (broken JSON, fences, prose);
	 * an object is sent instead of the computed answer, as it is (missing fields stay missing; no gullible injections).
	 */
	nextReply: (reply: string | Record<string, unknown>) => void;
	failNext: (spec: LlmFailSpec, count?: number) => void;
	/** Drops queued failures nobody consumed. */
	clearFailures: () => void;
	/** Gullible mode on/off: obey instructions in the customer's message. */
	setGullible: (on: boolean) => void;
	/** Clears requests, queued replies and failures (the mode stays). */
	reset: () => void;
}

/** What the model answers: a call of one tool (function), or text content. */
export type ModelOutput = { kind: 'tool'; name: string; args: string } | { kind: 'text'; text: string };
