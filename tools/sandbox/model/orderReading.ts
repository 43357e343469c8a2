/**
 * What the sandbox model understands: the "Read Chat Order" protocol (nodes/shared/order/prompt.ts), read
 * deterministically.
 *
 * The node's system message carries the context in tags (promptContext.ts) and the user message is the
 * customer's text. The answer is one object with every field present:
 *   { intent, productKey, quantity, nights, checkIn, checkOut, email }
 * Only what THIS text says is reported (the node merges it with the order so far). Nothing is derived: a
 * range gives checkIn and checkOut (nights null), "from the 20th for 3 nights" gives checkIn and nights
 * (checkOut null); only "tonight" / "tomorrow night" state both dates of a one-night stay. Numbers are reported
 * as stated, never clamped; dates as written (an explicit year is kept, a reversed range stays reversed) — the
 * node checks. Choices a real model could make either way are listed at each reader (dateFinding, dateResolving,
 * nights, quantity, product, intent); everything is plain code with no model, no network, no clock but `<today>`.
 */
import type { Intent, ModelReading } from '../../../nodes/shared/order/modelReading';
import { findDates } from './dateFinding';
import { dayAfter, resolveDates } from './dateResolving';
import { readIntent } from './intent';
import { readNights } from './nights';
import { productWords, readProduct } from './product';
import type { PromptContext } from './promptContext';
import { readQuantity } from './quantity';
import { blank, EMAIL_RE, normalize } from './text';

export type { CatalogItem, PromptContext } from './promptContext';
export type { DateAtom, DateMatch } from './dateFinding';
export type { Ymd } from './dateResolving';
export type { Token } from './text';
export type { Intent };
export { readPromptContext } from './promptContext';
export { WRAP_NIGHTS } from './dateResolving';

/** The answer the protocol asks for: what the node reads back (ModelReading), less its own `unreadable` flag. */
export type ChatOrderAnswer = Omit<ModelReading, 'unreadable'>;

/**
 * Reads one turn of a customer's messages against the prompt's context.
 * @param text  the user message (one or more chat messages joined by "\n")
 */
export function readChatOrder(text: string, context: PromptContext): ChatOrderAnswer {
	const original = String(text ?? '');
	const emailMatch = EMAIL_RE.exec(original);
	const email = emailMatch ? emailMatch[0].replace(/\.+$/, '') : null;
	const s = normalize(emailMatch ? original.replace(emailMatch[0], ' ') : original);

	const dateMatches = findDates(s);
	const withoutDates = blank(s, dateMatches.map((m) => [m.start, m.end]));
	const { nights: statedNights, spans: nightSpans } = readNights(withoutDates);
	const { checkIn, checkOut: statedCheckOut, oneNight } = resolveDates(dateMatches, s, context.today, context.orderSoFar);
	// "tonight" / "tomorrow night" name a one-night stay: its check-out is stated too, unless nights are given.
	const checkOut = oneNight && statedNights === null && checkIn ? dayAfter(checkIn) : statedCheckOut;
	const productStems = new Set(context.catalog.flatMap((item) => [...productWords(item)]));
	const quantity = readQuantity(blank(withoutDates, nightSpans), productStems);
	const { productKey, mentioned } = readProduct(s, context.catalog);
	const fields = { productMentioned: mentioned, quantity, nights: statedNights, checkIn, checkOut, email };
	return { intent: readIntent(s, fields), productKey, quantity, nights: statedNights, checkIn, checkOut, email };
}
