/**
 * Readers for JSON of unknown shape (webhook bodies, Stripe objects, operator-supplied JSON). They never
 * throw; a value of the wrong type reads as absent.
 */
export type JsonRecord = Record<string, unknown>;

/** An object that is not an array or null. */
export function isPlainObject(value: unknown): value is JsonRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or undefined when it is not one. */
export function asObject(value: unknown): JsonRecord | undefined {
	return isPlainObject(value) ? value : undefined;
}

/** The value as an array, or an empty one. */
export function asArray(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/** Text or a finite number as text (Meta sends ids both ways); anything else is ''. */
export function asString(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}
