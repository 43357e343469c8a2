/**
 * Nights: "3 nights", "three nights", "a night", "3-night stay", "for a week" / "2 weeks" (7 nights a week),
 * Spanish "3 noches". Only whole, non-negative numbers ("-2 nights", "0.5 nights" → null).
 */
import { isCount, numberEndingBefore } from './numbers';
import { tokenize } from './text';

/**
 * @param s  normalized text, dates blanked
 * @returns spans: where nights were said (even unusable ones), so the quantity reader does not take them
 */
export function readNights(s: string): { nights: number | null; spans: Array<[number, number]> } {
	const tokens = tokenize(s);
	const spans: Array<[number, number]> = [];
	let nights: number | null = null;
	tokens.forEach((t, i) => {
		const perUnit = /^(?:nights?|noches?)$/.test(t.w) ? 1 : /^weeks?$/.test(t.w) ? 7 : 0;
		if (!perUnit) return;
		const n = numberEndingBefore(tokens, i, { article: true });
		if (!n) return;
		if (perUnit === 7 && !(tokens[n.start - 1]?.w === 'for' || tokens[i + 1]?.w === 'stay')) return;
		spans.push([tokens[n.start].at, t.end]);
		if (nights === null && isCount(n.value)) nights = n.value * perUnit;
	});
	return { nights, spans };
}
