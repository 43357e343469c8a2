// @ts-check
'use strict';
/**
 * What the sandbox model understands: the "Read Chat Order" protocol, read deterministically.
 *
 * The node's system message carries the context in tags, each on its own lines:
 *   <today>2026-11-28 (Saturday)</today>
 *   <catalog>[{"key":"deluxe-room","name":"Grand Hotel Deluxe Room","kind":"per_night"}, …]</catalog>
 *   <order_so_far>{"productKey":"deluxe-room","checkIn":null, …}</order_so_far>
 * and the user message is the customer's text. The answer is one object with every field present:
 *   { intent, productKey, quantity, nights, checkIn, checkOut, email }
 * Only what THIS text says is reported (the node merges it with the order so far). Nothing is derived: a
 * range gives checkIn and checkOut (nights null), "from the 20th for 3 nights" gives checkIn and nights
 * (checkOut null); only "tonight" / "tomorrow night" state both dates of a one-night stay. Numbers are reported as stated, never clamped; dates as written (an explicit year is kept,
 * a reversed range stays reversed) — the node checks. Choices a real model could make either way are listed
 * at each reader below; everything is plain JavaScript with no model, no network, no clock but `<today>`.
 */

/**
 * @typedef {object} CatalogItem
 * @property {string} key
 * @property {string} name
 * @property {string} [kind]                 per_night | one_off | subscription
 * @property {string} [description]          Not read: only the key and the name name a product.
 */

/**
 * @typedef {object} PromptContext
 * @property {string} today                  YYYY-MM-DD, the shop's local date.
 * @property {CatalogItem[]} catalog         Entries without a string key are dropped.
 * @property {Record<string, unknown>} orderSoFar  `{}` when there is none.
 */

/** @typedef {'order' | 'greeting' | 'cancel' | 'status' | 'subscription' | 'human' | 'other'} Intent */

/**
 * @typedef {object} ChatOrderAnswer
 * @property {Intent} intent
 * @property {string | null} productKey
 * @property {number | null} quantity
 * @property {number | null} nights
 * @property {string | null} checkIn         YYYY-MM-DD
 * @property {string | null} checkOut        YYYY-MM-DD
 * @property {string | null} email
 */

/** @typedef {{ y: number, m: number, d: number }} Ymd  m is 1-12; d is 1-31 and may not exist in m (kept as written). */

// ---------------------------------------------------------------------------------------------
// The prompt

/**
 * @param {string} text
 * @param {string} tag
 * @returns {string | null}
 */
function tagBody(text, tag) {
	const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text);
	return m ? m[1].trim() : null;
}

/**
 * @param {string | null} body
 * @returns {unknown}
 */
function parseJson(body) {
	if (body === null) return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

/**
 * Reads `<today>`, `<catalog>` and `<order_so_far>` from the system message(s). A missing or broken tag gives
 * `fallbackToday` / an empty catalog / `{}`: the model then simply understands less.
 * @param {string} systemText
 * @param {string} fallbackToday  YYYY-MM-DD
 * @returns {PromptContext}
 */
function readPromptContext(systemText, fallbackToday) {
	const text = String(systemText ?? '');
	const todayMatch = /^\s*(\d{4}-\d{2}-\d{2})/.exec(tagBody(text, 'today') ?? '');
	const catalog = parseJson(tagBody(text, 'catalog'));
	const orderSoFar = parseJson(tagBody(text, 'order_so_far'));
	return {
		today: todayMatch ? todayMatch[1] : fallbackToday,
		catalog: Array.isArray(catalog)
			? catalog.filter((e) => e && typeof e === 'object' && typeof e.key === 'string' && e.key).map((e) => ({ ...e, name: typeof e.name === 'string' ? e.name : '' }))
			: [],
		orderSoFar: orderSoFar && typeof orderSoFar === 'object' && !Array.isArray(orderSoFar) ? /** @type {Record<string, unknown>} */ (orderSoFar) : {},
	};
}

// ---------------------------------------------------------------------------------------------
// Text

/**
 * Lower case, accents off (habitación → habitacion), every dash a hyphen. Keeps the length of ordinary text.
 * @param {string} text
 */
const normalize = (text) =>
	String(text)
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[\u2010-\u2015\u2212]/g, '-')
		.replace(/[\u2018\u2019]/g, "'");

/**
 * Replaces [start, end) spans with spaces, so later readers do not see them and indexes stay valid.
 * @param {string} s
 * @param {Array<[number, number]>} spans
 */
