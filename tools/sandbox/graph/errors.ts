/** Graph API errors in Meta's shapes: the body builder and the presets tests inject with `failNext`. */
import { randomId } from '../http';
import type { FailSpec, GraphErrorPresets, MetaErrorBody, MetaErrorInput } from './types';

/** A fresh trace id like the `fbtrace_id` Meta puts on every error (and in `x-fb-trace-id`). */
export function fbtraceId(): string {
	return randomId('A', 23);
}

/** The body Meta answers an error with: `{ error: { message, type, code, error_subcode?, error_data?, fbtrace_id } }`. */
export function metaErrorBody(input: MetaErrorInput): MetaErrorBody {
	const withData = input.details !== undefined || input.whatsapp === true;
	return {
		error: {
			message: input.message,
			type: input.type ?? 'OAuthException',
			code: input.code,
			...(input.subcode === undefined ? {} : { error_subcode: input.subcode }),
			...(input.isTransient === undefined ? {} : { is_transient: input.isTransient }),
			...(input.userTitle === undefined ? {} : { error_user_title: input.userTitle }),
			...(input.userMessage === undefined ? {} : { error_user_msg: input.userMessage }),
			...(withData
				? {
						error_data: {
							...(input.whatsapp === false ? {} : { messaging_product: 'whatsapp' as const }),
							...(input.details === undefined ? {} : { details: input.details }),
						},
					}
				: {}),
			fbtrace_id: input.fbtraceId ?? fbtraceId(),
		},
	};
}

/** A Meta error as an answer to inject (status default 400). */
export function metaError(input: MetaErrorInput): FailSpec {
	return { status: input.status ?? 400, body: metaErrorBody(input), headers: input.headers ?? {} };
}

/** Graph's answer for an id that is no node it knows (or may not see). */
export function unknownObject(id: string, verb: 'get' | 'post'): FailSpec {
	return metaError({
		code: 100,
		subcode: 33,
		type: 'GraphMethodException',
		message: `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
	});
}

/** Graph's answer to a call without a usable access token. */
export function missingToken(): FailSpec {
	return metaError({ status: 401, code: 190, message: 'An active access token must be used to query information about the current user.' });
}

/** What the sim answers when a FailSpec gives a status but no body. */
export function defaultErrorBody(status: number): MetaErrorBody {
	return status >= 500
		? metaErrorBody({ code: 2, message: 'An unexpected error has occurred. Please retry your request later.' })
		: metaErrorBody({ code: 1, message: 'An unknown error has occurred.' });
}

export const graphErrors: GraphErrorPresets = {
	meta: metaError,
	invalidToken: (status = 401) =>
		metaError({
			status,
			code: 190,
			message: 'Invalid OAuth access token - Cannot parse access token',
			headers: { 'WWW-Authenticate': 'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"' },
		}),
	expiredToken: (status = 401) =>
		metaError({
			status,
			code: 190,
			subcode: 463,
			message: 'Error validating access token: Session has expired on Thursday, 01-Jan-26 00:00:00 PST. The current time is Friday, 02-Jan-26 00:00:00 PST.',
			headers: { 'WWW-Authenticate': 'OAuth "Facebook Platform" "invalid_token" "Error validating access token: Session has expired"' },
		}),
	throttled: (status = 400) =>
		metaError({ status, code: 130429, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.', isTransient: true }),
	outsideWindow: (status = 400) =>
		metaError({
			status,
			code: 131047,
			message: '(#131047) Re-engagement message',
			details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
		}),
	pairRateLimit: (status = 400) =>
		metaError({
			status,
			code: 131056,
			message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
			details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
			isTransient: true,
		}),
	appRateLimit: (status = 400) => metaError({ status, code: 4, message: '(#4) Application request limit reached', isTransient: true }),
	userRateLimit: (status = 400) => metaError({ status, code: 17, message: '(#17) User request limit reached', isTransient: true }),
	pageRateLimit: (status = 400) => metaError({ status, code: 32, message: '(#32) Page request limit reached', isTransient: true }),
	apiRateLimit: (status = 400) =>
		metaError({ status, code: 613, message: '(#613) Calls to this api have exceeded the rate limit.', isTransient: true }),
	tooManyRequests: (retryAfterSeconds = 1) =>
		metaError({
			status: 429,
			code: 4,
			message: '(#4) Application request limit reached',
			isTransient: true,
			headers: { 'Retry-After': String(retryAfterSeconds) },
		}),
	serverError: (status = 500) =>
		metaError({ status, code: 2, message: 'An unexpected error has occurred. Please retry your request later.', isTransient: true }),
	igOutsideWindow: (status = 400) =>
		metaError({ status, code: 10, subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' }),
	invalidParameter: (details = 'Parameter value is not valid') =>
		metaError({ status: 400, code: 131009, message: '(#131009) Parameter value is not valid', details }),
	badGateway: (status = 502) => ({
		status,
		body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
		headers: { 'Content-Type': 'text/html; charset=utf-8' },
	}),
	connectionDropped: () => ({ status: 0, dropConnection: true }),
};
