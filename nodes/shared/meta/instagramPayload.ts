import type { InboundEvent, InboundEventKind, NormaliseOptions, NormaliseResult } from './inboundEvents';
import { inboundEvent, isWanted, toIsoTimestamp } from './inboundEvents';
import type { JsonRecord as Json } from '../json';
import { asArray, asObject, asString } from '../json';

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

function normaliseMessagingEvent(accountIdOfEntry: string, m: Json): InboundEvent | undefined {
	const senderId = asString(asObject(m.sender)?.id);
	const recipientId = asString(asObject(m.recipient)?.id);
	const timestamp = toIsoTimestamp(m.timestamp);
	const accountId = accountIdOfEntry || recipientId;
	const base = { channel: 'instagram' as const, timestamp, profileName: null, status: null, raw: m };

	const message = asObject(m.message);
	if (message) {
		const messageId = asString(message.mid);
		if (!messageId) return undefined;
		if (message.is_echo === true) {
			// Our own outgoing message: the customer is the recipient, the business account the sender.
			const businessId = accountIdOfEntry || senderId;
			return inboundEvent({ ...base, event: 'echo', accountId: businessId, userId: recipientId, messageId, type: 'echo', text: asString(message.text), reply: null });
		}
		if (message.is_deleted === true) {
			return inboundEvent({ ...base, event: 'deletion', accountId, userId: senderId, messageId, type: 'deletion', text: '', reply: null });
		}
		const quickReply = asObject(message.quick_reply);
		const attachments = asArray(message.attachments).map(asObject);
		const type = quickReply ? 'quick_reply' : attachments.length > 0 ? asString(attachments[0]?.type) || 'attachment' : 'text';
		const text = asString(message.text);
		return inboundEvent({
			...base,
			event: 'message',
			accountId,
			userId: senderId,
			messageId,
			type,
			text,
			reply: quickReply ? { kind: 'quick_reply', payload: asString(quickReply.payload), title: text } : null,
		});
	}

	const postback = asObject(m.postback);
	if (postback) {
		const title = asString(postback.title);
		const messageId = asString(postback.mid) || `postback:${senderId}:${asString(m.timestamp)}`;
		return inboundEvent({
			...base,
			event: 'message',
			accountId,
			userId: senderId,
			messageId,
			type: 'postback',
			text: title,
			reply: { kind: 'postback', payload: asString(postback.payload), title },
		});
	}

	const read = asObject(m.read);
	if (read) {
		const messageId = asString(read.mid);
		return inboundEvent({ ...base, event: 'read', accountId, userId: senderId, messageId, type: 'read', text: '', reply: null, dedupeKey: `instagram:read:${messageId}:${senderId}` });
	}

	const reaction = asObject(m.reaction);
	if (reaction) {
		const messageId = asString(reaction.mid);
		const action = asString(reaction.action) || 'react';
		const emoji = asString(reaction.emoji) || asString(reaction.reaction);
		return inboundEvent({
			...base,
			event: 'reaction',
			accountId,
			userId: senderId,
			messageId,
			type: action,
			text: emoji,
			reply: null,
			dedupeKey: `instagram:reaction:${messageId}:${senderId}:${action}:${emoji}:${asString(m.timestamp)}`,
		});
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
	for (const item of asArray(payload.entry)) {
		const entry = asObject(item);
		if (!entry) {
			skipped++;
			continue;
		}
		for (const m of messagingEventsOf(entry)) {
			const event = normaliseMessagingEvent(asString(entry.id), m);
			const kind: InboundEventKind | undefined = event?.event;
			if (!event || !kind || !event.chatRef.accountId || !event.chatRef.userId || !event.messageId || !isWanted(kind, event.chatRef.accountId, options)) {
				skipped++;
				continue;
			}
			events.push(event);
		}
	}
	return { recognised: true, events, skipped };
}
