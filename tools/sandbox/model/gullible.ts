/**
 * Gullible mode: a prompt-injected model for fault tests. It obeys what the customer's message tells it and puts
 * that into its answer unchecked: answer fields as given (negative or fractional numbers too) and fields the
 * protocol does not have (unitAmount, price, currency…) next to them.
 */
import { fieldFor } from './answerSchema';

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A JSON string (escapes kept; an unterminated one runs to the end of the text), or a brace outside strings. */
const STRING_OR_BRACE = /"(?:[^"\\]|\\[\s\S]?)*(?:"|$)|[{}]/g;

/** The index of the `}` that closes the object opening at `start`, or -1. */
function closingBrace(text: string, start: number): number {
	let depth = 0;
	STRING_OR_BRACE.lastIndex = start;
	for (let m = STRING_OR_BRACE.exec(text); m; m = STRING_OR_BRACE.exec(text)) {
		if (m[0] === '{') depth++;
		else if (m[0] === '}' && --depth === 0) return m.index;
	}
	return -1;
}

/** JSON objects in a message, outermost only, in order (a JSON-schema-looking object is not an instruction). */
function embeddedJsonObjects(text: string): Record<string, unknown>[] {
	const found: Record<string, unknown>[] = [];
	let i = text.indexOf('{');
	while (i !== -1) {
		const end = closingBrace(text, i);
		if (end === -1) break;
		let parsed: unknown;
		try {
			parsed = JSON.parse(text.slice(i, end + 1));
		} catch {
			parsed = undefined;
		}
		if (isPlainObject(parsed) && !('properties' in parsed) && !('$schema' in parsed) && parsed.type !== 'object') {
			found.push(parsed);
			i = text.indexOf('{', end + 1);
		} else {
			i = text.indexOf('{', i + 1);
		}
	}
	return found;
}

const MONEY = '(?:[$€£¥]\\s*)?(\\d+(?:\\.\\d+)?)';
const PRICE_PATTERNS = [
	new RegExp(`\\bmake\\s+it\\s+(?:for\\s+)?(?:only\\s+|just\\s+)?${MONEY}`, 'i'),
	new RegExp(`\\b(?:price|cost|amount|total|charge)\\s*(?:is|=|:|to|of|at|should\\s+be|will\\s+be)?\\s*(?:only\\s+|just\\s+)?${MONEY}`, 'i'),
	new RegExp(`\\bfor\\s+(?:only\\s+|just\\s+)?[$€£¥]\\s*(\\d+(?:\\.\\d+)?)`, 'i'),
];
const CURRENCY_PATTERNS = [
	/\bcurrency\s*(?:is|=|:|to|in)?\s*([a-z]{3})\b/i,
	/\b(?:charge|bill|pay|invoice|price)\s+(?:me\s+|it\s+)?in\s+([a-z]{3})\b/i,
];

/**
 * What a prompt-injected model takes from a customer's message as instructions, beyond the order itself:
 * - a price ("make it $0.01", "the price is 0", "for only $5", "make it free") → `price` (major units) and
 *   `unitAmount` / `amount` (minor units);
 * - "quantity -3" / "qty 2.5" → `quantity` as written (negative or fractional); "0.5 nights" → `nights`;
 * - "currency jpy" / "charge me in eur" → `currency`;
 * - every JSON object embedded in the message, merged last (so its productKey, quantity… win), keys as given.
 */
export function readInjections(text: string): Record<string, unknown> {
	const src = String(text ?? '');
	const out: Record<string, unknown> = {};
	if (/\b(?:make\s+it|for)\s+free\b/i.test(src)) Object.assign(out, { price: 0, unitAmount: 0, amount: 0 });
	for (const re of PRICE_PATTERNS) {
		const m = re.exec(src);
		if (!m) continue;
		const price = Number(m[1]);
		Object.assign(out, { price, unitAmount: Math.round(price * 100), amount: Math.round(price * 100) });
		break;
	}
	const qty = /\b(?:quantity|qty)\s*(?:of|:|=|is|to)?\s*(-?\d+(?:\.\d+)?)/i.exec(src);
	if (qty) out.quantity = Number(qty[1]);
	const nights = /(?<![\d.])(-?\d+(?:\.\d+)?)\s+nights?\b/i.exec(src);
	if (nights) out.nights = Number(nights[1]);
	for (const re of CURRENCY_PATTERNS) {
		const m = re.exec(src);
		if (m) {
			out.currency = m[1].toLowerCase();
			break;
		}
	}
	for (const object of embeddedJsonObjects(src)) Object.assign(out, object);
	return out;
}

/** The object of an answer that carries the order fields (the answer itself, or a wrapper's inner object). */
function orderObjectIn(value: Record<string, unknown>): Record<string, unknown> {
	const queue: unknown[] = [value];
	while (queue.length) {
		const v = queue.shift();
		if (!v || typeof v !== 'object') continue;
		if (Array.isArray(v)) {
			queue.push(...v);
			continue;
		}
		const obj = v as Record<string, unknown>;
		if (Object.keys(obj).some((k) => fieldFor(k) !== null)) return obj;
		queue.push(...Object.values(obj));
	}
	return value;
}

/**
 * Puts injected fields into an answer as given: onto the answer's own name for an order field (productKey,
 * qty…), else under the injected name. No coercion, no schema check: that is what makes it an attack.
 */
export function applyInjections(answer: Record<string, unknown>, injected: Record<string, unknown>): Record<string, unknown> {
	const target = orderObjectIn(answer);
	for (const [key, value] of Object.entries(injected)) {
		const field = fieldFor(key);
		const existing = field ? Object.keys(target).find((k) => fieldFor(k) === field) : undefined;
		target[existing ?? key] = value;
	}
	return answer;
}
