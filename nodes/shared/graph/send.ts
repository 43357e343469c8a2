/**
 * The send call: one message, retried only when Meta said it did not take it (throttling, HTTP 500/502/503,
 * connection refused before anything was written), never when it may have been delivered (connection
 * reset or timeout after the request left, HTTP 504). The first 2xx ends the loop, so a throttled-then-
 * accepted message is sent exactly once. HTTP goes through the `request` callback, so the node can use n8n's
 * authenticated helper and tests can use anything.
 */
import type { ChatChannel } from '../chatReference';
import { failedOnClosedWindow } from './customerServiceWindow';
import { sentMessageId } from './endpoints';
import { classifyGraphError, parseGraphError } from './errors';
import type { SendFailure } from './errors';
import type { BuiltMessage, MessageKind } from './messages';
import { backoffDelayMs, serverRequestedWaitMs } from './retry';
import type { RetryPolicy } from './retry';

/** What the request callback returns: any HTTP answer, 2xx or not (it must not throw on 4xx/5xx). */
export interface GraphHttpResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

export interface SendDeps {
	/** Waits; the node passes a sleep that ends early when the execution is cancelled (shared/cancellableSleep). */
	sleep: (ms: number) => Promise<void>;
	/** [0, 1) for the jitter. */
	random?: () => number;
	now?: () => number;
	/** Called before every wait, e.g. for logging (never passed a token). */
	onRetry?: (event: { attempt: number; delayMs: number; reason: string }) => void;
}

export type SendResult =
	| { ok: true; statusCode: number; body: unknown; attempts: number }
	| { ok: false; failure: SendFailure };

/** What a thrown request error means for delivery. */
export interface NetworkErrorClass {
	/** retry: never left this machine, transient; notSent: never left, retrying will not help; ambiguous: may have reached Meta. */
	disposition: 'retry' | 'notSent' | 'ambiguous' | 'cancelled';
	code?: string;
	detail: string;
}

/** Connection never established, so nothing reached Meta and a retry is safe. */
const RETRYABLE_BEFORE_SEND = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Never sent, and retrying will not change it (wrong host, TLS trust). */
const PERMANENT_BEFORE_SEND = new Set([
	'ENOTFOUND',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_INVALID_URL',
]);

function errorChain(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current: unknown = error;
	for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
		const record = current as Record<string, unknown>;
		chain.push(record);
		if (Array.isArray(record.errors)) {
			for (const inner of record.errors) if (typeof inner === 'object' && inner !== null) chain.push(inner as Record<string, unknown>);
		}
		current = record.cause;
	}
	return chain;
}

/** Reads the system error code (ECONNREFUSED, ECONNRESET, …) wherever n8n's wrappers put it. */
export function classifyNetworkError(error: unknown): NetworkErrorClass {
	const chain = errorChain(error);
	let code: string | undefined;
	let cancelled = false;
	for (const link of chain) {
		const c = link.code;
		if (typeof c === 'string' && /^[A-Z][A-Z0-9_]+$/.test(c) && code === undefined) code = c;
		if (c === 'ERR_CANCELED' || link.name === 'AbortError' || link.name === 'CanceledError') cancelled = true;
	}
	const innermost = [...chain].reverse().find((link) => typeof link.message === 'string' && link.message !== '');
	const detail = (innermost?.message as string | undefined) ?? 'the request failed without an HTTP answer';
	if (cancelled) return { disposition: 'cancelled', code, detail };
	if (code && RETRYABLE_BEFORE_SEND.has(code)) return { disposition: 'retry', code, detail };
	if (code && PERMANENT_BEFORE_SEND.has(code)) return { disposition: 'notSent', code, detail };
	return { disposition: 'ambiguous', code, detail };
}

