/**
 * Graph API errors: reading Meta's error body, sorting errors into what the send loop does with them
 * (retry, fall back to a template, stop), and explaining each failure to an operator in plain words —
 * what went wrong and where in Meta's dashboards to fix it — with Meta's own text and fbtrace_id attached.
 */
import type { ChatChannel } from '../chatReference';

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
/** Instagram "This message is sent outside of allowed window" (code 10). */
const INSTAGRAM_WINDOW_SUBCODES = new Set([2534022, 2018278]);
const WHATSAPP_WINDOW_CODE = 131047;

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
	if (code === WHATSAPP_WINDOW_CODE) return 'windowClosed';
	if (code === 10 && subcode !== undefined && INSTAGRAM_WINDOW_SUBCODES.has(subcode)) return 'windowClosed';
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

/** Operator-facing text for specific Meta error codes (no retry, no special handling). */
const KNOWN_CODES: Array<{ code: number; subcode?: number; channel?: ChatChannel; text: string }> = [
	{ code: 131030, channel: 'whatsapp', text: 'This number is not in the test phone number\'s list of allowed recipients: add it in App Dashboard → WhatsApp → API Setup → "To", or send from a registered business number' },
	{ code: 131026, channel: 'whatsapp', text: 'WhatsApp could not deliver the message: the number may not use WhatsApp, or the customer has not accepted WhatsApp\'s latest terms or uses an outdated app' },
	{ code: 131021, channel: 'whatsapp', text: 'The recipient is the sending number itself: send to the customer\'s wa_id, not to your business number' },
	{ code: 131042, channel: 'whatsapp', text: 'WhatsApp refuses to send because of a payment problem on the WhatsApp Business Account: add or fix the payment method in Meta Business Settings → WhatsApp accounts → Payment settings' },
	{ code: 131031, channel: 'whatsapp', text: 'The WhatsApp Business Account is locked (policy or verification): check Meta Business Suite → Account quality' },
	{ code: 131048, channel: 'whatsapp', text: 'Meta limits this number because too many of its messages were blocked or reported as spam: check the quality rating in WhatsApp Manager → Phone numbers' },
	{ code: 131049, channel: 'whatsapp', text: 'Meta chose not to deliver this marketing message to keep engagement healthy; try again later or send a utility template' },
	{ code: 131050, channel: 'whatsapp', text: 'The customer has stopped marketing messages from your business' },
	{ code: 131051, channel: 'whatsapp', text: 'WhatsApp does not support this message type for this recipient' },
	{ code: 133010, channel: 'whatsapp', text: 'The sending phone number is not registered with the Cloud API: register it in WhatsApp Manager → Phone numbers' },
	{ code: 132000, channel: 'whatsapp', text: 'The number of "Template Parameters" does not match the {{n}} placeholders of the approved template: check the template body in WhatsApp Manager → Message templates' },
	{ code: 132001, channel: 'whatsapp', text: 'No approved template with this name exists in this language: check "Template Name" and "Template Language" against WhatsApp Manager → Message templates' },
	{ code: 132005, channel: 'whatsapp', text: 'The template text with the parameters filled in is too long: shorten the "Template Parameters"' },
	{ code: 132007, channel: 'whatsapp', text: 'The template text with the parameters filled in breaks WhatsApp\'s formatting policy: check the "Template Parameters"' },
	{ code: 132012, channel: 'whatsapp', text: 'A template parameter has the wrong format for the approved template: check the "Template Parameters"' },
	{ code: 132015, channel: 'whatsapp', text: 'The template is paused because of low quality: edit it or pick another one in WhatsApp Manager → Message templates' },
	{ code: 132016, channel: 'whatsapp', text: 'The template is disabled: pick another approved template in WhatsApp Manager → Message templates' },
	{ code: 368, text: 'Meta has temporarily blocked this account from sending for policy violations: check Account quality in Meta Business Suite' },
	{ code: 551, channel: 'instagram', text: 'This person is not available right now on Instagram (they may have blocked the account or left Instagram)' },
	{ code: 100, subcode: 2018001, channel: 'instagram', text: 'Instagram found no conversation with this Recipient ID (IGSID) for this account' },
	{ code: 100, subcode: 2534014, channel: 'instagram', text: 'Instagram found no user with this Recipient ID (IGSID) for this account' },
];

