/**
 * Currencies' minor units, and amounts as people read them.
 */
const ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];
const THREE_DECIMAL = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];

/** Decimal places of the currency's minor unit (0, 2 or 3). */
export function currencyDigits(currency: string): number {
	const c = currency.toLowerCase();
	return ZERO_DECIMAL.includes(c) ? 0 : THREE_DECIMAL.includes(c) ? 3 : 2;
}

export const isThreeDecimal = (currency: string): boolean => currencyDigits(currency) === 3;

/** `18000, 'eur'` → `180.00 EUR`. */
export function formatAmount(amount: number, currency: string): string {
	const digits = currencyDigits(currency);
	return `${(amount / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
}

/**
 * The minor units an amount typed on a page means (major units, the currency's decimals); undefined for an
 * empty field.
 */
export function minorUnitsOf(text: string, currency: string): number | undefined {
	if (text === '') return undefined;
	const digits = currencyDigits(currency);
	const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
	if (!match || (match[2]?.length ?? 0) > digits) throw new Error(`"${text}" is not an amount in ${currency.toUpperCase()}`);
	return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}
