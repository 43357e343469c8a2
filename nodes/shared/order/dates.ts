/** Calendar dates as `YYYY-MM-DD` text: what customers book and what the checkout page shows. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function utcOf(iso: string): number {
	const [, y, m, d] = ISO_DATE.exec(iso) ?? [];
	return Date.UTC(Number(y), Number(m) - 1, Number(d));
}

/** A real calendar date in `YYYY-MM-DD` form (2027-02-30 is not). */
export function isIsoDate(value: unknown): value is string {
	if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
	const date = new Date(utcOf(value));
	return date.toISOString().slice(0, 10) === value;
}

export function addDays(iso: string, days: number): string {
	return new Date(utcOf(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
	return Math.round((utcOf(to) - utcOf(from)) / DAY_MS);
}

/** Today's date where the shop is (n8n's instance or workflow time zone). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
	try {
		return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
	} catch {
		return now.toISOString().slice(0, 10); // an unknown zone name: UTC rather than failing the customer
	}
}

export function weekdayOf(iso: string): string {
	return new Date(utcOf(iso)).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
}

/** "Sun, Jun 20, 2027": unambiguous in every country, unlike 06/20 or 20/06. */
export function formatDay(iso: string): string {
	return new Date(utcOf(iso)).toLocaleDateString('en-US', {
		weekday: 'short',
		month: 'short',
		day: 'numeric',
		year: 'numeric',
		timeZone: 'UTC',
	});
}
