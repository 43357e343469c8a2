/** The order's line items from whichever source the node is set to, checked as one order. */
import { CheckoutInputError } from '../../inputError';
import type { CheckoutMode, LineItemSource } from '../limits';
import type { BuiltLineItem, CheckoutInput, ResolvedPrice } from '../types';
import { inlineLineItems } from './inline';
import { jsonLineItems } from './json';
import { lookupKeyLineItems } from './lookupKey';
import { priceIdLineItems } from './priceId';

export { fetchPricesByLookupKey, lookupKeysOf } from './lookupKey';
export type { PriceLister } from './lookupKey';

function checkOneCurrency(items: BuiltLineItem[]): void {
	let first: { currency: string; index: number } | undefined;
	items.forEach((item, index) => {
		const currency = item.summary.currency;
		if (currency === undefined) return;
		if (!first) {
			first = { currency, index };
		} else if (first.currency !== currency) {
			throw new CheckoutInputError(
				'Line Items',
				`one Checkout Session takes one currency, but item ${first.index + 1} is ${first.currency.toUpperCase()} and item ${index + 1} is ${currency.toUpperCase()}`,
			);
		}
	});
}

export function buildLineItems(
	input: CheckoutInput,
	mode: CheckoutMode,
	source: LineItemSource,
	pricesByLookupKey: ReadonlyMap<string, ResolvedPrice>,
): BuiltLineItem[] {
	let lineItems: BuiltLineItem[];
	if (source === 'lookupKey') lineItems = lookupKeyLineItems(input, mode, pricesByLookupKey);
	else if (source === 'price') lineItems = priceIdLineItems(input);
	else if (source === 'inline') lineItems = inlineLineItems(input, mode);
	else lineItems = jsonLineItems(input, mode);
	checkOneCurrency(lineItems);
	if (mode === 'subscription' && lineItems.every((item) => item.recurring === false)) {
		throw new CheckoutInputError(
			'Line Items',
			'Subscription mode needs at least one recurring price (a price with a billing interval)',
		);
	}
	return lineItems;
}
