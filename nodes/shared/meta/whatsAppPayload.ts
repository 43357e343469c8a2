/**
 * Normalises a WhatsApp Cloud API webhook body (`object: whatsapp_business_account`): one POST can carry
 * several entries, each with several changes; a `messages` change holds customer messages and delivery
 * statuses for one phone number.
 */
import type { JsonRecord } from '../json';
import { asArray, asObject, asString } from '../json';
import type { InboundEvent, InboundReply, NormaliseOptions, NormaliseResult } from './inboundEvents';
import { inboundEvent, isWanted, toIsoTimestamp } from './inboundEvents';
import { isDashboardTestEntry } from './dashboardTest';
import { cartOf } from './whatsAppCart';

const MEDIA_TYPES = ['image', 'video', 'document', 'audio', 'sticker'];

/** Events of one change, and how many of its entries were skipped. */
interface ChangeEvents {
	events: InboundEvent[];
	skipped: number;
}

function replyOf(message: JsonRecord): InboundReply | null {
	const interactive = asObject(message.interactive);
	const buttonReply = asObject(interactive?.button_reply);
	if (buttonReply) return { kind: 'button', payload: asString(buttonReply.id), title: asString(buttonReply.title) };
	const listReply = asObject(interactive?.list_reply);
	if (listReply) return { kind: 'list', payload: asString(listReply.id), title: asString(listReply.title) };
	// A quick-reply button of a template message arrives as type "button".
	const button = asObject(message.button);
	if (button) return { kind: 'button', payload: asString(button.payload), title: asString(button.text) };
	return null;
}

function textOf(message: JsonRecord, type: string): string {
	if (type === 'text') return asString(asObject(message.text)?.body);
	if (MEDIA_TYPES.includes(type)) return asString(asObject(message[type])?.caption);
	const reply = replyOf(message);
	return reply ? reply.title : '';
}

/** The `value` of every change that carries messages; the number of other changes, and of dashboard tests. */
function messageChangesOf(payload: JsonRecord): { values: JsonRecord[]; skipped: number; dashboardTests: number } {
	const values: JsonRecord[] = [];
	let skipped = 0;
	let dashboardTests = 0;
	for (const entry of asArray(payload.entry)) {
		if (isDashboardTestEntry(asObject(entry) ?? {})) {
			dashboardTests++;
			continue;
		}
		for (const change of asArray(asObject(entry)?.changes)) {
			const changeObject = asObject(change);
			const value = asObject(changeObject?.value);
			if (value && changeObject?.field === 'messages') values.push(value);
			else skipped++;
		}
	}
	return { values, skipped, dashboardTests };
}

/** Customer names by wa_id, from the change's `contacts`. */
function profileNames(value: JsonRecord): Map<string, string> {
	const profiles = new Map<string, string>();
	for (const contact of asArray(value.contacts)) {
		const c = asObject(contact);
		const name = asString(asObject(c?.profile)?.name);
		if (c && name) profiles.set(asString(c.wa_id), name);
	}
	return profiles;
}

function messageEvents(value: JsonRecord, accountId: string, options: NormaliseOptions): ChangeEvents {
	const profiles = profileNames(value);
	const result: ChangeEvents = { events: [], skipped: 0 };
	for (const item of asArray(value.messages)) {
		const message = asObject(item);
		const userId = asString(message?.from);
		const messageId = asString(message?.id);
		const type = asString(message?.type) || 'unknown';
		const kind = type === 'reaction' ? 'reaction' : 'message';
		if (!message || !accountId || !userId || !messageId || !isWanted(kind, accountId, options)) {
			result.skipped++;
			continue;
		}
		const cart = cartOf(message);
		result.events.push(
			inboundEvent({
				event: kind,
				channel: 'whatsapp',
				accountId,
				userId,
				messageId,
				timestamp: toIsoTimestamp(message.timestamp),
				type,
				text: kind === 'reaction' ? asString(asObject(message.reaction)?.emoji) : (cart?.text ?? textOf(message, type)),
				reply: replyOf(message),
				profileName: profiles.get(userId) ?? null,
				status: null,
				raw: message,
				...(cart && { order: cart }),
			}),
		);
	}
	return result;
}

function statusErrors(status: JsonRecord): Array<{ code: number | null; title: string }> {
	return asArray(status.errors).map((e) => {
		const error = asObject(e);
		const code = Number(error?.code);
		return { code: Number.isFinite(code) ? code : null, title: asString(error?.title) || asString(error?.message) };
	});
}

function statusEvents(value: JsonRecord, accountId: string, options: NormaliseOptions): ChangeEvents {
	const result: ChangeEvents = { events: [], skipped: 0 };
	for (const item of asArray(value.statuses)) {
		const status = asObject(item);
		const userId = asString(status?.recipient_id);
		const messageId = asString(status?.id);
		const state = asString(status?.status);
		if (!status || !accountId || !userId || !messageId || !isWanted('status', accountId, options)) {
			result.skipped++;
			continue;
		}
		result.events.push(
			inboundEvent({
				event: 'status',
				channel: 'whatsapp',
				accountId,
				userId,
				messageId,
				timestamp: toIsoTimestamp(status.timestamp),
				type: 'status',
				text: '',
				reply: null,
				profileName: null,
				status: { status: state, recipientId: userId, errors: statusErrors(status) },
				dedupeKey: `whatsapp:status:${messageId}:${state}`,
				raw: status,
			}),
		);
	}
	return result;
}

export function normaliseWhatsAppPayload(body: unknown, options: NormaliseOptions): NormaliseResult {
	const payload = asObject(body);
	if (!payload || payload.object !== 'whatsapp_business_account') {
		return { recognised: false, reason: `not a WhatsApp Business Account webhook (object: ${String(payload?.object ?? 'missing')})` };
	}
	const changes = messageChangesOf(payload);
	const events: InboundEvent[] = [];
	let skipped = changes.skipped;
	for (const value of changes.values) {
		const accountId = asString(asObject(value.metadata)?.phone_number_id);
		for (const part of [messageEvents(value, accountId, options), statusEvents(value, accountId, options)]) {
			events.push(...part.events);
			skipped += part.skipped;
		}
	}
	return { recognised: true, events, skipped, ...(changes.dashboardTests > 0 && { dashboardTests: changes.dashboardTests }) };
}
