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
