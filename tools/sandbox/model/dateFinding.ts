/**
 * Finding dates in the text (resolving them to calendar days is dateResolving.ts).
 *
 * Understood: "June 20-23", "June 20th to 23rd", "from June 20 to 23", "June 20 to June 23", "20-23 June",
 * "20 to 23 of June", "20/06 to 23/06" (day/month; month/day only when the second number cannot be a month,
 * "06/20"), "20/06/2027", "20.06.-23.06.", "20.06.2027", ISO "2027-06-20", "the 20th" (day of the current
 * month, else the next), "today", "tonight", "tomorrow", "tomorrow night", "the day after tomorrow",
 * "yesterday", weekdays ("on Friday": the next one on or after today; "next Friday": strictly after today),
 * Spanish "del 20 al 23 de junio", "20 de junio", "hoy", "mañana", "esta noche".
 * Day numbers 1-31 are taken as written in any month ("June 31" → -06-31): the node checks that a date exists.
 * Not understood: "20-06" (a dash between day and month), "next week", "this weekend", ordinals in words
 * ("the twentieth").
 */

/** One date as said: a calendar date (parts may be missing), a day offset from today, or a weekday. */
export interface DateAtom {
	y?: number;
	m?: number;
	d?: number;
	offset?: number;
	weekday?: number;
	strictlyAfter?: boolean;
	oneNight?: boolean;
}

/** A date expression's span in the text and the date(s) it says (two for a range). */
export interface DateMatch {
	start: number;
	end: number;
	atoms: DateAtom[];
}

const MONTHS: Record<string, number> = {
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

const plausible = (m: number | undefined, d: number | undefined): boolean => m !== undefined && d !== undefined && m >= 1 && m <= 12 && d >= 1 && d <= 31;

const fullYear = (y: string | undefined): number | undefined => (y === undefined ? undefined : y.length === 2 ? 2000 + Number(y) : Number(y));

/** Day/month, or month/day when only that reading is possible. */
function numericAtom(a: string, b: string, y: string | undefined): DateAtom | null {
	let d = Number(a);
	let m = Number(b);
	if (m > 12 && d <= 12) [d, m] = [m, d];
	return plausible(m, d) ? { d, m, y: fullYear(y) } : null;
}

const DATE_PATTERNS: Array<{ re: RegExp; atoms: (m: RegExpMatchArray) => Array<DateAtom | null> }> = [
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

const sensible = (a: DateAtom | null): a is DateAtom =>
	a !== null && !(a.d !== undefined && (a.d < 1 || a.d > 31)) && !(a.m !== undefined && !plausible(a.m, a.d ?? 1));

/**
 * Every date expression in the text, longest first where they overlap, in text order.
 * @param s  normalized text
 */
export function findDates(s: string): DateMatch[] {
	const found: DateMatch[] = [];
	for (const { re, atoms } of DATE_PATTERNS) {
		re.lastIndex = 0;
		for (const m of s.matchAll(re)) {
			const list = atoms(m);
			if (!list.every(sensible)) continue;
			found.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, atoms: list });
		}
	}
	found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
	const taken: DateMatch[] = [];
	for (const f of found) if (!taken.some((t) => f.start < t.end && t.start < f.end)) taken.push(f);
	return taken.sort((a, b) => a.start - b.start);
}