function blank(s, spans) {
	let out = s;
	for (const [a, b] of spans) out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
	return out;
}

/** @typedef {{ w: string, at: number, end: number }} Token */

/**
 * Words, and numbers with their sign and decimals ("-3", "2.5", "1,000,000"), so a non-count is seen as one.
 * @param {string} s
 * @returns {Token[]}
 */
const tokenize = (s) => [...s.matchAll(/-?\d+(?:[.,]\d+)*|[a-z]+|×/g)].map((m) => ({ w: m[0], at: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));

/**
 * Plural to singular, enough to match "rooms" to "Room", "suites" to "Suite", "passes" to "Pass".
 * @param {string} w
 */
function stem(w) {
	if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
	if (w.length > 4 && /(?:s|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
	if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
	return w;
}

const EMAIL_RE = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;

// ---------------------------------------------------------------------------------------------
// Numbers: "3", "1,000,000", "three", "twenty-one", "a hundred", "a dozen", "two dozen", "half a dozen",
// "a couple (of)", "a pair of"; Spanish one to twelve and twenty. "a"/"an"/"un"/"una" alone is an article, not a
// count ("a deluxe room" → quantity null), except before night/week (see readNights).

/** @type {Record<string, number>} */
const UNIT_WORDS = {
	zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
	twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
	uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12,
};
/** @type {Record<string, number>} */
const TEN_WORDS = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, veinte: 20 };
/** @type {Record<string, number>} */
const SCALE_WORDS = { thousand: 1000, million: 1000000 };
const ARTICLES = new Set(['a', 'an', 'un', 'una']);
/** @param {Record<string, number>} table @param {string | undefined} word */
const has = (table, word) => word !== undefined && Object.hasOwn(table, word);

/**
 * @param {string} w  a digit token
 * @returns {number}  NaN for nonsense; "1,000" is a thousand, "2,5" two and a half
 */
function digitValue(w) {
	if (/^-?\d{1,3}(?:,\d{3})+$/.test(w)) return Number(w.replace(/,/g, ''));
	return Number(w.replace(',', '.'));
}

/**
 * Reads the number that starts at tokens[i].
 * @param {Token[]} tokens
 * @param {number} i
 * @param {{ article?: boolean }} [opts]  article: "a"/"an" alone counts as 1
 * @returns {{ value: number, end: number } | null}  end: index of the first token after the number
 */
function readNumber(tokens, i, opts = {}) {
	const w = (/** @type {number} */ k) => tokens[k]?.w;
	if (w(i) === 'half' && w(i + 1) === 'a' && w(i + 2) === 'dozen') return { value: 6, end: i + 3 };
	if (w(i) === 'a' && (w(i + 1) === 'couple' || w(i + 1) === 'pair')) return { value: 2, end: i + 2 };
	if (w(i) === 'couple' || w(i) === 'pair') return { value: 2, end: i + 1 };
	let total = 0;
	let current = 0;
	/** @type {'none' | 'article' | 'digit' | 'unit' | 'teen' | 'ten' | 'hundred' | 'scale' | 'and'} */
	let last = 'none';
	let j = i;
	for (; j < tokens.length; j++) {
		const t = /** @type {string} */ (w(j));
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

/**
 * The number whose last token is tokens[i - 1] (the longest one), if any.
 * @param {Token[]} tokens
 * @param {number} i
 * @param {{ article?: boolean }} [opts]
 * @returns {{ value: number, start: number } | null}
 */
function numberEndingBefore(tokens, i, opts) {
	for (let start = Math.max(0, i - 5); start < i; start++) {
		const r = readNumber(tokens, start, opts);
		if (r && r.end === i) return { value: r.value, start };
	}
	return null;
}

/** A count a well-behaved model reports: a whole number, not negative ("-3" and "2.5" are not counts). */
const isCount = (/** @type {number} */ n) => Number.isInteger(n) && n >= 0;

// ---------------------------------------------------------------------------------------------
// Dates
//
// Understood: "June 20-23", "June 20th to 23rd", "from June 20 to 23", "June 20 to June 23", "20-23 June",
// "20 to 23 of June", "20/06 to 23/06" (day/month; month/day only when the second number cannot be a month,
// "06/20"), "20/06/2027", "20.06.-23.06.", "20.06.2027", ISO "2027-06-20", "the 20th" (day of the current
// month, else the next), "today", "tonight", "tomorrow", "tomorrow night", "the day after tomorrow",
// "yesterday", weekdays ("on Friday": the next one on or after today; "next Friday": strictly after today),
// Spanish "del 20 al 23 de junio", "20 de junio", "hoy", "mañana", "esta noche".
// Two dates: the first is the check-in, the second the check-out. One date: the check-in, unless it follows
// "until/till/through/leaving/check-out", then it is the check-out (resolved after <order_so_far>'s check-in).
// Years: an explicit year is kept (even in the past); a check-in without one is the next such date on or after
// today; a check-out without one is in the check-in's year, or the next year when that makes a stay of at
// most WRAP_NIGHTS nights ("Dec 30 - Jan 2"); otherwise it stays before the check-in ("June 23-20" is
// reported reversed, as said). Day numbers 1-31 are taken as written in any month ("June 31" → -06-31): the
// node checks that a date exists. Not understood: "20-06" (a dash between day and month), "next week",
// "this weekend", ordinals in words ("the twentieth").

const WRAP_NIGHTS = 60;

/** @type {Record<string, number>} */
const MONTHS = {
	jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6, jul: 7, july: 7,
	aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
	enero: 1, febrero: 2, marzo: 3, abril: 4, mayo: 5, junio: 6, julio: 7, agosto: 8, septiembre: 9, setiembre: 9,
	octubre: 10, noviembre: 11, diciembre: 12,
};
const MONTH = `(${Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|')})\\.?(?![a-z])`;
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?(?![\\d:])';
const YEAR = '(?:,?\\s*(\\d{4})(?!\\d))?';
const SEP = '(?:\\s*-\\s*|\\s+(?:to|until|till|through|thru|and|al|hasta(?:\\s+el)?)\\s+)(?:the\\s+)?';
const OF = '\\s*(?:of\\s+|de\\s+)?';
/** After a bare day number: not a count of something else ("June 2 rooms" is not June 2). */
const NOT_A_COUNT = '(?!\\s*(?:am|pm|h|hrs?|hours?|rooms?|nights?|days?|weeks?|guests?|people|persons?|adults?|kids?|children|units?|seats?|x(?![a-z])|×|of\\s+(?:us|them)|noches?|habitacion(?:es)?|personas?))';
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAYS_ES = ['domingo', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado'];

/** @typedef {{ y?: number, m?: number, d?: number, offset?: number, weekday?: number, strictlyAfter?: boolean, oneNight?: boolean }} DateAtom */
/** @typedef {{ start: number, end: number, atoms: DateAtom[] }} DateMatch */

/**
 * @param {number | undefined} m
 * @param {number | undefined} d
 */
const plausible = (m, d) => m !== undefined && d !== undefined && m >= 1 && m <= 12 && d >= 1 && d <= 31;

/** @param {string | undefined} y */
const fullYear = (y) => (y === undefined ? undefined : y.length === 2 ? 2000 + Number(y) : Number(y));

/**
 * Day/month, or month/day when only that reading is possible.
 * @param {string} a @param {string} b @param {string | undefined} y
 * @returns {DateAtom | null}
 */
function numericAtom(a, b, y) {
	let d = Number(a);
	let m = Number(b);
	if (m > 12 && d <= 12) [d, m] = [m, d];
	return plausible(m, d) ? { d, m, y: fullYear(y) } : null;
}

/** @type {Array<{ re: RegExp, atoms: (m: RegExpExecArray) => (DateAtom | null)[] }>} */
const DATE_PATTERNS = [
	{ re: /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/g, atoms: (m) => [{ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }] },
	// June 20-23 / from June 20 to 23 / June 20th to 23rd, 2027
	{
		re: new RegExp(`\\b${MONTH}\\s*${DAY}${SEP}${DAY}${NOT_A_COUNT}${YEAR}`, 'g'),
		atoms: (m) => [{ m: MONTHS[m[1]], d: Number(m[2]), y: fullYear(m[4]) }, { m: MONTHS[m[1]], d: Number(m[3]), y: fullYear(m[4]) }],
	},
	// 20-23 June / the 20th to the 23rd of June / 20 al 23 de junio
	{
		re: new RegExp(`\\b(?:the\\s+)?${DAY}${SEP}${DAY}${OF}${MONTH}${YEAR}`, 'g'),
		atoms: (m) => [{ m: MONTHS[m[3]], d: Number(m[1]), y: fullYear(m[4]) }, { m: MONTHS[m[3]], d: Number(m[2]), y: fullYear(m[4]) }],
	},
	{ re: new RegExp(`\\b${MONTH}\\s*${DAY}${NOT_A_COUNT}${YEAR}`, 'g'), atoms: (m) => [{ m: MONTHS[m[1]], d: Number(m[2]), y: fullYear(m[3]) }] },
	{ re: new RegExp(`\\b(?:the\\s+)?${DAY}${OF}${MONTH}${YEAR}`, 'g'), atoms: (m) => [{ m: MONTHS[m[2]], d: Number(m[1]), y: fullYear(m[3]) }] },
	// 20/06, 20/06/2027, 06/20
	{ re: /(?<![\d/])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\d/])/g, atoms: (m) => [numericAtom(m[1], m[2], m[3])] },
	// 20.06. / 20.06.2027 (the trailing dot or the year tells it from a decimal) and 20.06 - 23.06
	{ re: /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?![\d])/g, atoms: (m) => [numericAtom(m[1], m[2], m[3])] },
	{
		re: new RegExp(`(?<![\\d.])(\\d{1,2})\\.(\\d{1,2})\\.?${SEP}(\\d{1,2})\\.(\\d{1,2})\\.?(?!\\d)`, 'g'),
		atoms: (m) => [numericAtom(m[1], m[2], undefined), numericAtom(m[3], m[4], undefined)],
	},
	// the 20th (to the 23rd: two of these) / del 20 al 23
	{ re: new RegExp(`\\b(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)\\b${NOT_A_COUNT}`, 'g'), atoms: (m) => [{ d: Number(m[1]) }] },
	{ re: /\bdel?\s+(?:dia\s+)?(\d{1,2})\s+al\s+(\d{1,2})(?!\d)/g, atoms: (m) => [{ d: Number(m[1]) }, { d: Number(m[2]) }] },
	{ re: /\b(?:today|hoy)\b/g, atoms: () => [{ offset: 0 }] },
	{ re: /\b(?:tonight|esta\s+noche)\b/g, atoms: () => [{ offset: 0, oneNight: true }] },
	{ re: /\b(?:tomorrow|manana)\s+night\b|\bmanana\s+por\s+la\s+noche\b/g, atoms: () => [{ offset: 1, oneNight: true }] },
	{ re: /\b(?:tomorrow|(?<!la\s)manana)\b/g, atoms: () => [{ offset: 1 }] },
	{ re: /\b(?:the\s+)?day\s+after\s+tomorrow\b|\bpasado\s+manana\b/g, atoms: () => [{ offset: 2 }] },
	{ re: /\byesterday\b|\bayer\b/g, atoms: () => [{ offset: -1 }] },
	{
		re: new RegExp(`\\b(?:(next|this|on|el)\\s+)?(${[...WEEKDAYS, ...WEEKDAYS_ES].join('|')})\\b`, 'g'),
		atoms: (m) => [{ weekday: (WEEKDAYS.indexOf(m[2]) + 1 || WEEKDAYS_ES.indexOf(m[2]) + 1) - 1, strictlyAfter: m[1] === 'next' }],
	},
];

/**
 * Every date expression in the text, longest first where they overlap, in text order.
 * @param {string} s  normalized text
 * @returns {DateMatch[]}
 */
function findDates(s) {
	/** @type {DateMatch[]} */
	const found = [];
	for (const { re, atoms } of DATE_PATTERNS) {
		re.lastIndex = 0;
		for (const m of s.matchAll(re)) {
			const list = atoms(m);
			if (list.some((a) => a === null || (a.d !== undefined && (a.d < 1 || a.d > 31)) || (a.m !== undefined && !plausible(a.m, a.d ?? 1)))) continue;
			found.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, atoms: /** @type {DateAtom[]} */ (list) });
		}
	}
	found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
	/** @type {DateMatch[]} */
	const taken = [];
	for (const f of found) if (!taken.some((t) => f.start < t.end && t.start < f.end)) taken.push(f);
	return taken.sort((a, b) => a.start - b.start);
}

