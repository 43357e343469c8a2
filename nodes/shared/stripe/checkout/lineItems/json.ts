/** Line items in Stripe's own `line_items` JSON shape (amounts in minor units), validated field by field. */
import type Stripe from 'stripe';

import { asObject } from '../../../json';
import { normaliseQuantity } from '../../amounts';
import { CheckoutInputError } from '../../inputError';
import { checkKnownKeys, exactlyOne, nonEmptyList, objectOf, requiredText, stringList } from '../fields';
import type { CheckoutMode } from '../limits';
import { validatedMetadataObject } from '../metadata';
import type { BuiltLineItem, CheckoutInput, LineItemSummary } from '../types';
import { jsonPriceData } from './jsonPriceData';

const LINE_ITEM_FIELDS = ['price', 'price_data', 'quantity', 'adjustable_quantity', 'tax_rates', 'dynamic_tax_rates', 'metadata'];
const FIELD = 'Line Items (JSON)';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch (error) {
		return { ok: false, problem: (error as Error).message };
	}
}

function parseJsonLineItems(value: unknown): unknown[] {
	let parsed = value;
	if (typeof value === 'string') {
		const result = parseJson(value);
		if (!result.ok) throw new CheckoutInputError(FIELD, `is not valid JSON (${result.problem})`);
		parsed = result.value;
	}
	if (!Array.isArray(parsed)) {
		throw new CheckoutInputError(FIELD, 'must be a JSON array of Stripe line items: [{"price": "price_…", "quantity": 1}]');
	}
	return nonEmptyList(parsed, FIELD);
}

function adjustableQuantity(value: unknown, field: string): Record<string, unknown> {
	const adjustable = asObject(value);
	if (!adjustable || typeof adjustable.enabled !== 'boolean') {
		throw new CheckoutInputError(field, 'must be {"enabled": true|false, "minimum"?, "maximum"?}');
	}
	checkKnownKeys(adjustable, ['enabled', 'minimum', 'maximum'], field);
	return {
		enabled: adjustable.enabled,
		...(adjustable.minimum !== undefined && { minimum: normaliseQuantity(adjustable.minimum, `${field}.minimum`) }),
		...(adjustable.maximum !== undefined && { maximum: normaliseQuantity(adjustable.maximum, `${field}.maximum`) }),
	};
}

function jsonLineItem(raw: unknown, mode: CheckoutMode, field: string): BuiltLineItem {
	const given = objectOf(raw, field);
	checkKnownKeys(given, LINE_ITEM_FIELDS, field);
	exactlyOne(given, 'price', '(a price_… ID)', 'price_data', field);
	const quantity = normaliseQuantity(given.quantity, `${field}.quantity`);
	const lineItem: Record<string, unknown> = { quantity };
	const summary: LineItemSummary = { source: 'json', quantity };
	let recurring: boolean | undefined;
	if (given.price !== undefined) {
		const priceId = requiredText(given.price, `${field}.price`);
		lineItem.price = priceId;
		summary.priceId = priceId;
	} else {
		const built = jsonPriceData(given.price_data, mode, `${field}.price_data`);
		lineItem.price_data = built.priceData;
		summary.currency = built.currency;
		if (built.unitAmount !== undefined) summary.unitAmount = built.unitAmount;
		if (built.name !== undefined) summary.name = built.name;
		if (built.interval !== undefined) summary.interval = built.interval;
		recurring = built.interval !== undefined;
	}
	if (given.adjustable_quantity !== undefined) {
		lineItem.adjustable_quantity = adjustableQuantity(given.adjustable_quantity, `${field}.adjustable_quantity`);
	}
	for (const listField of ['tax_rates', 'dynamic_tax_rates'] as const) {
		if (given[listField] !== undefined) lineItem[listField] = stringList(given[listField], `${field}.${listField}`);
	}
	if (given.metadata !== undefined) lineItem.metadata = validatedMetadataObject(given.metadata, `${field}.metadata`);
	return { lineItem: lineItem as Stripe.Checkout.SessionCreateParams.LineItem, summary, recurring };
}

export function jsonLineItems(input: CheckoutInput, mode: CheckoutMode): BuiltLineItem[] {
	return parseJsonLineItems(input.lineItemsJson).map((raw, index) => jsonLineItem(raw, mode, `${FIELD} → item ${index + 1}`));
}
