/** What an item says about the chat message that started the order (set by the WhatsApp/Instagram Trigger). */

/** The inbound message id (`json.messageId`), trimmed; undefined when the item has none. */
export function messageIdOf(json: Record<string, unknown>): string | undefined {
	const value = json.messageId;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return undefined;
}

/** The inbound message's time in ms (the triggers' ISO `timestamp`), when the item has one. */
export function messageTimeOf(json: Record<string, unknown>): number | undefined {
	if (typeof json.timestamp !== 'string') return undefined;
	const ms = Date.parse(json.timestamp);
	return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
