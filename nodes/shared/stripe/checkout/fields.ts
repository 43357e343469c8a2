/** Validators for single checkout fields; each failure is a CheckoutInputError naming the node's field. */
import { isPlainObject } from '../../json';
import { isHttpUrl, parseUrl } from '../../url';
import { normaliseQuantity } from '../amounts';
import { CheckoutInputError, describeValue } from '../inputError';
import type { RecurringInterval } from './limits';
import { RECURRING_INTERVALS, STRIPE_LIMITS } from './limits';

export function optionalText(value: unknown, field: string, maxLength?: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new CheckoutInputError(field, `"${describeValue(value)}" is not text`);
	}
	const text = String(value).trim();
	if (text === '') return undefined;
	if (maxLength !== undefined && text.length > maxLength) {
		throw new CheckoutInputError(field, `is ${text.length} characters long; Stripe allows ${maxLength}`);
	}
	return text;
}

export function requiredText(value: unknown, field: string, maxLength?: number): string {
	const text = optionalText(value, field, maxLength);
	if (text === undefined) throw new CheckoutInputError(field, 'is required');
	return text;
}

/** Checks an absolute http(s) URL but returns the text as given: re-serialising it through URL would
 * percent-encode `{CHECKOUT_SESSION_ID}` in a path, and Stripe only replaces the literal placeholder. */
export function absoluteUrl(value: unknown, field: string, required: true): string;
export function absoluteUrl(value: unknown, field: string, required: false): string | undefined;
export function absoluteUrl(value: unknown, field: string, required: boolean): string | undefined {
	const text = required ? requiredText(value, field) : optionalText(value, field);
	if (text === undefined) return undefined;
	const url = parseUrl(text);
	if (url === undefined) {
		throw new CheckoutInputError(field, `"${describeValue(text)}" is not an absolute URL (https://…)`);
	}
	if (!isHttpUrl(url)) {
		throw new CheckoutInputError(field, `"${describeValue(text)}" must start with https://`);
	}
	return text;
}

export function checkKnownKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): void {
	for (const key of Object.keys(value)) {
		if (!allowed.includes(key)) {
			throw new CheckoutInputError(field, `unknown field "${key}" (allowed: ${allowed.join(', ')})`);
		}
	}
}

/** Stripe's "one of two" fields (price or price_data, product or product_data, …). */
export function exactlyOne(value: Record<string, unknown>, a: string, aHint: string, b: string, field: string): void {
	if ((value[a] !== undefined) === (value[b] !== undefined)) {
		throw new CheckoutInputError(field, `needs exactly one of "${a}" ${aHint} or "${b}"`);
	}
}

export function objectOf(value: unknown, field: string): Record<string, unknown> {
	if (!isPlainObject(value)) throw new CheckoutInputError(field, 'must be an object');
	return value;
}

export function stringList(value: unknown, field: string): string[] {
	if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string' || entry.trim() === '')) {
		throw new CheckoutInputError(field, 'must be a list of text values');
	}
	return value as string[];
}

/** The line items of one source: at least one, at most Stripe's 100. */
export function nonEmptyList<T>(list: T[] | undefined, field: string): T[] {
	const items = Array.isArray(list) ? list : [];
	if (items.length === 0) throw new CheckoutInputError(field, 'add at least one line item');
	if (items.length > STRIPE_LIMITS.lineItems) {
		throw new CheckoutInputError(field, `${items.length} line items; Stripe allows ${STRIPE_LIMITS.lineItems}`);
	}
	return items;
}

/** A billing interval (default month) and count (default 1), as inline and JSON prices take them. */
export function recurringOf(interval: unknown, intervalCount: unknown, field: string) {
	const chosen = interval === undefined || interval === '' ? 'month' : interval;
	if (!RECURRING_INTERVALS.includes(chosen as RecurringInterval)) {
		throw new CheckoutInputError(
			`${field} → Billing Interval`,
			`"${describeValue(interval)}" is not one of ${RECURRING_INTERVALS.join(', ')}`,
		);
	}
	const count = normaliseQuantity(
		intervalCount === undefined || intervalCount === '' ? 1 : intervalCount,
		`${field} → Interval Count`,
	);
	return { interval: chosen as RecurringInterval, interval_count: count };
}
