import type { ChatChannel, ChatReference } from '../chatReference';
import { makeChatReference } from '../chatReference';
import type { InboundCart } from './whatsAppCart';

/** What an inbound Meta event is; only `message` is emitted unless the operator opts in to the others. */
export type InboundEventKind = 'message' | 'status' | 'echo' | 'read' | 'reaction' | 'deletion';

export const OPTIONAL_EVENT_KINDS: readonly Exclude<InboundEventKind, 'message'>[] = [
	'status',
	'echo',
	'read',
	'reaction',
	'deletion',
];

/** What "Also Emit" may add: the other event kinds, and edited messages (emitted as messages, `edited: true`). */
export type OptionalEmit = Exclude<InboundEventKind, 'message'> | 'edit';

/** A tapped reply button, list row, quick reply or postback: what the customer chose. */
export interface InboundReply {
	kind: 'button' | 'list' | 'quick_reply' | 'postback';
	payload: string;
	title: string;
}

export interface InboundDeliveryStatus {
	status: string;
	recipientId: string;
	errors: Array<{ code: number | null; title: string }>;
}

/** One normalised inbound event: the shape both triggers emit, one n8n item each. */
export interface InboundEvent {
	event: InboundEventKind;
	channel: ChatChannel;
	chatRef: ChatReference;
	messageId: string;
	/** ISO 8601 time at which Meta says the event happened. */
	timestamp: string;
	/** Meta's message type (text, interactive, button, image, …) or the event kind for non-messages. */
	type: string;
	/** The text the customer wrote, or a media caption; empty when there is none. */
	text: string;
	reply: InboundReply | null;
	profileName: string | null;
	status: InboundDeliveryStatus | null;
	/** Key under which redeliveries of the same event are recognised. */
	dedupeKey: string;
	raw: unknown;
	/** A WhatsApp catalog cart (type `order`); absent on every other message. */
	order?: InboundCart;
	/** An edited message (Instagram `message_edit`): `text` is the new text, `messageId` the original's. */
	edited?: true;
}

export interface NormaliseOptions {
	/** Optional event kinds to emit besides messages. */
	include: ReadonlySet<OptionalEmit>;
	/** Only events for these account ids (phone number ids / IG account ids); empty = all. */
	accountIds: ReadonlySet<string>;
}

export type NormaliseResult =
	// dashboardTests: entries of Meta's App Dashboard "Test" sample (see dashboardTest.ts), never emitted.
	| { recognised: true; events: InboundEvent[]; skipped: number; dashboardTests?: number }
	| { recognised: false; reason: string };

/** Meta timestamps are Unix seconds (WhatsApp, as strings) or milliseconds (Instagram). */
export function toIsoTimestamp(value: unknown): string {
	const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
	if (!Number.isFinite(n) || n <= 0) return new Date(0).toISOString();
	const ms = n < 1e11 ? n * 1000 : n;
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

export function isWanted(kind: InboundEventKind | 'edit', accountId: string, options: NormaliseOptions): boolean {
	if (options.accountIds.size > 0 && !options.accountIds.has(accountId)) return false;
	return kind === 'message' || options.include.has(kind);
}

export function inboundEvent(
	fields: Omit<InboundEvent, 'chatRef' | 'dedupeKey'> & { accountId: string; userId: string; dedupeKey?: string },
): InboundEvent {
	const { accountId, userId, dedupeKey, ...rest } = fields;
	return {
		...rest,
		chatRef: makeChatReference(fields.channel, accountId, userId),
		dedupeKey: dedupeKey ?? `${fields.channel}:${fields.event}:${fields.messageId}`,
	};
}
