/**
 * Quantity: a count of something ("2 rooms", "two welcome baskets", "1000000 Pro plans", "3 x deluxe": the first
 * word after it that is not a stop word), after "x"/"qty"/"quantity"/"make it", or a count on its own ("3", "three
 * please", "3 of them"). Not a quantity: a count of nights/days/people/hours/money, "for 2" (likely people),
 * "room 12", "we are 4", a number after price/cost/amount/total/pay ("the price is 0"), a phone number. The first
 * one counts; never clamped. Only whole, non-negative numbers ("-3", "2.5" → null).
 */
import { isCount, readNumber } from './numbers';
import { stem, STOP_WORDS, tokenize } from './text';

/** Before a bare number, these say it is not a count of them ("room 12"); a product's words do too. */
const UNIT_NOUNS = new Set(['room', 'unit', 'seat', 'item', 'ticket', 'suite', 'plan', 'habitacion']);
const NOT_UNIT_NOUNS = new Set([
	'night', 'day', 'week', 'month', 'year', 'guest', 'people', 'person', 'adult', 'kid', 'child', 'children', 'hour', 'hr', 'h',
	'minute', 'min', 'am', 'pm', 'o', 'oclock', 'clock', 'percent', 'usd', 'eur', 'gbp', 'dollar', 'euro', 'buck', 'cent', 'time', 'star',
	'noche', 'persona', 'dia', 'ano',
]);
const FILLER = new Set(['please', 'pls', 'plz', 'thanks', 'thank', 'you', 'in', 'total', 'altogether', 'of', 'them', 'ok', 'por', 'favor', 'gracias']);
const MONEY_WORDS = new Set(['price', 'prices', 'cost', 'costs', 'amount', 'total', 'pay', 'paid', 'charge', 'precio']);
/** "the one with the view" is not a count. */
const PRONOUN_ONE_AFTER = new Set(['the', 'this', 'that', 'which', 'another', 'other', 'each', 'every', 'any', 'no']);
const NOT_BEFORE_A_COUNT = new Set(['for', 'which', 'number', 'no', 'the', 'that', 'this', 'each', 'every', 'any', 'para', 'is', 'are', 'am', 'm', 'was', 'were', 'at', 'by', 'around', 'about', 'somos']);

/** @param s  normalized text, dates and nights blanked */
export function readQuantity(s: string, productStems: Set<string>): number | null {
	const tokens = tokenize(s);
	for (let i = 0; i < tokens.length; i++) {
		const r = readNumber(tokens, i);
		if (!r) continue;
		const prev = tokens[i - 1]?.w;
		const before = s.slice(Math.max(0, tokens[i].at - 2), tokens[i].at);
		const next = tokens[r.end] ? stem(tokens[r.end].w) : undefined;
		const skip = () => {
			i = r.end - 1;
		};
		if (tokens[i].w === 'one' && prev !== undefined && PRONOUN_ONE_AFTER.has(prev)) {
			skip();
			continue;
		}
		const moneyBefore = tokens.slice(Math.max(0, i - 3), i).some((t) => MONEY_WORDS.has(t.w));
		if (/[$€£¥#]\s*$/.test(before) || moneyBefore || (next !== undefined && NOT_UNIT_NOUNS.has(next)) || (prev !== undefined && /^-?\d/.test(prev))) {
			skip();
			continue;
		}
		let unit = false;
		for (let k = r.end; k < Math.min(r.end + 4, tokens.length); k++) {
			const t = stem(tokens[k].w);
			if (/^-?\d/.test(t) || NOT_UNIT_NOUNS.has(t)) break;
			if (STOP_WORDS.has(t) || FILLER.has(t)) continue;
			unit = true;
			break;
		}
		const prev2 = tokens.slice(Math.max(0, i - 2), i).map((t) => t.w).join(' ');
		const asked = prev === 'x' || prev === '×' || prev === 'qty' || prev === 'quantity' || /^(?:make|change) (?:it|that)$|^it to$|^quantity (?:of|is|to)$/.test(prev2);
		const alone = tokens.slice(r.end).every((t) => FILLER.has(t.w)) && !(prev !== undefined && (NOT_BEFORE_A_COUNT.has(prev) || productStems.has(stem(prev)) || UNIT_NOUNS.has(stem(prev))));
		if (unit || asked || alone) {
			if (tokens[i].w.startsWith('-') || !isCount(r.value)) return null;
			return r.value;
		}
		skip();
	}
	return null;
}
