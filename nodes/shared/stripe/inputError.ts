/**
 * The one error for operator input that Stripe would reject (a field of the node, or a value the item
 * supplied): found before anything is sent, and named by its field so the operator knows what to change.
 */
export class CheckoutInputError extends Error {
	constructor(
		readonly field: string,
		problem: string,
	) {
		super(`${field}: ${problem}`);
		this.name = 'CheckoutInputError';
	}
}

/** A short, safe rendering of a value for an error message. */
export function describeValue(value: unknown): string {
	if (value === undefined) return '(empty)';
	if (value === null) return 'null';
	if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 57)}...` : value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	try {
		const json = JSON.stringify(value);
		return json.length > 60 ? `${json.slice(0, 57)}...` : json;
	} catch {
		return typeof value;
	}
}

/** How to read one kind of Stripe ID from a field, and what to tell the operator when it is not one. */
export interface StripeIdField {
	field: string;
	/** The whole ID: its prefix and characters (e.g. /^cs_[A-Za-z0-9_]+$/). */
	pattern: RegExp;
	maxLength: number;
	/** Said when the field is empty: what to map into it. */
	whenEmpty: string;
	/** Said after the value when it is not such an ID: what it should be and where to find it. */
	whenWrong: string;
}

/** A Stripe ID as typed or mapped: trimmed, the right prefix, nothing else in it. */
export function stripeIdOf(value: unknown, id: StripeIdField): string {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (text === '') throw new CheckoutInputError(id.field, id.whenEmpty);
	if (!id.pattern.test(text) || text.length > id.maxLength) {
		throw new CheckoutInputError(id.field, `"${describeValue(text)}" ${id.whenWrong}`);
	}
	return text;
}
