import type { InboundEvent, InboundEventKind, NormaliseOptions, NormaliseResult } from './inboundEvents';
import { inboundEvent, isWanted, toIsoTimestamp } from './inboundEvents';
import type { JsonRecord as Json } from '../json';
import { asArray, asObject, asString } from '../json';
import { isDashboardTestEntry } from './dashboardTest';

/** Messaging events arrive as `entry[].messaging[]`; dashboard test events sometimes as `changes[].value`. */
function messagingEventsOf(entry: Json): Json[] {
	const direct = asArray(entry.messaging).map(asObject).filter((e): e is Json => e !== undefined);
	const fromChanges = asArray(entry.changes)
		.map(asObject)
		.filter((c) => c?.field === 'messages')
		.map((c) => asObject(c?.value))
		.filter((e): e is Json => e !== undefined);
	return [...direct, ...fromChanges];
}

/** The fields that differ between the kinds of Instagram messaging event. */
type EventFields = Pick<InboundEvent, 'event' | 'messageId' | 'type' | 'text' | 'reply'> & { dedupeKey?: string };

function normaliseMessagingEvent(accountIdOfEntry: string, m: Json): InboundEvent | undefined {
	const senderId = asString(asObject(m.sender)?.id);
	const recipientId = asString(asObject(m.recipient)?.id);
	const base = { channel: 'instagram' as const, timestamp: toIsoTimestamp(m.timestamp), profileName: null, status: null, raw: m };
	/** Most events come from the customer (the sender) to the business account (the entry, or the recipient). */
	const fromCustomer = (fields: EventFields) =>
		inboundEvent({ ...base, accountId: accountIdOfEntry || recipientId, userId: senderId, ...fields });

	const message = asObject(m.message);
	if (message) {
		const messageId = asString(message.mid);
		if (!messageId) return undefined;
		if (message.is_echo === true) {
			// Our own outgoing message: the customer is the recipient, the business account the sender.
			const businessId = accountIdOfEntry || senderId;
			return inboundEvent({ ...base, event: 'echo', accountId: businessId, userId: recipientId, messageId, type: 'echo', text: asString(message.text), reply: null });
		}
		if (message.is_deleted === true) return fromCustomer({ event: 'deletion', messageId, type: 'deletion', text: '', reply: null });
		const quickReply = asObject(message.quick_reply);
		const attachments = asArray(message.attachments).map(asObject);
		const type = quickReply ? 'quick_reply' : attachments.length > 0 ? asString(attachments[0]?.type) || 'attachment' : 'text';
		const text = asString(message.text);
		const reply = quickReply ? { kind: 'quick_reply' as const, payload: asString(quickReply.payload), title: text } : null;
		return fromCustomer({ event: 'message', messageId, type, text, reply });
	}

	// An edit (Instagram's `message_edit`): the new text of a message already sent. It keeps the original
	// message id, so its dedupe key names the edit, or it would be dropped as a redelivery of the original.
	const edit = asObject(m.message_edit);
	if (edit) {
		const messageId = asString(edit.mid);
		const dedupeKey = `instagram:edit:${messageId}:${asString(edit.num_edit) || asString(m.timestamp)}`;
		return { ...fromCustomer({ event: 'message', messageId, type: 'text', text: asString(edit.text), reply: null, dedupeKey }), edited: true };
	}

	const postback = asObject(m.postback);
	if (postback) {
		const title = asString(postback.title);
		const messageId = asString(postback.mid) || `postback:${senderId}:${asString(m.timestamp)}`;
		const reply = { kind: 'postback' as const, payload: asString(postback.payload), title };
		return fromCustomer({ event: 'message', messageId, type: 'postback', text: title, reply });
	}

	const read = asObject(m.read);
	if (read) {
		const messageId = asString(read.mid);
		return fromCustomer({ event: 'read', messageId, type: 'read', text: '', reply: null, dedupeKey: `instagram:read:${messageId}:${senderId}` });
	}

	const reaction = asObject(m.reaction);
	if (reaction) {
		const messageId = asString(reaction.mid);
		const action = asString(reaction.action) || 'react';
		const emoji = asString(reaction.emoji) || asString(reaction.reaction);
		const dedupeKey = `instagram:reaction:${messageId}:${senderId}:${action}:${emoji}:${asString(m.timestamp)}`;
		return fromCustomer({ event: 'reaction', messageId, type: action, text: emoji, reply: null, dedupeKey });
	}
	return undefined;
}

/** Normalises an Instagram Messaging webhook body (`object: instagram`). */
export function normaliseInstagramPayload(body: unknown, options: NormaliseOptions): NormaliseResult {
	const payload = asObject(body);
	if (!payload || payload.object !== 'instagram') {
		return { recognised: false, reason: `not an Instagram webhook (object: ${String(payload?.object ?? 'missing')})` };
	}
	const events: InboundEvent[] = [];
	let skipped = 0;
	let dashboardTests = 0;
	for (const item of asArray(payload.entry)) {
		const entry = asObject(item);
		if (!entry) {
			skipped++;
			continue;
		}
		if (isDashboardTestEntry(entry)) {
			dashboardTests++;
			continue;
		}
		for (const m of messagingEventsOf(entry)) {
			const event = normaliseMessagingEvent(asString(entry.id), m);
			// An edit is emitted as a message, but only when the operator opted in to edits.
			const kind: InboundEventKind | 'edit' | undefined = event?.edited ? 'edit' : event?.event;
			if (!event || !kind || !event.chatRef.accountId || !event.chatRef.userId || !event.messageId || !isWanted(kind, event.chatRef.accountId, options)) {
				skipped++;
				continue;
			}
			events.push(event);
		}
	}
	return { recognised: true, events, skipped, ...(dashboardTests > 0 && { dashboardTests }) };
}
