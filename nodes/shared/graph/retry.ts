/**
 * Retry policy for throttled sends: bounded retries, exponential backoff with full jitter, and Meta's own
 * "wait this long" hints (Retry-After, X-Business-Use-Case-Usage) honoured when given.
 */

export interface RetryPolicy {
	/** Retries after the first attempt (0 = never retry). */
	maxRetries: number;
	/** Backoff base: retry n (0-based) waits a random time in [0, base × 2^n], capped at maxDelayMs. */
	baseDelayMs: number;
	/** Longest single wait. A server asking for a longer wait ends the retries at once. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Clamps user-supplied numbers into a usable policy. */
export function retryPolicyFrom(input: Partial<RetryPolicy>): RetryPolicy {
	const pick = (value: unknown, fallback: number, min: number, max: number) => {
		const n = typeof value === 'number' ? value : Number(value);
		if (!Number.isFinite(n)) return fallback;
		return Math.min(max, Math.max(min, Math.floor(n)));
	};
	return {
		maxRetries: pick(input.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, 0, 10),
		baseDelayMs: pick(input.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs, 0, 60_000),
		maxDelayMs: pick(input.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs, 0, 600_000),
	};
}

/** Full-jitter backoff for retry number `retryIndex` (0 for the first retry); `random` returns [0, 1). */
export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
	return Math.floor(random() * ceiling);
}

type HeaderBag = Record<string, unknown> | undefined;

export function headerValue(headers: HeaderBag, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
		return value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date (a past date means 0); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (text === '') return undefined;
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	if (/^[+-]?\d*\.?\d+$/.test(text)) return undefined;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * Graph's `X-Business-Use-Case-Usage` header (`{"<id>":[{"type":…,"estimated_time_to_regain_access":<minutes>}]}`):
 * the longest announced lock-out in milliseconds, or undefined when none is announced.
 */
export function parseBusinessUseCaseWait(value: string | undefined): number | undefined {
	if (!value) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(value);
	} catch {
		return undefined;
	}
	if (typeof parsed !== 'object' || parsed === null) return undefined;
	let minutes = 0;
	for (const entries of Object.values(parsed as Record<string, unknown>)) {
		if (!Array.isArray(entries)) continue;
		for (const entry of entries) {
			const m = Number((entry as Record<string, unknown> | null)?.estimated_time_to_regain_access);
			if (Number.isFinite(m) && m > minutes) minutes = m;
		}
	}
	return minutes > 0 ? minutes * 60_000 : undefined;
}

/** How long the server asked us to wait, from Retry-After or Graph's usage header; undefined when it did not say. */
export function serverRequestedWaitMs(headers: HeaderBag, now: number = Date.now()): number | undefined {
	const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'), now);
	if (retryAfter !== undefined) return retryAfter;
	return parseBusinessUseCaseWait(headerValue(headers, 'x-business-use-case-usage'));
}