const WHATSAPP_TOKEN_FIX =
	'Generate a new token in Meta Business Settings → Users → System users → (your system user) → Generate new token, with the whatsapp_business_messaging and whatsapp_business_management permissions and expiry "Never", and paste it into the credential\'s Access Token.';
const INSTAGRAM_TOKEN_FIX =
	'Instagram Login: generate a new token in App Dashboard → Instagram → API setup with Instagram login. Facebook Login: generate a new Page token, e.g. for a system user in Meta Business Settings → Users → System users → Generate new token (instagram_manage_messages, pages_messaging). Paste it into the credential\'s Access Token.';

function metaSays(info: GraphErrorInfo): string {
	const parts: string[] = [];
	const codes = [info.code !== undefined ? `code ${info.code}` : '', info.subcode !== undefined ? `subcode ${info.subcode}` : '']
		.filter(Boolean)
		.join(', ');
	const text = [info.message, info.details && info.details !== info.message ? info.details : undefined]
		.filter(Boolean)
		.join(' — ');
	parts.push(`Meta answered HTTP ${info.httpStatus}${codes ? ` (${codes})` : ''}${text ? `: ${text}` : ''}.`);
	if (info.fbtraceId) parts.push(`fbtrace_id: ${info.fbtraceId} (quote it to Meta support).`);
	return parts.join(' ');
}

function accountMismatchHint(ctx: FailureContext): string {
	if (!ctx.credentialAccountId || ctx.credentialAccountId === ctx.senderAccountId) return '';
	const what = ctx.channel === 'whatsapp' ? 'phone number ID' : 'Instagram account ID';
	return ` Note: the chat came in on ${what} ${ctx.senderAccountId}, but the ${ctx.credentialName} credential is set up for ${ctx.credentialAccountId}; the reply is sent from ${ctx.senderAccountId}, so the token must have access to it — or select the credential of that account.`;
}

