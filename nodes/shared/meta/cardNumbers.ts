import type { InboundEvent } from './inboundEvents';

/**
 * Customers sometimes type their card number into the chat. Masked here, before the run starts, it never
 * reaches saved executions, the model or the logs (PCI DSS: no card numbers stored outside a card vault).
 */
export const CARD_NUMBER_MASK = '[card number removed]';

// 13–19 digits, optionally grouped by single spaces or dashes, not part of a longer digit run.
const CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;

// Keys that hold Meta's identifiers (phone numbers, account and message ids), never customer text.
const IDENTIFIER_KEY = /^(id|from|to|wa_id|mid|recipient_id|phone_number_id|display_phone_number|timestamp|time)$|_id$/i;

function passesLuhn(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = digits.charCodeAt(digits.length - 1 - i) - 48;
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}

/** Issuer prefixes of the card networks (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro). */
function hasCardPrefix(digits: string): boolean {
	if (/^[3-6]/.test(digits)) return true;
	const four = Number(digits.slice(0, 4));
	return four >= 2221 && four <= 2720;
}

export function isCardNumber(candidate: string): boolean {
	const digits = candidate.replace(/[ -]/g, '');
	return digits.length >= 13 && digits.length <= 19 && hasCardPrefix(digits) && passesLuhn(digits);
}

/** The text with every card number replaced by CARD_NUMBER_MASK, and how many there were. */
export function maskCardNumbers(text: string): { text: string; masked: number } {
	let masked = 0;
	const result = text.replace(CANDIDATE, (candidate) => {
		if (!isCardNumber(candidate)) return candidate;
		masked += 1;
		return CARD_NUMBER_MASK;
	});
	return { text: result, masked };
}

function maskDeep(value: unknown, key: string): unknown {
	if (typeof value === 'string') return IDENTIFIER_KEY.test(key) ? value : maskCardNumbers(value).text;
	if (Array.isArray(value)) return value.map((entry) => maskDeep(entry, key));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, k)]));
	}
	return value;
}

/** The event as a trigger may emit it: card numbers masked in the text, the reply, a cart's note and the raw payload. */
export function withCardNumbersMasked(event: InboundEvent): InboundEvent {
	return {
		...event,
		text: maskCardNumbers(event.text).text,
		reply: event.reply
			? { ...event.reply, title: maskCardNumbers(event.reply.title).text, payload: maskCardNumbers(event.reply.payload).text }
			: null,
		raw: maskDeep(event.raw, ''),
		...(event.order && { order: { ...event.order, text: maskCardNumbers(event.order.text).text } }),
	};
}
