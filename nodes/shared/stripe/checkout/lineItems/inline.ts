/** Inline line items: name and amount typed in the node (major units), Stripe creates the price on the fly. */
import { normaliseCurrency, normaliseQuantity, toMinorUnits } from '../../amounts';
import { absoluteUrl, nonEmptyList, optionalText, recurringOf, requiredText } from '../fields';
import type { CheckoutMode } from '../limits';
import type { BuiltLineItem, CheckoutInput } from '../types';

export function inlineLineItems(input: CheckoutInput, mode: CheckoutMode): BuiltLineItem[] {
	return nonEmptyList(input.inlineItems, 'Inline Items').map((item, index) => {
		const field = `Inline Items → item ${index + 1}`;
		const name = requiredText(item.name, `${field} → Name`);
		const description = optionalText(item.description, `${field} → Description`);
		const imageUrl = absoluteUrl(item.imageUrl, `${field} → Image URL`, false);
		const currency = normaliseCurrency(item.currency, `${field} → Currency`);
		const unitAmount = toMinorUnits(item.unitAmount, currency, `${field} → Unit Amount`);
		const quantity = normaliseQuantity(item.quantity ?? 1, `${field} → Quantity`);
		const recurring = mode === 'subscription' ? recurringOf(item.interval, item.intervalCount, field) : undefined;
		return {
			lineItem: {
				price_data: {
					currency,
					unit_amount: unitAmount,
					product_data: {
						name,
						...(description !== undefined && { description }),
						...(imageUrl !== undefined && { images: [imageUrl] }),
					},
					...(recurring && { recurring }),
				},
				quantity,
			},
			summary: {
				source: 'inline',
				quantity,
				name,
				unitAmount,
				currency,
				...(recurring && { interval: recurring.interval }),
			},
			recurring: recurring !== undefined,
		};
	});
}
