/**
 * A cart the customer sent from the business's WhatsApp catalog, read without the model: every item's
 * retailer ID is matched against the catalog (its `retailerId` column, else its key), priced from the catalog
 * only (the price in the message is ignored), and its quantity held to the catalog's limit. A cart is charged
 * whole or not at all: an unknown item, a refused quantity, a product booked by the night, or items that
 * cannot share one Stripe checkout (two currencies, one-off and subscription, two billing intervals) are told
 * to the customer and nothing is charged.
 */
import type { JsonRecord } from '../json';
import { asArray, asObject, asString, isPlainObject } from '../json';
import type { Product } from './catalog';
import type { Problem, TurnDecision } from './orderTurn';
import type { PendingOrder } from './pendingOrder';
import { EMPTY_ORDER } from './pendingOrder';
import type { OrderLine } from './pricing';
import { billingOf, priceOrderLines } from './pricing';

export interface CartItem {
	retailerId: string;
	/** As the trigger emitted it: a number, or anything else, which is refused. */
	quantity: unknown;
}

export interface Cart {
	items: CartItem[];
}

/**
 * The cart of a customer message: the trigger's `order` field ({ catalogId, items }) or a message of type
 * `order`; undefined for any other message.
 */
export function cartOfMessage(message: JsonRecord): Cart | undefined {
	const order = asObject(message.order);
	const isCart = message.type === 'order' || (isPlainObject(order) && typeof order.catalogId === 'string' && Array.isArray(order.items));
	if (!isCart) return undefined;
	const items = asArray(order?.items)
		.map(asObject)
		.filter((item): item is JsonRecord => item !== undefined)
		.map((item) => ({ retailerId: asString(item.retailerId).trim(), quantity: item.quantity }));
	return { items };
}

const isWholeCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

/** Items naming the same product are one line (their quantities added up when all are whole counts). */
function groupItems(items: CartItem[]): Array<{ retailerId: string; quantity: unknown }> {
	const groups = new Map<string, { retailerId: string; quantity: unknown }>();
	for (const item of items) {
		const group = groups.get(item.retailerId);
		if (!group) groups.set(item.retailerId, { ...item });
		else if (isWholeCount(group.quantity)) group.quantity = isWholeCount(item.quantity) ? group.quantity + item.quantity : item.quantity;
	}
	return [...groups.values()];
}

function describeQuantity(value: unknown): number | string {
	if (typeof value === 'number') return value;
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : '?';
}

export interface CartInput {
	cart: Cart;
	pending: PendingOrder;
	products: Product[];
}

export function decideCart({ cart, pending, products }: CartInput): TurnDecision {
	const base = {
		intent: 'order' as const,
		linkStillOpen: false,
		nothingToCancel: false,
		fromCart: true,
		priced: null,
		replacesSessionId: null,
		product: null,
	};
	if (cart.items.length === 0) {
		return { ...base, outcome: 'reply', order: pending, problems: [{ kind: 'cart-empty' }], question: 'product' };
	}
	const problems: Problem[] = [];
	const unknown: string[] = [];
	const lines: OrderLine[] = [];
	for (const item of groupItems(cart.items)) {
		const product = products.find((p) => p.retailerId === item.retailerId);
		if (!product) unknown.push(item.retailerId || '(no ID)');
		else if (product.kind === 'per_night') problems.push({ kind: 'cart-needs-dates', product });
		else if (!isWholeCount(item.quantity)) problems.push({ kind: 'quantity-invalid', asked: describeQuantity(item.quantity), product });
		else if (item.quantity > product.maxPerOrder) problems.push({ kind: 'quantity-too-high', asked: item.quantity, max: product.maxPerOrder, product });
		else lines.push({ product, units: item.quantity, nights: null, checkIn: null, checkOut: null });
	}
	if (unknown.length > 0) problems.unshift({ kind: 'cart-unknown-items', named: unknown });
	const currencies = [...new Set(lines.map((line) => line.product.currency.toUpperCase()))];
	if (currencies.length > 1) problems.push({ kind: 'cart-mixed-currencies', currencies });
	const billings = [...new Set(lines.map((line) => billingOf(line.product)))];
	if (billings.length > 1) problems.push({ kind: 'cart-mixed-billing', billings });
	if (problems.length > 0) {
		return { ...base, outcome: 'reply', order: pending, problems, question: unknown.length > 0 ? 'product' : null };
	}
	return {
		...base,
		outcome: 'checkout',
		// The cart replaces whatever was being ordered in the chat; the customer's email stays.
		order: { ...EMPTY_ORDER, email: pending.email },
		problems,
		question: null,
		product: lines.length === 1 ? lines[0].product : null,
		priced: priceOrderLines(lines),
		replacesSessionId: pending.sessionId,
	};
}
