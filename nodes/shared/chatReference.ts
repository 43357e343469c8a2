/**
 * The chat reference: which conversation an item belongs to. Triggers put it on every item as `chatRef`;
 * Stripe Checkout copies it into Stripe metadata; Stripe Webhook Verify rebuilds it from the event's
 * metadata; Send Chat Message answers it. It never changes on the way, so no node needs a mapping step.
 */
export type ChatChannel = 'whatsapp' | 'instagram';

export const CHAT_CHANNELS: readonly ChatChannel[] = ['whatsapp', 'instagram'];

export interface ChatReference {
	channel: ChatChannel;
	/** WhatsApp phone_number_id, or the Instagram professional account id that received the DM. */
	accountId: string;
	/** WhatsApp wa_id, or the Instagram-scoped user id (IGSID). */
	userId: string;
}

/** Field name of the chat reference on an n8n item's json. */
export const CHAT_REF_FIELD = 'chatRef';

/** Stripe metadata keys (≤40 chars each) that carry the chat reference through Stripe and back. */
export const STRIPE_METADATA_KEYS = {
	channel: 'chat_channel',
	accountId: 'chat_account_id',
	userId: 'chat_user_id',
	messageId: 'chat_message_id',
} as const;

export function isChatChannel(value: unknown): value is ChatChannel {
	return typeof value === 'string' && (CHAT_CHANNELS as readonly string[]).includes(value);
}

function nonEmptyString(value: unknown): value is string {
	return typeof value === 'string' && value.trim() !== '';
}

export function isChatReference(value: unknown): value is ChatReference {
	if (typeof value !== 'object' || value === null) return false;
	const ref = value as Record<string, unknown>;
	return isChatChannel(ref.channel) && nonEmptyString(ref.accountId) && nonEmptyString(ref.userId);
}

export function makeChatReference(channel: ChatChannel, accountId: string, userId: string): ChatReference {
	return { channel, accountId: String(accountId), userId: String(userId) };
}

/**
 * The chat reference an item carries: `json.chatRef`, or — for a row of the template's data tables, which
 * keep it flattened into `channel`, `accountId` and `userId` columns — those three fields. Undefined when
 * it has neither, or they are malformed.
 */
export function chatReferenceOf(json: Record<string, unknown>): ChatReference | undefined {
	const candidate = json[CHAT_REF_FIELD];
	if (isChatReference(candidate)) return makeChatReference(candidate.channel, candidate.accountId, candidate.userId);
	if (candidate !== undefined && candidate !== null) return undefined; // a chatRef that is not one: never guess past it
	const flat = { channel: json.channel, accountId: json.accountId, userId: json.userId };
	return isChatReference(flat) ? makeChatReference(flat.channel, flat.accountId, flat.userId) : undefined;
}

/** Stripe metadata entries for a chat reference (and the inbound message that started the order). */
export function chatReferenceToStripeMetadata(ref: ChatReference, messageId?: string): Record<string, string> {
	const metadata: Record<string, string> = {
		[STRIPE_METADATA_KEYS.channel]: ref.channel,
		[STRIPE_METADATA_KEYS.accountId]: ref.accountId,
		[STRIPE_METADATA_KEYS.userId]: ref.userId,
	};
	if (nonEmptyString(messageId)) metadata[STRIPE_METADATA_KEYS.messageId] = messageId;
	return metadata;
}

/** Rebuilds the chat reference from Stripe metadata; undefined when the metadata does not carry one. */
export function chatReferenceFromStripeMetadata(
	metadata: Record<string, unknown> | null | undefined,
): ChatReference | undefined {
	if (!metadata) return undefined;
	const candidate = {
		channel: metadata[STRIPE_METADATA_KEYS.channel],
		accountId: metadata[STRIPE_METADATA_KEYS.accountId],
		userId: metadata[STRIPE_METADATA_KEYS.userId],
	};
	return isChatReference(candidate)
		? makeChatReference(candidate.channel, candidate.accountId, candidate.userId)
		: undefined;
}
