/**
 * A Checkout Session as the API and events show it: without what the simulator keeps of the request, with its
 * line items when expanded.
 */
import { clone, type SessionRecord, type SimContext } from './context';
import type { StripeObject } from './types';

/** Public view of a stored session (as the API and events show it). */
export function publicSession(ctx: SimContext, stored: SessionRecord, expand: string[] = []): StripeObject {
	const out: StripeObject = clone(stored);
	delete out.line_items;
	delete out.payment_intent_data;
	delete out.subscription_data;
	if (expand.includes('line_items')) out.line_items = lineItemsList(ctx, stored.id);
	return out;
}

/** GET /v1/checkout/sessions/:id/line_items, and `expand: ['line_items']`. */
export function lineItemsList(ctx: SimContext, sessionId: string) {
	const items = ctx.resolvedItems.get(sessionId) ?? [];
	return {
		object: 'list',
		data: items.map((it, i) => ({
			id: `li_${sessionId.slice(-16)}${i}`,
			object: 'item',
			amount_discount: 0,
			amount_subtotal: it.amount,
			amount_tax: 0,
			amount_total: it.amount,
			currency: it.currency,
			description: it.name,
			price: clone(it.price),
			quantity: it.quantity,
		})),
		has_more: false,
		url: `/v1/checkout/sessions/${sessionId}/line_items`,
	};
}
