/** The customer's text as the readers see it: normalized, tokenized, with spans already read blanked out. */

/** Lower case, accents off (habitación → habitacion), every dash a hyphen. Keeps the length of ordinary text. */
export const normalize = (text: string): string =>
	String(text)
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[\u2010-\u2015\u2212]/g, '-')
		.replace(/[\u2018\u2019]/g, "'");

/** Replaces [start, end) spans with spaces, so later readers do not see them and indexes stay valid. */
export function blank(s: string, spans: Array<[number, number]>): string {
	let out = s;
	for (const [a, b] of spans) out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
	return out;
}

export interface Token {
	w: string;
	at: number;
	end: number;
}

/** Words, and numbers with their sign and decimals ("-3", "2.5", "1,000,000"), so a non-count is seen as one. */
export const tokenize = (s: string): Token[] =>
	[...s.matchAll(/-?\d+(?:[.,]\d+)*|[a-z]+|×/g)].map((m) => ({ w: m[0], at: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));

/** Plural to singular, enough to match "rooms" to "Room", "suites" to "Suite", "passes" to "Pass". */
export function stem(w: string): string {
	if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
	if (w.length > 4 && /(?:s|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
	if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
	return w;
}

export const STOP_WORDS = new Set([
	'a', 'an', 'the', 'of', 'for', 'and', 'or', 'with', 'in', 'on', 'at', 'to', 'by', 'from', 'per', 'my', 'your', 'our',
	'de', 'del', 'la', 'el', 'los', 'las', 'y', 'en', 'con', 'un', 'una', 'por', 'para',
]);

export const EMAIL_RE = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;
