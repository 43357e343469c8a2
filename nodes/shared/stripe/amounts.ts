/**
 * Exact, currency-aware money arithmetic for Stripe. Stripe wants integer minor units (cents); amounts
 * typed by operators, returned by expressions or picked by an AI are major units (19.99). The conversion
 * works on the decimal text, never by multiplying floats (19.99 * 100 === 1998.9999999999998).
 *
 * The rule, in order:
 * 1. The amount is read as decimal text: a JS number through its shortest round-trip form (`String(n)`),
 *    a string as written (digits, one optional `.`, optional exponent; no thousands separators).
 * 2. Float noise: digits beyond the 9th decimal place are rounded away, half-up. That is where binary
 *    floating point leaves its dust (0.1 + 0.2 === 0.30000000000000004 → 0.3); no currency has more than
 *    3 decimals, so nothing a person meant lives there.
 * 3. What is left must fit the currency exactly: 2 decimals by default, 0 for zero-decimal currencies,
 *    3 for three-decimal currencies, whose last digit Stripe requires to be 0. A real extra digit
 *    (19.999 USD, 19.5 JPY, 1.235 KWD) is rejected, never rounded: rounding someone's price is a
 *    decision for them, not for this node.
 */
import { CheckoutInputError, describeValue } from './inputError';

/** Stripe's zero-decimal currencies: the amount is already in the smallest unit (JPY 1999 → 1999). */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
	'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);

/** Stripe's three-decimal currencies: 3 minor digits, and the last must be 0 (KWD 1.230 → 1230). */
export const THREE_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Decimal places kept before the rest counts as floating-point noise (see the module comment). */
export const FLOAT_NOISE_DECIMALS = 9;

export function currencyDecimals(currency: string): 0 | 2 | 3 {
	const code = currency.toLowerCase();
	if (ZERO_DECIMAL_CURRENCIES.has(code)) return 0;
	if (THREE_DECIMAL_CURRENCIES.has(code)) return 3;
	return 2;
}

/** A 3-letter ISO currency code, lowercased as Stripe expects. */
export function normaliseCurrency(value: unknown, field = 'Currency'): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^[A-Za-z]{3}$/.test(text)) {
		throw new CheckoutInputError(
			field,
			`"${describeValue(value)}" is not a 3-letter ISO currency code such as USD, EUR or JPY`,
		);
	}
	return text.toLowerCase();
}

/** A positive whole number of units (a number or numeric text). */
export function normaliseQuantity(value: unknown, field = 'Quantity'): number {
	const parsed = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed) || parsed < 1) {
		throw new CheckoutInputError(field, `"${describeValue(value)}" is not a whole number of at least 1`);
	}
	return parsed;
}

/** Decimal number as digits and a scale: value = digits × 10^-scale. */
interface DecimalText {
	digits: bigint;
	scale: number;
}

const DECIMAL_PATTERN = /^\+?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(value: unknown): DecimalText | 'negative' | undefined {
	let text: string;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return undefined;
		text = String(value);
	} else if (typeof value === 'string') {
		text = value.trim();
	} else {
		return undefined;
	}
	const negative = text.startsWith('-');
	const match = DECIMAL_PATTERN.exec(negative ? text.slice(1) : text);
	if (!match) return undefined;
	const [, whole = '', fraction = '', exponentText] = match;
	if (whole === '' && fraction === '') return undefined;
	const exponent = exponentText === undefined ? 0 : Number(exponentText);
	if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return undefined;
	let digits = `${whole}${fraction}`;
	let scale = fraction.length - exponent;
	if (scale < 0) {
		digits += '0'.repeat(-scale);
		scale = 0;
	}
	const parsed = { digits: BigInt(digits), scale };
	return negative && parsed.digits > 0n ? 'negative' : parsed;
}

function roundAwayFloatNoise(decimal: DecimalText): DecimalText {
	if (decimal.scale <= FLOAT_NOISE_DECIMALS) return decimal;
	const divisor = 10n ** BigInt(decimal.scale - FLOAT_NOISE_DECIMALS);
	let kept = decimal.digits / divisor;
	if ((decimal.digits % divisor) * 2n >= divisor) kept += 1n; // half-up
	return { digits: kept, scale: FLOAT_NOISE_DECIMALS };
}

function stripTrailingZeros(decimal: DecimalText): DecimalText {
	let { digits, scale } = decimal;
	while (scale > 0 && digits % 10n === 0n) {
		digits /= 10n;
		scale -= 1;
	}
	return { digits, scale };
}

/**
 * Major units → Stripe minor units for `currency` (already validated), following the module's rule.
 * Zero is refused: an order line worth nothing is almost always a mistake in the data.
 */
export function toMinorUnits(amount: unknown, currency: string, field = 'Amount'): number {
	const code = currency.toLowerCase();
	const upper = code.toUpperCase();
	const parsed = parseDecimal(amount);
	if (parsed === 'negative') {
		throw new CheckoutInputError(field, `${describeValue(amount)} is negative; amounts must be greater than 0`);
	}
	if (parsed === undefined) {
		throw new CheckoutInputError(
			field,
			`"${describeValue(amount)}" is not a number; write the amount in ${upper} with a dot for decimals, e.g. 19.99`,
		);
	}
	const decimal = stripTrailingZeros(roundAwayFloatNoise(parsed));
	const decimals = currencyDecimals(code);
	if (decimal.scale > decimals) {
		throw new CheckoutInputError(
			field,
			decimals === 0
				? `${describeValue(amount)} has decimals, but ${upper} has no minor unit: use a whole number`
				: `${describeValue(amount)} has ${decimal.scale} decimal places, but ${upper} allows ${decimals}`,
		);
	}
	const minor = decimal.digits * 10n ** BigInt(decimals - decimal.scale);
	if (decimals === 3 && minor % 10n !== 0n) {
		throw new CheckoutInputError(
			field,
			`${describeValue(amount)} ${upper}: Stripe requires the last of the three decimals to be 0 (e.g. 1.230, not 1.235)`,
		);
	}
	if (minor <= 0n) throw new CheckoutInputError(field, `${describeValue(amount)} must be greater than 0`);
	if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
		throw new CheckoutInputError(field, `${describeValue(amount)} ${upper} is too large`);
	}
	return Number(minor);
}

/** Minor units → exact major-unit text ("19.99", "1999" for JPY, "1.230" for KWD). */
export function formatMinorUnits(minor: number, currency: string): string {
	const decimals = currencyDecimals(currency);
	const negative = minor < 0;
	const digits = String(Math.abs(Math.trunc(minor))).padStart(decimals + 1, '0');
	const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
	return negative ? `-${text}` : text;
}
