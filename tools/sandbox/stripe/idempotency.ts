/**
 * Idempotent requests as Stripe keeps them: a POST with an Idempotency-Key answers again what the first one
 * answered (Idempotent-Replayed), or Stripe's idempotency_error when the key comes back with another endpoint
 * or other params.
 */
import type { IdempotentAnswer, SimContext } from './context';
import { withDocUrl } from './errors';

export interface KeyedRequest {
	method: string;
	path: string;
	/** The params in canonical JSON (see canonical). */
	params: string;
	key: string;
}

/** What to answer instead of running the request again; undefined to run it. */
export type IdempotencyVerdict = { status: number; body: unknown; headers?: Record<string, string>; replayed: boolean } | undefined;

/** JSON with sorted object keys, to compare params regardless of order. */
export function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const obj = value as Record<string, unknown>;
		return `{${Object.keys(obj)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

export function checkIdempotency(ctx: SimContext, request: KeyedRequest): IdempotencyVerdict {
	const { key, method, path } = request;
	if (key.length > 255) {
		return { status: 400, body: { error: withDocUrl({ type: 'invalid_request_error', message: 'Idempotency-Key must be at most 255 characters long.' }) }, replayed: false };
	}
	const prior = ctx.idempotency.get(key);
	if (!prior) return undefined;
	if (prior.path !== path || prior.method !== method) {
		const message = `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${prior.method} ${prior.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`;
		return { status: 400, body: { error: { message, type: 'idempotency_error' } }, replayed: false };
	}
	if (prior.params !== request.params) {
		const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
		return { status: 400, body: { error: { message, type: 'idempotency_error' } }, replayed: false };
	}
	return { status: prior.status, body: prior.body, headers: { 'Idempotent-Replayed': 'true', 'Original-Request': prior.requestId }, replayed: true };
}

export function rememberAnswer(ctx: SimContext, request: KeyedRequest, answer: Omit<IdempotentAnswer, 'method' | 'path' | 'params'>): void {
	ctx.idempotency.set(request.key, { method: request.method, path: request.path, params: request.params, ...answer });
}
