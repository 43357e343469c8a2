/**
 * Stripe metadata: the operator's entries merged with the chat reference (the order's return address),
 * checked against Stripe's limits so the error names the field.
 */
import type { ChatReference } from '../../chatReference';
import { chatReferenceToStripeMetadata } from '../../chatReference';
import { isPlainObject } from '../../json';
import { CheckoutInputError, describeValue } from '../inputError';
import { STRIPE_LIMITS } from './limits';
import type { MetadataEntryInput } from './types';

function checkMetadataEntry(key: string, value: string, field: string): void {
	if (key.length > STRIPE_LIMITS.metadataKeyLength) {
		throw new CheckoutInputError(field, `key "${describeValue(key)}" is ${key.length} characters; Stripe allows ${STRIPE_LIMITS.metadataKeyLength}`);
	}
	if (/[[\]]/.test(key)) throw new CheckoutInputError(field, `key "${key}" must not contain square brackets`);
	if (value.length > STRIPE_LIMITS.metadataValueLength) {
		throw new CheckoutInputError(
			field,
			`the value of "${key}" is ${value.length} characters; Stripe allows ${STRIPE_LIMITS.metadataValueLength}`,
		);
	}
}

function metadataValueText(value: unknown, field: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new CheckoutInputError(field, `"${describeValue(value)}" is not text, a number or true/false`);
}

/** A metadata object inside JSON line items (`metadata`, `product_data.metadata`). */
export function validatedMetadataObject(value: unknown, field: string): Record<string, string> {
	if (!isPlainObject(value)) throw new CheckoutInputError(field, 'must be an object of key/value pairs');
	const entries = Object.entries(value);
	if (entries.length > STRIPE_LIMITS.metadataKeys) {
		throw new CheckoutInputError(field, `${entries.length} keys; Stripe allows ${STRIPE_LIMITS.metadataKeys}`);
	}
	const result: Record<string, string> = {};
	for (const [key, raw] of entries) {
		const text = metadataValueText(raw, `${field}.${key}`);
		checkMetadataEntry(key, text, field);
		result[key] = text;
	}
	return result;
}

function operatorMetadata(entries: MetadataEntryInput[] | undefined, field: string): Record<string, string> {
	const merged: Record<string, string> = {};
	(entries ?? []).forEach((entry, index) => {
		const key = typeof entry.key === 'string' ? entry.key.trim() : '';
		const value = metadataValueText(entry.value, `${field} → entry ${index + 1} → Value`);
		if (key === '' && value === '') return; // an empty row left in the UI
		if (key === '') throw new CheckoutInputError(`${field} → entry ${index + 1} → Key`, 'is required');
		checkMetadataEntry(key, value, `${field} → entry ${index + 1}`);
		merged[key] = value;
	});
	return merged;
}

/**
 * The operator's metadata merged with the chat reference. The chat keys are the return address of the
 * order; when the item carries a chat reference, operator metadata may repeat them but not contradict them.
 */
export function buildMetadata(
	entries: MetadataEntryInput[] | undefined,
	chatRef: ChatReference | undefined,
	messageId: string | undefined,
): Record<string, string> {
	const field = 'Options → Metadata';
	const merged = operatorMetadata(entries, field);
	if (chatRef) {
		for (const [key, value] of Object.entries(chatReferenceToStripeMetadata(chatRef, messageId))) {
			if (merged[key] !== undefined && merged[key] !== value) {
				throw new CheckoutInputError(
					field,
					`"${key}" is set from the item's chat reference ("${value}"); remove it from Metadata or make it match`,
				);
			}
			checkMetadataEntry(key, value, `chat reference → ${key}`);
			merged[key] = value;
		}
	}
	if (Object.keys(merged).length > STRIPE_LIMITS.metadataKeys) {
		throw new CheckoutInputError(
			field,
			`${Object.keys(merged).length} keys including the chat reference; Stripe allows ${STRIPE_LIMITS.metadataKeys}`,
		);
	}
	return merged;
}
