/**
 * Every failed send explained to an operator in plain words: what went wrong and where in Meta's dashboards
 * to fix it, with Meta's own text and fbtrace_id attached. One function per kind of failure.
 */
import type { ChatChannel } from '../chatReference';
import { FALLBACK_FAILED_PREFIX, explainClosedWindow } from './customerServiceWindow';
import type { FailureContext, GraphErrorClass, GraphErrorInfo, OperatorError, SendFailure } from './errors';

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

function attemptsText(n: number): string {
	return n === 1 ? '1 attempt' : `${n} attempts`;
}

function channelNameOf(ctx: FailureContext): string {
	return ctx.channel === 'whatsapp' ? 'WhatsApp' : 'Instagram';
}

function explainNetworkFailure(failure: Extract<SendFailure, { type: 'network' }>, ctx: FailureContext, prefix: string): OperatorError {
	const credential = `${ctx.credentialName} credential (${ctx.credentialType})`;
	const code = failure.code ? `${failure.code}: ` : '';
	if (failure.disposition === 'notSent') {
		return {
			message: `${prefix}Could not reach the Graph API; nothing was sent`,
			description: `${code}${failure.detail}. Gave up after ${attemptsText(failure.attempts)}. Check the Base URL of the ${credential} and n8n's proxy settings.`,
		};
	}
	return {
		message: `${prefix}Could not confirm that ${channelNameOf(ctx)} accepted the message: the connection failed after the request was sent`,
		description: `${code}${failure.detail}. Meta may or may not have delivered it. It was not retried, so the customer never gets it twice: check the chat before running this item again.`,
	};
}

type GraphFailure = Extract<SendFailure, { type: 'graph' }>;

/** What each class of Graph error means for the operator; `meta` is Meta's own text and trace id. */
interface GraphFailureFacts {
	failure: GraphFailure;
	ctx: FailureContext;
	prefix: string;
	meta: string;
	httpCode: string;
}

function explainAuthExpired({ ctx, prefix, meta, httpCode }: GraphFailureFacts): OperatorError {
	return {
		message: `${prefix}Meta rejected the access token of the ${ctx.credentialName} credential (${ctx.credentialType}): it has expired, was revoked or is mistyped`,
		description: `${ctx.channel === 'whatsapp' ? WHATSAPP_TOKEN_FIX : INSTAGRAM_TOKEN_FIX} ${meta}`,
		httpCode,
	};
}

function explainPermission({ ctx, prefix, meta, httpCode }: GraphFailureFacts): OperatorError {
	const fix =
		ctx.channel === 'whatsapp'
			? `Give the token's system user the whatsapp_business_messaging permission and access to the WhatsApp account that owns phone number ID ${ctx.senderAccountId} (Meta Business Settings → Accounts → WhatsApp accounts → Assign people).`
			: `The token must belong to Instagram account ${ctx.senderAccountId} and carry instagram_business_manage_messages (Instagram Login) or instagram_manage_messages + pages_messaging (Facebook Login, Page token of the Page linked to the account); in App Dashboard → App Review, request Advanced Access to message people who have no role on the app.`;
	return {
		message: `${prefix}Meta refused to let the ${ctx.credentialName} credential (${ctx.credentialType}) send from ${channelNameOf(ctx)} account ${ctx.senderAccountId}`,
		description: `${fix}${accountMismatchHint(ctx)} ${meta}`,
		httpCode,
	};
}

function explainThrottled({ failure, ctx, prefix, meta, httpCode }: GraphFailureFacts): OperatorError {
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

function explainTransient({ failure, prefix, meta, httpCode }: GraphFailureFacts): OperatorError {
	return {
		message: `${prefix}Meta's servers failed ${attemptsText(failure.attempts)} in a row (HTTP ${failure.info.httpStatus}); nothing was sent`,
		description: `A temporary problem at Meta: check https://metastatus.com and run the item again later. ${meta}`,
		httpCode,
	};
}

function explainAmbiguous({ failure, ctx, prefix, meta, httpCode }: GraphFailureFacts): OperatorError {
	return {
		message: `${prefix}Could not confirm that ${channelNameOf(ctx)} accepted the message (HTTP ${failure.info.httpStatus} from a gateway)`,
		description: `Meta may or may not have delivered it. It was not retried, so the customer never gets it twice: check the chat before running this item again. ${meta}`,
		httpCode,
	};
}

function explainOther({ failure, ctx, prefix, meta, httpCode }: GraphFailureFacts): OperatorError {
	const { info } = failure;
	const known = KNOWN_CODES.find(
		(k) =>
			k.code === info.code &&
			(k.subcode === undefined || k.subcode === info.subcode) &&
			(k.channel === undefined || k.channel === ctx.channel),
	);
	if (known) return { message: `${prefix}${known.text}`, description: meta, httpCode };
	if (info.code === 100) {
		return {
			message: `${prefix}Meta rejected the message as invalid${info.message ? `: ${info.message}` : ''}`,
			description: `Check the message fields and that ${ctx.channel === 'whatsapp' ? 'the phone number ID' : 'the Instagram account ID'} ${ctx.senderAccountId} is right for this token.${accountMismatchHint(ctx)} ${meta}`,
			httpCode,
		};
	}
	return {
		message: `${prefix}${channelNameOf(ctx)} rejected the message${info.message ? `: ${info.message}` : ` (HTTP ${info.httpStatus})`}`,
		description: meta,
		httpCode,
	};
}

const EXPLAIN_GRAPH_FAILURE: Record<GraphErrorClass, (facts: GraphFailureFacts) => OperatorError> = {
	windowClosed: ({ ctx, prefix, meta, httpCode }) => explainClosedWindow(ctx.channel, { prefix, meta, httpCode }),
	authExpired: explainAuthExpired,
	permission: explainPermission,
	throttled: explainThrottled,
	transient: explainTransient,
	ambiguous: explainAmbiguous,
	other: explainOther,
};

/** Plain-words error for an operator: what is wrong, where to fix it, Meta's text and fbtrace_id. */
export function describeFailure(failure: SendFailure, ctx: FailureContext): OperatorError {
	const prefix = ctx.duringFallback ? FALLBACK_FAILED_PREFIX : '';
	if (failure.type === 'cancelled') {
		return { message: 'The execution was cancelled while sending', description: `Stopped after ${attemptsText(failure.attempts)}.` };
	}
	if (failure.type === 'network') return explainNetworkFailure(failure, ctx, prefix);
	const facts = { failure, ctx, prefix, meta: metaSays(failure.info), httpCode: String(failure.info.httpStatus) };
	return EXPLAIN_GRAPH_FAILURE[failure.errorClass](facts);
}

