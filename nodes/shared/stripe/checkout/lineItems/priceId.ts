/** Line items by Stripe price ID (price_…), sent as given; Stripe itself checks that the price exists. */
import { normaliseQuantity } from '../../amounts';
import { CheckoutInputError, describeValue } from '../../inputError';
import { nonEmptyList, requiredText } from '../fields';
import type { BuiltLineItem, CheckoutInput } from '../types';

export function priceIdLineItems(input: CheckoutInput): BuiltLineItem[] {
	return nonEmptyList(input.priceItems, 'Prices').map((item, index) => {
		const field = `Prices → item ${index + 1}`;
		const priceId = requiredText(item.priceId, `${field} → Price ID`);
		if (/\s/.test(priceId)) {
			throw new CheckoutInputError(`${field} → Price ID`, `"${describeValue(priceId)}" contains spaces`);
		}
		if (priceId.startsWith('prod_')) {
			throw new CheckoutInputError(
				`${field} → Price ID`,
				`"${priceId}" is a product ID; open the product in Stripe Dashboard → Product catalogue and copy its price ID (price_…)`,
			);
		}
		const quantity = normaliseQuantity(item.quantity ?? 1, `${field} → Quantity`);
		return { lineItem: { price: priceId, quantity }, summary: { source: 'price', quantity, priceId } };
	});
}