function seconds(ms: number): string {
	const s = ms / 1000;
	return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

/** Plain-words error for an operator: what is wrong, where to fix it, Meta's text and fbtrace_id. */
export function describeFailure(failure: SendFailure, ctx: FailureContext): OperatorError {
	const channelName = ctx.channel === 'whatsapp' ? 'WhatsApp' : 'Instagram';
	const credential = `${ctx.credentialName} credential (${ctx.credentialType})`;
	const prefix = ctx.duringFallback ? 'The 24-hour window was closed and the fallback template failed too: ' : '';
	const attemptsText = (n: number) => (n === 1 ? '1 attempt' : `${n} attempts`);

	if (failure.type === 'cancelled') {
		return { message: 'The execution was cancelled while sending', description: `Stopped after ${attemptsText(failure.attempts)}.` };
	}

	if (failure.type === 'network') {
		if (failure.disposition === 'notSent') {
			return {
				message: `${prefix}Could not reach the Graph API; nothing was sent`,
				description: `${failure.code ? `${failure.code}: ` : ''}${failure.detail}. Gave up after ${attemptsText(failure.attempts)}. Check the Base URL of the ${credential} and n8n's proxy settings.`,
			};
		}
		return {
			message: `${prefix}Could not confirm that ${channelName} accepted the message: the connection failed after the request was sent`,
			description: `${failure.code ? `${failure.code}: ` : ''}${failure.detail}. Meta may or may not have delivered it. It was not retried, so the customer never gets it twice: check the chat before running this item again.`,
		};
	}

	const { info, errorClass } = failure;
	const httpCode = String(info.httpStatus);
	const meta = metaSays(info);

	switch (errorClass) {
		case 'windowClosed':
			if (ctx.channel === 'whatsapp') {
				return {
					message: `${prefix}Not sent: the customer last wrote more than 24 h ago: send an approved template`,
					description: `WhatsApp delivers free-form messages only within 24 hours of the customer's last message. Use Message Type "Template (WhatsApp)", or turn on "Send Template When 24-Hour Window Is Closed" with a template approved in WhatsApp Manager → Message templates. ${meta}`,
					httpCode,
				};
			}
			return {
				message: `${prefix}Not sent: the customer last wrote more than 24 h ago: Instagram only allows replies within 24 hours of their last message`,
				description: `Instagram has no message templates; the conversation opens again when the customer writes. ${meta}`,
				httpCode,
			};
		case 'authExpired':
			return {
				message: `${prefix}Meta rejected the access token of the ${credential}: it has expired, was revoked or is mistyped`,
				description: `${ctx.channel === 'whatsapp' ? WHATSAPP_TOKEN_FIX : INSTAGRAM_TOKEN_FIX} ${meta}`,
				httpCode,
			};
		case 'permission': {
			const fix =
				ctx.channel === 'whatsapp'
					? `Give the token's system user the whatsapp_business_messaging permission and access to the WhatsApp account that owns phone number ID ${ctx.senderAccountId} (Meta Business Settings → Accounts → WhatsApp accounts → Assign people).`
					: `The token must belong to Instagram account ${ctx.senderAccountId} and carry instagram_business_manage_messages (Instagram Login) or instagram_manage_messages + pages_messaging (Facebook Login, Page token of the Page linked to the account); in App Dashboard → App Review, request Advanced Access to message people who have no role on the app.`;
			return {
				message: `${prefix}Meta refused to let the ${credential} send from ${channelName} account ${ctx.senderAccountId}`,
				description: `${fix}${accountMismatchHint(ctx)} ${meta}`,
				httpCode,
			};
		}
		case 'throttled': {
			const who = ctx.channel === 'whatsapp' ? 'this number' : 'this Instagram account';
			const why =
				failure.requestedWaitMs !== undefined
					? `Meta asked to wait ${seconds(failure.requestedWaitMs)}, longer than "Retry › Max Wait" (${seconds(ctx.maxDelayMs ?? 0)}), so it was not retried.`
					: `Still rate-limited after ${attemptsText(failure.attempts)}.`;
			const advice =
				ctx.channel === 'whatsapp'
					? 'WhatsApp allows about 80 messages per second per number (130429) and only a few messages in a short time to the same customer (131056).'
					: 'Instagram limits how many messages an account sends per second and per conversation.';
			return {
				message: `${prefix}Meta is throttling ${who}: ${why}`,
				description: `${advice} Slow the workflow down (e.g. Loop Over Items with a Wait node) or raise "Retry › Max Retries". ${meta}`,
				httpCode,
			};
		}
		case 'transient':
			return {
				message: `${prefix}Meta's servers failed ${attemptsText(failure.attempts)} in a row (HTTP ${info.httpStatus}); nothing was sent`,
				description: `A temporary problem at Meta: check https://metastatus.com and run the item again later. ${meta}`,
				httpCode,
			};
		case 'ambiguous':
			return {
				message: `${prefix}Could not confirm that ${channelName} accepted the message (HTTP ${info.httpStatus} from a gateway)`,
				description: `Meta may or may not have delivered it. It was not retried, so the customer never gets it twice: check the chat before running this item again. ${meta}`,
				httpCode,
			};
		default: {
			const known =
				KNOWN_CODES.find(
					(k) =>
						k.code === info.code &&
						(k.subcode === undefined || k.subcode === info.subcode) &&
						(k.channel === undefined || k.channel === ctx.channel),
				) ?? undefined;
			if (known) return { message: `${prefix}${known.text}`, description: meta, httpCode };
			if (info.code === 100) {
				return {
					message: `${prefix}Meta rejected the message as invalid${info.message ? `: ${info.message}` : ''}`,
					description: `Check the message fields and that ${ctx.channel === 'whatsapp' ? 'the phone number ID' : 'the Instagram account ID'} ${ctx.senderAccountId} is right for this token.${accountMismatchHint(ctx)} ${meta}`,
					httpCode,
				};
			}
			return {
				message: `${prefix}${channelName} rejected the message${info.message ? `: ${info.message}` : ` (HTTP ${info.httpStatus})`}`,
				description: meta,
				httpCode,
			};
		}
	}
}