/** Sends one request body, retrying per policy. Never throws for HTTP or network failures; the result says. */
export async function sendWithRetry(
	request: () => Promise<GraphHttpResponse>,
	policy: RetryPolicy,
	deps: SendDeps,
): Promise<SendResult> {
	const now = deps.now ?? Date.now;
	let attempts = 0;
	for (;;) {
		attempts++;
		const retriesLeft = policy.maxRetries - (attempts - 1);
		let response: GraphHttpResponse;
		try {
			response = await request();
		} catch (error) {
			const network = classifyNetworkError(error);
			if (network.disposition === 'cancelled') return { ok: false, failure: { type: 'cancelled', attempts } };
			if (network.disposition === 'retry' && retriesLeft > 0) {
				const delayMs = backoffDelayMs(attempts - 1, policy, deps.random);
				deps.onRetry?.({ attempt: attempts, delayMs, reason: network.code ?? 'connection failed' });
				if (!(await waitOrCancelled(deps, delayMs))) return { ok: false, failure: { type: 'cancelled', attempts } };
				continue;
			}
			return {
				ok: false,
				failure: {
					type: 'network',
					disposition: network.disposition === 'ambiguous' ? 'ambiguous' : 'notSent',
					code: network.code,
					detail: network.detail,
					attempts,
				},
			};
		}

		if (response.statusCode >= 200 && response.statusCode < 300) {
			return { ok: true, statusCode: response.statusCode, body: response.body, attempts };
		}

		const info = parseGraphError(response.statusCode, response.body);
		const errorClass = classifyGraphError(info);
		if (errorClass !== 'throttled' && errorClass !== 'transient') {
			return { ok: false, failure: { type: 'graph', errorClass, info, attempts } };
		}
		if (retriesLeft <= 0) return { ok: false, failure: { type: 'graph', errorClass, info, attempts } };
		const requested = serverRequestedWaitMs(response.headers, now());
		if (requested !== undefined && requested > policy.maxDelayMs) {
			return { ok: false, failure: { type: 'graph', errorClass, info, attempts, requestedWaitMs: requested } };
		}
		const delayMs = requested ?? backoffDelayMs(attempts - 1, policy, deps.random);
		deps.onRetry?.({
			attempt: attempts,
			delayMs,
			reason: `HTTP ${info.httpStatus}${info.code !== undefined ? ` code ${info.code}` : ''}`,
		});
		if (!(await waitOrCancelled(deps, delayMs))) return { ok: false, failure: { type: 'cancelled', attempts } };
	}
}

async function waitOrCancelled(deps: SendDeps, ms: number): Promise<boolean> {
	try {
		await deps.sleep(ms);
		return true;
	} catch {
		// The only way sleep rejects is the execution's cancel signal firing.
		return false;
	}
}

export interface DeliveryRequest {
	channel: ChatChannel;
	message: BuiltMessage;
	/** WhatsApp only: sent instead when the primary message fails because the 24-hour window is closed. */
	windowClosedFallback?: BuiltMessage;
	/** Sends one body to the channel's messages endpoint. */
	send: (body: Record<string, unknown>) => Promise<GraphHttpResponse>;
	policy: RetryPolicy;
	deps: SendDeps;
}

export type DeliveryResult =
	| { ok: true; messageId: string | null; kind: MessageKind; fallbackUsed: boolean; attempts: number }
	| { ok: false; failure: SendFailure; duringFallback: boolean };

/** Sends the message; on WhatsApp's 24-hour error (131047) sends the fallback template when one is given. */
export async function deliverMessage(request: DeliveryRequest): Promise<DeliveryResult> {
	const first = await sendWithRetry(() => request.send(request.message.body), request.policy, request.deps);
	if (first.ok) {
		return {
			ok: true,
			messageId: sentMessageId(request.channel, first.body),
			kind: request.message.kind,
			fallbackUsed: false,
			attempts: first.attempts,
		};
	}
	const fallback = request.windowClosedFallback;
	if (!fallback || !failedOnClosedWindow(first.failure) || request.channel !== 'whatsapp') {
		return { ok: false, failure: first.failure, duringFallback: false };
	}
	const second = await sendWithRetry(() => request.send(fallback.body), request.policy, request.deps);
	if (!second.ok) return { ok: false, failure: second.failure, duringFallback: true };
	return {
		ok: true,
		messageId: sentMessageId(request.channel, second.body),
		kind: fallback.kind,
		fallbackUsed: true,
		attempts: first.failure.attempts + second.attempts,
	};
}
