import {
	currencyDecimals,
	formatMinorUnits,
	normaliseCurrency,
	normaliseQuantity,
	toMinorUnits,
} from '../../../nodes/shared/stripe/amounts';
import { CheckoutInputError } from '../../../nodes/shared/stripe/inputError';

function inputError(run: () => unknown): CheckoutInputError {
	try {
		run();
	} catch (error) {
		if (error instanceof CheckoutInputError) return error;
		throw error;
	}
	throw new Error('expected a CheckoutInputError');
}

describe('toMinorUnits', () => {
	it.each([
		['USD 19.99 (1998.9999999999998 if multiplied as floats)', 19.99, 'usd', 1999],
		['USD text', '19.99', 'usd', 1999],
		['USD whole', 20, 'usd', 2000],
		['USD one decimal', '0.5', 'usd', 50],
		['USD trailing zeros', '19.9900', 'usd', 1999],
		['EUR 0.1 + 0.2 (0.30000000000000004)', 0.1 + 0.2, 'eur', 30],
		['EUR 0.7 + 0.1 (0.7999999999999999)', 0.7 + 0.1, 'eur', 80],
		['EUR 1.1 * 1.1 (1.2100000000000002)', 1.1 * 1.1, 'eur', 121],
		['JPY is zero-decimal', 1999, 'jpy', 1999],
		['KRW is zero-decimal', '50000', 'krw', 50000],
		['KWD three decimals ending in 0', '1.230', 'kwd', 1230],
		['KWD two decimals', 1.23, 'kwd', 1230],
		['BHD whole', 5, 'bhd', 5000],
		['exponent from a JS number', 1e21 / 1e19, 'usd', 10000],
		['noise past the 9th decimal in text', '19.990000000001', 'usd', 1999],
	])('%s', (_label, amount, currency, expected) => {
		expect(toMinorUnits(amount, currency)).toBe(expected);
	});

	it('rejects a real third decimal in a 2-decimal currency instead of rounding it', () => {
		const error = inputError(() => toMinorUnits(19.999, 'usd', 'Unit Amount'));
		expect(error.field).toBe('Unit Amount');
		expect(error.message).toMatch(/^Unit Amount: 19\.999 has 3 decimal places, but USD allows 2/);
	});

	it('rejects decimals for a zero-decimal currency (JPY 19.5)', () => {
		expect(inputError(() => toMinorUnits(19.5, 'jpy')).message).toMatch(/JPY has no minor unit/);
	});

	it('rejects a last KWD digit other than 0 (1.235)', () => {
		expect(inputError(() => toMinorUnits('1.235', 'kwd')).message).toMatch(/last of the three decimals to be 0/);
	});

	it.each([
		['negative', -5, /negative/],
		['negative text', '-0.01', /negative/],
		['NaN', Number.NaN, /not a number/],
		['Infinity', Number.POSITIVE_INFINITY, /not a number/],
		['zero', 0, /greater than 0/],
		['thousands separator', '1,999', /not a number/],
		['empty', '', /not a number/],
		['words', 'twenty', /not a number/],
		['object', { amount: 1 }, /not a number/],
	])('rejects %s with the field named', (_label, amount, pattern) => {
		const error = inputError(() => toMinorUnits(amount, 'usd', 'Inline Items → item 1 → Unit Amount'));
		expect(error.field).toBe('Inline Items → item 1 → Unit Amount');
		expect(error.message).toMatch(pattern);
	});

	it('rejects amounts beyond safe integers', () => {
		expect(inputError(() => toMinorUnits('1e20', 'usd')).message).toMatch(/too large/);
	});
});

describe('currency and quantity', () => {
	it('lowercases a 3-letter code and names the field when it is not one', () => {
		expect(normaliseCurrency(' USD ')).toBe('usd');
		const error = inputError(() => normaliseCurrency('US$', 'Inline Items → item 2 → Currency'));
		expect(error.message).toMatch(/^Inline Items → item 2 → Currency: "US\$" is not a 3-letter ISO currency code/);
		expect(() => normaliseCurrency(undefined)).toThrow(CheckoutInputError);
	});

	it('knows the decimals of each currency class', () => {
		expect(currencyDecimals('usd')).toBe(2);
		expect(currencyDecimals('JPY')).toBe(0);
		expect(currencyDecimals('xof')).toBe(0);
		expect(currencyDecimals('tnd')).toBe(3);
	});

	it('accepts positive whole quantities only', () => {
		expect(normaliseQuantity(3)).toBe(3);
		expect(normaliseQuantity('2')).toBe(2);
		for (const bad of [0, -1, 1.5, '1.5', 'two', Number.NaN, undefined]) {
			expect(inputError(() => normaliseQuantity(bad, 'Quantity')).message).toMatch(/^Quantity: .* not a whole number of at least 1/);
		}
	});

	it('formats minor units back exactly', () => {
		expect(formatMinorUnits(1999, 'usd')).toBe('19.99');
		expect(formatMinorUnits(5, 'eur')).toBe('0.05');
		expect(formatMinorUnits(1999, 'jpy')).toBe('1999');
		expect(formatMinorUnits(1230, 'kwd')).toBe('1.230');
	});
});
