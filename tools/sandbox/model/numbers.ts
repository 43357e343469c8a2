/**
 * Numbers: "3", "1,000,000", "three", "twenty-one", "a hundred", "a dozen", "two dozen", "half a dozen",
 * "a couple (of)", "a pair of"; Spanish one to twelve and twenty. "a"/"an"/"un"/"una" alone is an article, not a
 * count ("a deluxe room" → quantity null), except before night/week (see readNights).
 */
import type { Token } from './text';

const UNIT_WORDS: Record<string, number> = {
	zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
	twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
	uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12,
};
const TEN_WORDS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, veinte: 20 };
const SCALE_WORDS: Record<string, number> = { thousand: 1000, million: 1000000 };
const ARTICLES = new Set(['a', 'an', 'un', 'una']);
const has = (table: Record<string, number>, word: string | undefined): boolean => word !== undefined && Object.hasOwn(table, word);

export interface NumberOptions {
	/** "a"/"an" alone counts as 1 */
	article?: boolean;
}

/** @returns NaN for nonsense; "1,000" is a thousand, "2,5" two and a half */
function digitValue(w: string): number {
	if (/^-?\d{1,3}(?:,\d{3})+$/.test(w)) return Number(w.replace(/,/g, ''));
	return Number(w.replace(',', '.'));
}

type Last = 'none' | 'article' | 'digit' | 'unit' | 'teen' | 'ten' | 'hundred' | 'scale' | 'and';

/**
 * Reads the number that starts at tokens[i].
 * @returns end: index of the first token after the number
 */
export function readNumber(tokens: Token[], i: number, opts: NumberOptions = {}): { value: number; end: number } | null {
	const w = (k: number): string | undefined => tokens[k]?.w;
	if (w(i) === 'half' && w(i + 1) === 'a' && w(i + 2) === 'dozen') return { value: 6, end: i + 3 };
	if (w(i) === 'a' && (w(i + 1) === 'couple' || w(i + 1) === 'pair')) return { value: 2, end: i + 2 };
	if (w(i) === 'couple' || w(i) === 'pair') return { value: 2, end: i + 1 };
	let total = 0;
	let current = 0;
	let last: Last = 'none';
	let j = i;
	for (; j < tokens.length; j++) {
		const t = tokens[j].w;
		if (last === 'none' && /^-?\d/.test(t)) {
			current = digitValue(t);
			last = 'digit';
		} else if (last === 'none' && ARTICLES.has(t)) {
			current = 1;
			last = 'article';
		} else if (has(UNIT_WORDS, t) && (last === 'none' || last === 'hundred' || last === 'scale' || last === 'and' || (last === 'ten' && UNIT_WORDS[t] < 10 && UNIT_WORDS[t] > 0))) {
			current += UNIT_WORDS[t];
			last = UNIT_WORDS[t] >= 10 ? 'teen' : 'unit';
		} else if (has(TEN_WORDS, t) && (last === 'none' || last === 'hundred' || last === 'scale' || last === 'and')) {
			current += TEN_WORDS[t];
			last = 'ten';
		} else if (t === 'hundred' && (last === 'unit' || last === 'digit' || last === 'article')) {
			current *= 100;
			last = 'hundred';
		} else if (has(SCALE_WORDS, t) && last !== 'none' && last !== 'and' && last !== 'scale') {
			total += current * SCALE_WORDS[t];
			current = 0;
			last = 'scale';
		} else if (t === 'dozen' && (last === 'unit' || last === 'digit' || last === 'article')) {
			current *= 12;
			last = 'scale';
		} else if (t === 'and' && (last === 'hundred' || last === 'scale') && (has(UNIT_WORDS, w(j + 1)) || has(TEN_WORDS, w(j + 1)))) {
			last = 'and';
		} else {
			break;
		}
	}
	if (last === 'none') return null;
	if (last === 'article' && !opts.article) return null;
	return { value: total + current, end: j };
}

/** The number whose last token is tokens[i - 1] (the longest one), if any. */
export function numberEndingBefore(tokens: Token[], i: number, opts?: NumberOptions): { value: number; start: number } | null {
	for (let start = Math.max(0, i - 5); start < i; start++) {
		const r = readNumber(tokens, start, opts);
		if (r && r.end === i) return { value: r.value, start };
	}
	return null;
}

/** A count a well-behaved model reports: a whole number, not negative ("-3" and "2.5" are not counts). */
export const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0;
