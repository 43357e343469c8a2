/**
 * What the sandbox's customers send: WhatsApp and Instagram messages shaped as Meta delivers them to the
 * triggers, for the sandbox's own business number and Instagram account.
 */
import crypto from 'node:crypto';

import { igQuickReply, igText, instagramBody, waContact, waText, whatsAppBody, whatsAppValue } from '../sandbox/metaWebhooks';

export const PHONE_NUMBER_ID = '100000000000001';
export const IG_ACCOUNT_ID = '17841400000000001';

let sequence = 0;
/** A unique message id shaped like Meta's. */
export function nextMessageId(channel: 'whatsapp' | 'instagram'): string {
	sequence += 1;
	const random = crypto.randomBytes(8).toString('hex');
	return channel === 'whatsapp' ? `wamid.SANDBOX${Date.now()}${sequence}${random}` : `aWdfZAG1faXRlbToxOklH${Date.now()}${sequence}${random}`;
}

/** A tap on a reply button / quick reply: its id (payload) and title. */
export interface ReplyTap {
	id: string;
	title: string;
}

/**
 * A customer's WhatsApp message as Meta delivers it; with `reply`, the tap on a reply button of the shop's
 * message `replyTo` (type interactive, button_reply { id, title }).
 */
export function whatsAppWebhookBody({ from, text, messageId, name, reply, replyTo }: { from: string; text: string; messageId: string; name?: string; reply?: ReplyTap; replyTo?: string }) {
	const timestamp = String(Math.floor(Date.now() / 1000));
	const message = reply
		? { ...(replyTo ? { context: { from: '15550001111', id: replyTo } } : {}), from, id: messageId, timestamp, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: reply.id, title: reply.title } } }
		: waText(messageId, from, text, timestamp);
	return whatsAppBody([whatsAppValue({ phoneNumberId: PHONE_NUMBER_ID, contacts: [waContact(from, name)], messages: [message] })], '200000000000001');
}

/**
 * A customer's Instagram message as Meta delivers it; with `reply`, the tap on a quick reply (the message carries
 * the quick reply's title as text and its payload as quick_reply.payload).
 */
export function instagramWebhookBody({ from, text, messageId, reply }: { from: string; text: string; messageId: string; reply?: ReplyTap }) {
	const message = reply ? igQuickReply(messageId, from, reply.title, reply.id) : igText(messageId, from, text, IG_ACCOUNT_ID);
	return instagramBody([{ id: IG_ACCOUNT_ID, time: Date.now(), messaging: [{ ...message, timestamp: Date.now() }] }]);
}
