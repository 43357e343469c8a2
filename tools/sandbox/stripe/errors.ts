/**
 * Stripe's error answers: the error the API handlers throw, the presets `failNext` takes, and the JSON
 * body Stripe sends for an error.
 */
import type { StripeErrorBody, StripeErrorPresets } from './types';

export type StripeErrorDetail = StripeErrorBody & Record<string, unknown>;

/** An API answer other than 2xx, thrown by the handlers and sent as `{ error }`. */
export class StripeApiError extends Error {
	readonly status: number;
	readonly error: StripeErrorDetail;

	constructor(status: number, error: StripeErrorDetail) {
		super(error.message ?? error.type);
		this.status = status;
		this.error = error;
	}
}

export function invalid(param: string, message: string, code?: string, status = 400): StripeApiError {
	const error: StripeErrorDetail = { type: 'invalid_request_error', message };
	if (code) error.code = code;
	if (param) error.param = param;
	return new StripeApiError(status, error);
}

export const missingParam = (param: string): StripeApiError => invalid(param, `Missing required param: ${param}.`, 'parameter_missing');

export const stripeErrors: StripeErrorPresets = {
	rateLimit: () => ({
		status: 429,
		error: {
			type: 'invalid_request_error',
			code: 'rate_limit',
			message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
		},
	}),
	apiError: (status = 500) => ({
		status,
		error: { type: 'api_error', message: 'An unknown error occurred' },
		headers: { 'Stripe-Should-Retry': 'true' },
	}),
	lockTimeout: () => ({
		status: 409,
		error: {
			type: 'invalid_request_error',
			code: 'lock_timeout',
			message: 'This object cannot be accessed right now because another API request or Stripe process is currently accessing it.',
		},
	}),
	authentication: () => ({
		status: 401,
		error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****************************xxxx' },
	}),
	invalidRequest: (e = {}) => ({
		status: 400,
		error: { type: 'invalid_request_error', message: e.message ?? 'Invalid request', ...(e.param ? { param: e.param } : {}), ...(e.code ? { code: e.code } : {}) },
	}),
	idempotency: () => ({
		status: 400,
		error: {
			type: 'idempotency_error',
			message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
		},
	}),
};

/** The error an injected failure answers when its spec names none. */
export function defaultErrorFor(status: number): StripeErrorBody {
	if (status === 429) return stripeErrors.rateLimit().error as StripeErrorBody;
	if (status === 401) return stripeErrors.authentication().error as StripeErrorBody;
	if (status === 409) return stripeErrors.lockTimeout().error as StripeErrorBody;
	if (status >= 500) return { type: 'api_error', message: 'An unknown error occurred' };
	return { type: 'invalid_request_error', message: 'Simulated error' };
}

/** The error as Stripe sends it: a doc_url for its code, no empty fields. */
export function withDocUrl(error: StripeErrorBody | StripeErrorDetail): StripeErrorDetail {
	const out: StripeErrorDetail = { ...error };
	if (out.code && !out.doc_url) out.doc_url = `https://stripe.com/docs/error-codes/${String(out.code).replace(/_/g, '-')}`;
	for (const k of Object.keys(out)) if (out[k] === undefined || out[k] === '') delete out[k];
	return out;
}

/** "Unrecognized request URL", Stripe's 404 for a path it has no endpoint at. */
export const unrecognizedUrl = (method: string, path: string): string =>
	`Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;