/** @param {Ymd} a */
const key = (a) => a.y * 10000 + a.m * 100 + a.d;
/** @param {Ymd} a */
const dayNumber = (a) => Date.UTC(a.y, a.m - 1, a.d) / 86400000;
/** @param {number} n */
const fromDayNumber = (n) => {
	const dt = new Date(n * 86400000);
	return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
};
/** @param {Ymd} a */
const isoOf = (a) => `${String(a.y).padStart(4, '0')}-${String(a.m).padStart(2, '0')}-${String(a.d).padStart(2, '0')}`;
/** @param {string} s @returns {Ymd | null} */
const parseIso = (s) => {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
};
/** @param {Ymd} a */
const nextMonth = (a) => (a.m === 12 ? { y: a.y + 1, m: 1, d: a.d } : { ...a, m: a.m + 1 });

/**
 * A date relative to `base`: the next one on or after it for a date without a year.
 * @param {DateAtom} atom
 * @param {Ymd} base
 * @param {Ymd} today
 * @returns {Ymd}
 */
function resolveFrom(atom, base, today) {
	if (atom.offset !== undefined) return fromDayNumber(dayNumber(today) + atom.offset);
	if (atom.weekday !== undefined) {
		const from = dayNumber(base) + (atom.strictlyAfter ? 1 : 0);
		const weekdayOf = (/** @type {number} */ n) => new Date(n * 86400000).getUTCDay();
		return fromDayNumber(from + ((atom.weekday - weekdayOf(from) + 7) % 7));
	}
	const d = /** @type {number} */ (atom.d);
	if (atom.m === undefined) {
		const candidate = { y: base.y, m: base.m, d };
		return key(candidate) >= key(base) ? candidate : nextMonth(candidate);
	}
	if (atom.y !== undefined) return { y: atom.y, m: atom.m, d };
	const candidate = { y: base.y, m: atom.m, d };
	return key(candidate) >= key(base) ? candidate : { ...candidate, y: base.y + 1 };
}

