/**
 * Resolving the dates found (dateFinding.ts) to a check-in and a check-out.
 *
 * Two dates: the first is the check-in, the second the check-out. One date: the check-in, unless it follows
 * "until/till/through/leaving/check-out", then it is the check-out (resolved after <order_so_far>'s check-in).
 * Years: an explicit year is kept (even in the past); a check-in without one is the next such date on or after
 * today; a check-out without one is in the check-in's year, or the next year when that makes a stay of at
 * most WRAP_NIGHTS nights ("Dec 30 - Jan 2"); otherwise it stays before the check-in ("June 23-20" is
 * reported reversed, as said).
 */
import type { DateAtom, DateMatch } from './dateFinding';

export const WRAP_NIGHTS = 60;

/** m is 1-12; d is 1-31 and may not exist in m (kept as written). */
export interface Ymd {
	y: number;
	m: number;
	d: number;
}

const key = (a: Ymd): number => a.y * 10000 + a.m * 100 + a.d;
const dayNumber = (a: Ymd): number => Date.UTC(a.y, a.m - 1, a.d) / 86400000;
const fromDayNumber = (n: number): Ymd => {
	const dt = new Date(n * 86400000);
	return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
};
const isoOf = (a: Ymd): string => `${String(a.y).padStart(4, '0')}-${String(a.m).padStart(2, '0')}-${String(a.d).padStart(2, '0')}`;
const parseIso = (s: string): Ymd | null => {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
};
const nextMonth = (a: Ymd): Ymd => (a.m === 12 ? { y: a.y + 1, m: 1, d: a.d } : { ...a, m: a.m + 1 });

/** The day after a YYYY-MM-DD date (the check-out of a one-night stay). */
export function dayAfter(iso: string): string | null {
	const day = parseIso(iso);
	return day ? isoOf(fromDayNumber(dayNumber(day) + 1)) : null;
}

/** A date relative to `base`: the next one on or after it for a date without a year. */
function resolveFrom(atom: DateAtom, base: Ymd, today: Ymd): Ymd {
	if (atom.offset !== undefined) return fromDayNumber(dayNumber(today) + atom.offset);
	if (atom.weekday !== undefined) {
		const from = dayNumber(base) + (atom.strictlyAfter ? 1 : 0);
		const weekdayOf = (n: number) => new Date(n * 86400000).getUTCDay();
		return fromDayNumber(from + ((atom.weekday - weekdayOf(from) + 7) % 7));
	}
	const d = atom.d as number;
	if (atom.m === undefined) {
		const candidate = { y: base.y, m: base.m, d };
		return key(candidate) >= key(base) ? candidate : nextMonth(candidate);
	}
	if (atom.y !== undefined) return { y: atom.y, m: atom.m, d };
	const candidate = { y: base.y, m: atom.m, d };
	return key(candidate) >= key(base) ? candidate : { ...candidate, y: base.y + 1 };
}

/** The check-out of a range, relative to its check-in (see the year rules above). */
function resolveCheckOut(atom: DateAtom, checkIn: Ymd, today: Ymd): Ymd {
	if (atom.offset !== undefined || atom.y !== undefined) return resolveFrom(atom, checkIn, today);
	if (atom.weekday !== undefined) return resolveFrom({ ...atom, strictlyAfter: true }, checkIn, today);
	const d = atom.d as number;
	if (atom.m === undefined) return resolveFrom(atom, checkIn, today);
	const sameYear = { y: checkIn.y, m: atom.m, d };
	const nextYear = { ...sameYear, y: checkIn.y + 1 };
	if (key(sameYear) < key(checkIn) && dayNumber(nextYear) - dayNumber(checkIn) <= WRAP_NIGHTS) return nextYear;
	return sameYear;
}

/** @param s  normalized text */
export function resolveDates(
	matches: DateMatch[],
	s: string,
	todayIso: string,
	orderSoFar: Record<string, unknown>,
): { checkIn: string | null; checkOut: string | null; oneNight: boolean } {
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
	let checkIn: Ymd;
	if (inAtom.y === undefined && inAtom.m !== undefined && outAtom.y !== undefined && outAtom.m !== undefined && inAtom.d !== undefined) {
		// "June 20 to June 23, 2027": the year said once is the stay's year ("Dec 30 to Jan 2, 2027" starts in 2026).
		const sameYear = { y: outAtom.y, m: inAtom.m, d: inAtom.d };
		const out = { y: outAtom.y, m: outAtom.m, d: outAtom.d as number };
		const yearBefore = { ...sameYear, y: outAtom.y - 1 };
		checkIn = key(sameYear) > key(out) && dayNumber(out) - dayNumber(yearBefore) <= WRAP_NIGHTS ? yearBefore : sameYear;
	} else {
		checkIn = resolveFrom(inAtom, today, today);
	}
	return { checkIn: isoOf(checkIn), checkOut: isoOf(resolveCheckOut(outAtom, checkIn, today)), oneNight: false };
}
