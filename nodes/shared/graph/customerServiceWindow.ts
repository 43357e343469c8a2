/**
 * The 24-hour customer-service window, in one place. WhatsApp and Instagram deliver free-form messages only
 * within 24 hours of the customer's last message. Outside it WhatsApp answers error 131047 and delivers only
 * approved templates, so Send Chat Message can send one instead ("Send Template When 24-Hour Window Is
 * Closed"); Instagram answers code 10 with a window subcode and has no templates, so the reply waits for the
 * customer to write again. Here: recognising the error, whether a fallback applies, building it, and the
 * sentences that explain a closed window to the operator.
 */
import type { ChatChannel } from '../chatReference';
import type { GraphErrorInfo, OperatorError, SendFailure } from './errors';
import type { BuiltMessage, MessageKind, TemplateMessageSpec } from './messages';
import type { WhatsAppAddress } from './whatsappMessages';
import { buildWhatsAppTemplateMessage } from './whatsappMessages';

const WHATSAPP_WINDOW_CODE = 131047;
/** Instagram "This message is sent outside of allowed window" (code 10). */
const INSTAGRAM_WINDOW_SUBCODES = new Set([2534022, 2018278]);

/** The message kinds the window applies to; templates are what it lets through. */
const FREE_FORM_KINDS: readonly MessageKind[] = ['text', 'link', 'buttons'];

/** Whether Meta refused the message because the window is closed. */
export function isWindowClosedError(info: Pick<GraphErrorInfo, 'code' | 'subcode'>): boolean {
	if (info.code === WHATSAPP_WINDOW_CODE) return true;
	return info.code === 10 && info.subcode !== undefined && INSTAGRAM_WINDOW_SUBCODES.has(info.subcode);
}

/** Whether a failed send was the closed window (as the send loop classified it). */
export function failedOnClosedWindow(failure: SendFailure): boolean {
	return failure.type === 'graph' && failure.errorClass === 'windowClosed';
}

/** Whether a message of this kind on this channel can fall back to a template when the window is closed. */
export function canFallBackToTemplate(channel: ChatChannel, kind: MessageKind): boolean {
	return channel === 'whatsapp' && FREE_FORM_KINDS.includes(kind);
}

/** The fallback template message, its fields named as the node names them. */
export function buildWindowFallback(spec: Omit<TemplateMessageSpec, 'kind'>, address: WhatsAppAddress): BuiltMessage {
	return buildWhatsAppTemplateMessage(spec, address, {
		name: 'Fallback Template Name',
		language: 'Fallback Template Language',
		parameters: 'Fallback Template Parameters',
	});
}

/** Leads every error of a fallback that failed too. */
export const FALLBACK_FAILED_PREFIX = 'The 24-hour window was closed and the fallback template failed too: ';

/** Why a message was not sent when the window is closed, and what the operator can do. */
export function explainClosedWindow(channel: ChatChannel, context: { prefix: string; meta: string; httpCode: string }): OperatorError {
	const { prefix, meta, httpCode } = context;
	if (channel === 'whatsapp') {
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
}
