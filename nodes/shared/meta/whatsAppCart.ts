/**
 * A cart sent from the business's WhatsApp catalog: an inbound message of type `order`, as Meta delivers it
 * (`order: { catalog_id, text, product_items: [{ product_retailer_id, quantity, item_price, currency }] }`).
 * The prices are what the catalog on Meta's side showed the customer: informative only. What is charged
 * comes from the operator's own catalog (Read Chat Order), never from the message.
 */
import type { JsonRecord } from '../json';
import { asArray, asObject, asString } from '../json';

export interface InboundCartItem {
	/** The product's retailer ID (the catalog's "Content ID" / SKU). */
	retailerId: string;
	/** As Meta sent it, as a number; null when it is not one. */
	quantity: number | null;
	/** Informative only: the price Meta's catalog showed, as Meta sent it. */
	itemPrice: number | string | null;
	currency: string | null;
}

export interface InboundCart {
	catalogId: string;
	/** The note the customer wrote with the cart ('' for none). */
	text: string;
	items: InboundCartItem[];
}

function numberOrNull(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
	return null;
}

/** The cart of an `order` message; undefined for any other message. */
export function cartOf(message: JsonRecord): InboundCart | undefined {
	const order = asObject(message.order);
	if (message.type !== 'order' || !order) return undefined;
	const items = asArray(order.product_items)
		.map(asObject)
		.filter((item): item is JsonRecord => item !== undefined)
		.map((item) => ({
			retailerId: asString(item.product_retailer_id).trim(),
			quantity: numberOrNull(item.quantity),
			itemPrice: typeof item.item_price === 'number' || typeof item.item_price === 'string' ? item.item_price : null,
			currency: asString(item.currency) || null,
		}));
	return { catalogId: asString(order.catalog_id), text: asString(order.text), items };
}
