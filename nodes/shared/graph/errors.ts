/**
 * Graph API errors: reading Meta's error body and sorting errors into what the send loop does with them
 * (retry, fall back to a template, stop). explainFailure.ts turns each failure into plain words.
 */
import type { ChatChannel } from '../chatReference';
import { isWindowClosedError } from './customerServiceWindow';

export interface GraphErrorInfo {
	httpStatus: number;
	code?: number;
	subcode?: number;
	type?: string;
	/** Meta's `message`, e.g. "(#131047) Re-engagement message". */
	message?: string;
	/** WhatsApp's `error_data.details` or Graph's `error_user_msg`. */
	details?: string;
	fbtraceId?: string;
	isTransient?: boolean;
}

/**
 * - throttled: rate limits (WhatsApp 130429/131056, Graph 4/17/32/613, WABA 80007, HTTP 429) — retried.
 * - transient: HTTP 500/502/503 or `is_transient` — Meta answered that it did not process the call — retried.
 * - ambiguous: HTTP 504 — a gateway gave up waiting; Meta may have sent the message — not retried.
 * - windowClosed: outside the 24-hour customer-service window — template fallback or a clear error.
 * - authExpired: the token is expired, revoked or invalid (190, HTTP 401).
 * - permission: the token may not send as this account (10, 200–299, 3, WhatsApp 131005).
 * - other: everything else — explained, never retried.
 */
export type GraphErrorClass =
	| 'throttled'
	| 'transient'
	| 'ambiguous'
	| 'windowClosed'
	| 'authExpired'
	| 'permission'
	| 'other';

const THROTTLE_CODES = new Set([4, 17, 32, 613, 80007, 130429, 131056]);
/** Code 4 subcode 2018354: Messenger marketing-message frequency cap — waiting seconds does not help. */
const NOT_A_THROTTLE_SUBCODES = new Set([2018354]);

function asNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
	return undefined;
}

function asText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads Meta's `{ error: { message, type, code, error_subcode, error_data, fbtrace_id } }` from any body. */
export function parseGraphError(httpStatus: number, body: unknown): GraphErrorInfo {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			const text = body.trim();
			return { httpStatus, message: text ? text.slice(0, 300) : undefined };
		}
	}
	const error = (parsed as { error?: unknown } | null)?.error;
	if (typeof error !== 'object' || error === null) return { httpStatus };
	const e = error as Record<string, unknown>;
	const errorData = (typeof e.error_data === 'object' && e.error_data !== null ? e.error_data : {}) as Record<
		string,
		unknown
	>;
	return {
		httpStatus,
		code: asNumber(e.code),
		subcode: asNumber(e.error_subcode),
		type: asText(e.type),
		message: asText(e.message),
		details: asText(errorData.details) ?? asText(e.error_user_msg),
		fbtraceId: asText(e.fbtrace_id),
		isTransient: e.is_transient === true ? true : undefined,
	};
}

export function classifyGraphError(info: GraphErrorInfo): GraphErrorClass {
	const { code, subcode, httpStatus } = info;
	if (isWindowClosedError(info)) return 'windowClosed';
	if (code !== undefined && THROTTLE_CODES.has(code) && !(subcode !== undefined && NOT_A_THROTTLE_SUBCODES.has(subcode))) {
		return 'throttled';
	}
	if (httpStatus === 429) return 'throttled';
	if (code === 190 || code === 102) return 'authExpired';
	if (httpStatus === 401 && (code === undefined || code === 0)) return 'authExpired';
	if (code === 10 || code === 3 || code === 131005 || (code !== undefined && code >= 200 && code <= 299)) {
		return 'permission';
	}
	if (httpStatus === 504) return 'ambiguous';
	if (httpStatus === 500 || httpStatus === 502 || httpStatus === 503 || info.isTransient) return 'transient';
	return 'other';
}

/** Why a send did not go through, as the send loop saw it. */
export type SendFailure =
	| {
			type: 'graph';
			errorClass: GraphErrorClass;
			info: GraphErrorInfo;
			attempts: number;
			/** Set when a throttled/transient error stopped being retried because the server wanted a longer wait. */
			requestedWaitMs?: number;
	  }
	| {
			type: 'network';
			/** notSent: the request never left (retried, then given up); ambiguous: it may have reached Meta. */
			disposition: 'notSent' | 'ambiguous';
			code?: string;
			detail: string;
			attempts: number;
	  }
	| { type: 'cancelled'; attempts: number };

export interface FailureContext {
	channel: ChatChannel;
	/** Credential type name, e.g. chatCheckoutWhatsAppApi. */
	credentialType: string;
	/** Credential display name, e.g. "WhatsApp Cloud API". */
	credentialName: string;
	/** The account the message was sent from (phone number id / Instagram account id). */
	senderAccountId: string;
	/** The account id configured in the credential, when it differs from the sender. */
	credentialAccountId?: string;
	/** The failure happened while sending the 24-hour fallback template. */
	duringFallback?: boolean;
	/** Retry › Max Wait, for the "asked to wait longer" message. */
	maxDelayMs?: number;
}

export interface OperatorError {
	message: string;
	description: string;
	httpCode?: string;
}