/**
 * The check-out of a range, relative to its check-in (see the year rules above).
 * @param {DateAtom} atom
 * @param {Ymd} checkIn
 * @param {Ymd} today
 * @returns {Ymd}
 */
function resolveCheckOut(atom, checkIn, today) {
	if (atom.offset !== undefined || atom.y !== undefined) return resolveFrom(atom, checkIn, today);
	if (atom.weekday !== undefined) return resolveFrom({ ...atom, strictlyAfter: true }, checkIn, today);
	const d = /** @type {number} */ (atom.d);
	if (atom.m === undefined) return resolveFrom(atom, checkIn, today);
	const sameYear = { y: checkIn.y, m: atom.m, d };
	const nextYear = { ...sameYear, y: checkIn.y + 1 };
	if (key(sameYear) < key(checkIn) && dayNumber(nextYear) - dayNumber(checkIn) <= WRAP_NIGHTS) return nextYear;
	return sameYear;
}

/**
 * @param {DateMatch[]} matches
 * @param {string} s  normalized text
 * @param {string} todayIso
 * @param {Record<string, unknown>} orderSoFar
 * @returns {{ checkIn: string | null, checkOut: string | null, oneNight: boolean }}
 */
function resolveDates(matches, s, todayIso, orderSoFar) {
	const today = parseIso(todayIso) ?? { y: 1970, m: 1, d: 1 };
	const atoms = matches.flatMap((m) => m.atoms.map((atom) => ({ atom, start: m.start })));
	if (atoms.length === 0) return { checkIn: null, checkOut: null, oneNight: false };
	if (atoms.length === 1) {
		const { atom, start } = atoms[0];
		const isEnd = /\b(?:until|till|through|thru|leaving|departing|depart|leave|check(?:ing)?[- ]?out|hasta|salida)(?:\s+(?:on|the|el))?\s*$/.test(s.slice(0, start));
		if (isEnd) {
			const pendingIn = typeof orderSoFar.checkIn === 'string' ? parseIso(orderSoFar.checkIn) : null;
			const out = pendingIn ? resolveCheckOut(atom, pendingIn, today) : resolveFrom(atom, today, today);
			return { checkIn: null, checkOut: isoOf(out), oneNight: false };
		}
		return { checkIn: isoOf(resolveFrom(atom, today, today)), checkOut: null, oneNight: atom.oneNight === true };
	}
	let inAtom = atoms[0].atom;
	const outAtom = atoms[1].atom;
	// "from the 30th to July 2": a day on its own takes the month of the other date.
	if (inAtom.m === undefined && inAtom.d !== undefined && outAtom.m !== undefined && outAtom.d !== undefined) {
		const back = inAtom.d > outAtom.d;
		inAtom = { d: inAtom.d, m: back ? ((outAtom.m + 10) % 12) + 1 : outAtom.m, y: outAtom.y === undefined ? undefined : back && outAtom.m === 1 ? outAtom.y - 1 : outAtom.y };
	}
	let checkIn;
	if (inAtom.y === undefined && inAtom.m !== undefined && outAtom.y !== undefined && outAtom.m !== undefined && inAtom.d !== undefined) {
		// "June 20 to June 23, 2027": the year said once is the stay's year ("Dec 30 to Jan 2, 2027" starts in 2026).
		const sameYear = { y: outAtom.y, m: inAtom.m, d: inAtom.d };
		const out = { y: outAtom.y, m: outAtom.m, d: /** @type {number} */ (outAtom.d) };
		const yearBefore = { ...sameYear, y: outAtom.y - 1 };
		checkIn = key(sameYear) > key(out) && dayNumber(out) - dayNumber(yearBefore) <= WRAP_NIGHTS ? yearBefore : sameYear;
	} else {
		checkIn = resolveFrom(inAtom, today, today);
	}
	return { checkIn: isoOf(checkIn), checkOut: isoOf(resolveCheckOut(outAtom, checkIn, today)), oneNight: false };
}

