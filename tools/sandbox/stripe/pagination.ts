/**
 * Stripe's list answers: `limit` (1–100, default 10) and `starting_after`, newest first.
 */
import { invalid } from './errors';
import { parseInteger } from './paramChecks';
import type { StripeObject } from './types';

/** What an API handler answers. */
export interface ApiAnswer {
	status: number;
	body: unknown;
}

/** The request as the API handlers see it. */
export interface ApiRequestContext {
	baseUrl: string;
	requestId: string;
	idempotencyKey: string | null;
}

export function paginate<T>(all: T[], params: StripeObject, url: string, idOf: (x: T) => string) {
	const limit = params.limit !== undefined ? parseInteger(params.limit, 'limit', { min: 1 }) : 10;
	if (limit > 100) throw invalid('limit', 'This value must be less than or equal to 100.', 'parameter_invalid_integer');
	let start = 0;
	if (params.starting_after) {
		const i = all.findIndex((x) => idOf(x) === params.starting_after);
		start = i === -1 ? all.length : i + 1;
	}
	const data = all.slice(start, start + limit);
	return { object: 'list' as const, data, has_more: start + limit < all.length, url };
}