// ---------------------------------------------------------------------------------------------
// Nights: "3 nights", "three nights", "a night", "3-night stay", "for a week" / "2 weeks" (7 nights a week),
// Spanish "3 noches". Only whole, non-negative numbers ("-2 nights", "0.5 nights" → null).

/**
 * @param {string} s  normalized text, dates blanked
 * @returns {{ nights: number | null, spans: Array<[number, number]> }}
 */
function readNights(s) {
	const tokens = tokenize(s);
	/** @type {Array<[number, number]>} */
	const spans = [];
	let nights = /** @type {number | null} */ (null);
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

// ---------------------------------------------------------------------------------------------
// Products: by key ("deluxe-room"), full name ("Grand Hotel Deluxe Room") or words of the key and name that are
// not stop words ("deluxe", "hotel room", "the pro plan", "rooms" for "Room"). In that order of strength:
//  1. a key or full name said names that product (the longest one said, if names contain each other);
//  2. else a distinctive word (one only that product has) names it — distinctive words of two products → null
//     ("3 deluxe and 2 pro plans": the customer asked for two things; the protocol has room for one);
//  3. else words shared by several products: the product with the most of them, a tie → null ("a room" when
//     the catalog has a deluxe and a standard room).
// Descriptions are not read.

const STOP_WORDS = new Set([
	'a', 'an', 'the', 'of', 'for', 'and', 'or', 'with', 'in', 'on', 'at', 'to', 'by', 'from', 'per', 'my', 'your', 'our',
	'de', 'del', 'la', 'el', 'los', 'las', 'y', 'en', 'con', 'un', 'una', 'por', 'para',
]);

/** @param {string} s */
const words = (s) => normalize(s).split(/[^a-z0-9]+/).filter((w) => w && !STOP_WORDS.has(w));

/**
 * @param {CatalogItem} item
 * @returns {Set<string>} stems of the item's distinctive words
 */
const productWords = (item) => new Set([...words(item.key), ...words(item.name)].map(stem));

/**
 * @param {string} s  normalized text
 * @param {CatalogItem[]} catalog
 * @returns {{ productKey: string | null, mentioned: boolean }}  mentioned: some product was named, even if unclear which
 */
function readProduct(s, catalog) {
	const said = new Set(s.split(/[^a-z0-9]+/).filter(Boolean).map(stem));
	const phrase = ` ${s.replace(/[^a-z0-9]+/g, ' ').trim()} `;
	/** @param {string} text */
	const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const wordsOf = catalog.map(productWords);
	/** @type {Map<string, number>} how many products have the word */
	const owners = new Map();
	for (const ws of wordsOf) for (const w of ws) owners.set(w, (owners.get(w) ?? 0) + 1);
	const hits = catalog.map((item, i) => {
		const keyNorm = normalize(item.key);
		const name = normalize(item.name).replace(/[^a-z0-9]+/g, ' ').trim();
		const keySaid = new RegExp(`(?<![a-z0-9_-])${escape(keyNorm)}(?![a-z0-9_-])`).test(s) ? keyNorm.length : 0;
		const nameSaid = name && phrase.includes(` ${name} `) ? name.length : 0;
		const matched = [...wordsOf[i]].filter((w) => said.has(w));
		return {
			key: item.key,
			named: Math.max(keySaid, nameSaid),
			distinctive: matched.filter((w) => owners.get(w) === 1).length,
			shared: matched.filter((w) => (owners.get(w) ?? 0) > 1).length,
		};
	});
	const mentioned = hits.some((h) => h.named || h.distinctive || h.shared);
	/** @param {typeof hits} list @param {(h: typeof hits[number]) => number} by */
	const best = (list, by) => {
		const top = Math.max(...list.map(by));
		const at = list.filter((h) => by(h) === top);
		return at.length === 1 ? at[0].key : null;
	};
	const named = hits.filter((h) => h.named > 0);
	if (named.length) return { productKey: best(named, (h) => h.named), mentioned };
	const distinct = hits.filter((h) => h.distinctive > 0);
	if (distinct.length) return { productKey: distinct.length === 1 ? distinct[0].key : null, mentioned };
	const shared = hits.filter((h) => h.shared > 0);
	return { productKey: shared.length ? best(shared, (h) => h.shared) : null, mentioned };
}

// ---------------------------------------------------------------------------------------------
// Quantity: a count of something ("2 rooms", "two welcome baskets", "1000000 Pro plans", "3 x deluxe": the first
// word after it that is not a stop word), after "x"/"qty"/"quantity"/"make it", or a count on its own ("3", "three
// please", "3 of them"). Not a quantity: a count of nights/days/people/hours/money, "for 2" (likely people),
// "room 12", "we are 4", a number after price/cost/amount/total/pay ("the price is 0"), a phone number. The first
// one counts; never clamped. Only whole, non-negative numbers ("-3", "2.5" → null).

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

/**
 * @param {string} s  normalized text, dates and nights blanked
 * @param {Set<string>} productStems
 * @returns {number | null}
 */
function readQuantity(s, productStems) {
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

// ---------------------------------------------------------------------------------------------
// Intent, first match wins:
//  subscription — cancel/stop/change/update/pause… + subscription/membership/billing/"my plan"/"my card", or
//                 "unsubscribe" ("cancel my subscription", "change my plan", "update my card");
//  human        — talk/speak/chat/connect to a human/person/agent/someone…, "a real person", "customer service";
//  status       — where/did/has/have/when/track … my order/payment/booking…, "order status", "is my booking
//                 confirmed", "did my payment go through";
//  cancel       — "cancel" (also "cancel my order"), "never mind", "forget it", "scratch that", "no thanks",
//                 "changed my mind", "don't want it anymore", "cancelar", "olvídalo"; but with "instead"/"rather"
//                 and something new to order it is an order (a change);
//  order        — any field read (product — even one too unclear to name —, quantity, nights, a date, email), or book/reserve/buy/order/purchase/
//                 subscribe/sign up/quiero/reservar/comprar; a question (what/how/is…, or "?") that gives no
//                 quantity, nights, date or email and has no such verb is `other` even if it names a product
//                 ("how much is the pro plan?");
//  greeting     — nothing but hello/hi/thanks/ok/yes/bye/good morning/how are you/hola/gracias…;
//  other        — the rest (an empty or emoji-only message too).

const SUBSCRIPTION_RES = [
	/\bunsubscribe\b|\bdarme de baja\b|\bcancelar (?:mi |la )?suscripcion\b/,
	/\b(?:cancel|stop|end|terminate|pause|resume|change|switch|upgrade|downgrade|update|modify|manage|renew)\b[^.?!]*\b(?:subscription|membership|billing|recurring|my (?:current )?plan|my (?:credit |debit )?card|payment (?:method|details|card|info))\b/,
	/\b(?:my|the) (?:subscription|membership)\b[^.?!]*\b(?:cancel|stop|end|change|update|pause)/,
];
const HUMAN_RES = [
	/\b(?:talk|speak|chat|connect|transfer|put me through|get me|contact)\b[^.?!]{0,30}\b(?:human|person|agent|someone|somebody|representative|operator|staff|manager|people|real)\b/,
	/\b(?:a human|real person|live agent|live person|customer service|customer support|representative)\b/,
	/\bhablar con (?:una persona|un humano|alguien|un agente)\b/,
];
const STATUS_RES = [
	/\b(?:where|status|track|tracking|did|has|have|when)\b[^.?!]*\b(?:my|our)\s+(?:order|payment|booking|reservation|purchase|receipt|confirmation|invoice|refund|money)\b/,
	/\b(?:my|the|our)\s+(?:order|payment|booking|reservation|purchase)\b[^.?!]*\b(?:go through|went through|gone through|confirmed|arrive|status|received|processed|succeed|work)/,
	/\b(?:order|payment|booking) status\b|\bdid (?:it|the payment) (?:go through|work)\b/,
];
const CANCEL_RE = /\b(?:cancel|cancelled|canceled|never ?mind|forget (?:it|about it|that|the order)|scratch that|scrap that|no thanks?|no thank you|changed my mind|(?:do not|don'?t) want (?:it|that|this)|no longer want|abort|cancelar|olvidalo|dejalo)\b/;
const ORDER_VERB_RE = /\b(?:book|booking|reserve|reservation|buy|purchase|order|subscribe|sign (?:me )?up|quiero|reservar|comprar)\b/;
const QUESTION_RE = /\?|^\s*(?:what|how|is|are|do|does|can|could|which|why|who|when|where|que|como|cuanto|cuanta)\b/;
const GREETING_PHRASES =
	/\b(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day|night)|thanks?|thank (?:you|u)|thx|ty|cheers|ok|okay|k|cool|great|perfect|nice|awesome|lovely|yes|yeah|yep|sure|bye|goodbye|see (?:you|ya)|how are (?:you|things)|how'?s it going|what'?s up|sup|hola|buenos dias|buenas (?:tardes|noches)|buenas|gracias|muchas|adios|there|again|so much|very much|a lot|everyone|all|guys|team|folks)\b/g;

/**
 * @param {string} s  normalized text, e-mail removed
 * @param {{ productMentioned: boolean, quantity: number | null, nights: number | null, checkIn: string | null, checkOut: string | null, email: string | null }} fields
 * @returns {Intent}
 */
function readIntent(s, fields) {
	if (SUBSCRIPTION_RES.some((re) => re.test(s))) return 'subscription';
	if (HUMAN_RES.some((re) => re.test(s))) return 'human';
	if (STATUS_RES.some((re) => re.test(s))) return 'status';
	const details = fields.quantity !== null || fields.nights !== null || fields.checkIn !== null || fields.checkOut !== null || fields.email !== null;
	if (CANCEL_RE.test(s) && !(/\b(?:instead|rather)\b/.test(s) && (details || fields.productMentioned))) return 'cancel';
	if (details || ORDER_VERB_RE.test(s)) return 'order';
	if (fields.productMentioned) return QUESTION_RE.test(s) ? 'other' : 'order';
	if (/[a-z]/.test(s) && !s.replace(GREETING_PHRASES, ' ').replace(/[^a-z0-9]+/g, '')) return 'greeting';
	return 'other';
}

// ---------------------------------------------------------------------------------------------

/**
 * Reads one turn of a customer's messages against the prompt's context.
 * @param {string} text  the user message (one or more chat messages joined by "\n")
 * @param {PromptContext} context
 * @returns {ChatOrderAnswer}
 */
function readChatOrder(text, context) {
	const original = String(text ?? '');
	const emailMatch = EMAIL_RE.exec(original);
	const email = emailMatch ? emailMatch[0].replace(/\.+$/, '') : null;
	const s = normalize(emailMatch ? original.replace(emailMatch[0], ' ') : original);

	const dateMatches = findDates(s);
	const withoutDates = blank(s, dateMatches.map((m) => [m.start, m.end]));
	const { nights: statedNights, spans: nightSpans } = readNights(withoutDates);
	const { checkIn, checkOut: statedCheckOut, oneNight } = resolveDates(dateMatches, s, context.today, context.orderSoFar);
	// "tonight" / "tomorrow night" name a one-night stay: its check-out is stated too, unless nights are given.
	const checkOut = oneNight && statedNights === null && checkIn ? isoOf(fromDayNumber(dayNumber(/** @type {Ymd} */ (parseIso(checkIn))) + 1)) : statedCheckOut;
	const productStems = new Set(context.catalog.flatMap((item) => [...productWords(item)]));
	const quantity = readQuantity(blank(withoutDates, nightSpans), productStems);
	const { productKey, mentioned } = readProduct(s, context.catalog);
	const fields = { productMentioned: mentioned, quantity, nights: statedNights, checkIn, checkOut, email };
	return { intent: readIntent(s, fields), productKey, quantity, nights: statedNights, checkIn, checkOut, email };
}

module.exports = { readPromptContext, readChatOrder, WRAP_NIGHTS };
