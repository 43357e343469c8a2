import type { Product } from './catalog';
import { addDays, daysBetween, isIsoDate } from './dates';
import type { Intent, ModelReading } from './modelReading';
import { mentionsOrder } from './modelReading';
import type { PendingOrder } from './pendingOrder';
import { EMPTY_ORDER, isEmptyOrder } from './pendingOrder';
import type { PricedOrder } from './pricing';
import { priceOrder } from './pricing';

/**
 * One turn of the conversation: the pending order, plus what the customer just said (as the model read it),
 * checked against the catalog → the next step. Every number the customer states is either taken or refused
 * with a reason; nothing is guessed and no price comes from the chat.
 */
/** What the workflow does with the turn: one named output of Read Chat Order each. */
export type Outcome = 'checkout' | 'reply' | 'cancel' | 'status' | 'subscription' | 'human';

/** After the sale: what a customer may ask instead of ordering, each answered by its own branch. */
const AFTER_SALE: ReadonlySet<Intent> = new Set(['status', 'subscription', 'human']);
export type Question = 'product' | 'dates' | 'nights' | 'quantity';

/** What was wrong, each told to the customer; `product` names the line of a cart (else the order's product). */
export type Problem =
	| { kind: 'unknown-product'; named: string }
	| { kind: 'quantity-invalid'; asked: number | string; product?: Product }
	| { kind: 'quantity-too-high'; asked: number; max: number; product?: Product }
	| { kind: 'date-invalid'; value: string }
	| { kind: 'date-past'; date: string }
	| { kind: 'checkout-before-checkin'; checkIn: string; checkOut: string }
	| { kind: 'nights-invalid'; nights: number }
	| { kind: 'too-many-nights'; nights: number; max: number }
	| { kind: 'nights-mismatch'; nights: number; datesNights: number; checkIn: string; checkOut: string }
	| CartProblem;

/** What can be wrong with a WhatsApp catalog cart as a whole (see cartTurn.ts). */
export type CartProblem =
	| { kind: 'cart-empty' }
	| { kind: 'cart-unknown-items'; named: string[] }
	| { kind: 'cart-needs-dates'; product: Product }
	| { kind: 'cart-mixed-currencies'; currencies: string[] }
	| { kind: 'cart-mixed-billing'; billings: string[] };

export interface TurnInput {
	reading: ModelReading;
	/** A product the customer chose by tapping one of our reply buttons (exact key, no model needed). */
	tappedProductKey: string | null;
	pending: PendingOrder;
	products: Product[];
	today: string;
}

export interface TurnDecision {
	outcome: Outcome;
	intent: Intent;
	/** The pending order after this turn (what to store; empty after a cancel). */
	order: PendingOrder;
	problems: Problem[];
	/** What to ask next, or null when nothing is missing. */
	question: Question | null;
	product: Product | null;
	/** The priced order, when it is complete (outcome checkout, or an unchanged open link). */
	priced: PricedOrder | null;
	/** The open checkout link this turn makes obsolete (a changed order, or a cancel): expire it at Stripe. */
	replacesSessionId: string | null;
	/** The order is complete and is the one whose link is still open: send that link again, make no new one. */
	linkStillOpen: boolean;
	/** The customer asked to cancel but had nothing pending. */
	nothingToCancel: boolean;
	/** The turn was a WhatsApp catalog cart, read without the model. */
	fromCart: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function sameOrder(a: PendingOrder, b: PendingOrder): boolean {
	return a.productKey === b.productKey && (a.quantity ?? 1) === (b.quantity ?? 1) && a.checkIn === b.checkIn && a.checkOut === b.checkOut;
}

function applyProduct(order: Mutable<PendingOrder>, reading: ModelReading, products: Product[], problems: Problem[]): void {
	if (reading.productKey === null) return;
	const product = products.find((p) => p.key === reading.productKey);
	if (!product) {
		problems.push({ kind: 'unknown-product', named: reading.productKey });
		return;
	}
	if (product.key === order.productKey) return;
	order.productKey = product.key;
	if (product.kind !== 'per_night') {
		order.checkIn = null;
		order.checkOut = null;
		order.nights = null;
	}
}

function applyQuantity(order: Mutable<PendingOrder>, reading: ModelReading, problems: Problem[]): boolean {
	const asked = reading.quantity;
	if (asked === null) return false;
	if (!Number.isInteger(asked) || asked < 1) {
		problems.push({ kind: 'quantity-invalid', asked });
		order.quantity = null;
		return true;
	}
	order.quantity = asked;
	return false;
}

/** Dates and nights said in this turn replace what they contradict; the rest of the pending order stays. */
function applyStay(order: Mutable<PendingOrder>, reading: ModelReading, problems: Problem[]): void {
	const date = (value: string | null): string | null => {
		if (value === null) return null;
		if (isIsoDate(value)) return value;
		problems.push({ kind: 'date-invalid', value });
		return null;
	};
	const checkIn = date(reading.checkIn);
	const checkOut = date(reading.checkOut);
	let nights = reading.nights;
	if (nights !== null && (!Number.isInteger(nights) || nights < 1)) {
		problems.push({ kind: 'nights-invalid', nights });
		nights = null;
	}
	if (checkIn !== null) order.checkIn = checkIn;
	if (checkOut !== null) order.checkOut = checkOut;
	if (nights !== null) order.nights = nights;
	if (checkIn !== null && checkOut === null) order.checkOut = null; // recomputed from nights below
	if (nights !== null && checkOut === null) order.checkOut = null;
	if (checkOut !== null && nights === null) order.nights = null; // the dates say how many nights
	if (checkIn !== null && checkOut !== null && nights !== null && daysBetween(checkIn, checkOut) !== nights) {
		problems.push({ kind: 'nights-mismatch', nights, datesNights: daysBetween(checkIn, checkOut), checkIn, checkOut });
		order.checkOut = null;
		order.nights = null;
	}
}

function checkStay(order: Mutable<PendingOrder>, product: Product, today: string, problems: Problem[]): void {
	if (order.checkIn !== null && order.checkOut === null && order.nights !== null) {
		order.checkOut = addDays(order.checkIn, order.nights);
	}
	if (order.checkIn !== null && order.checkIn < today) {
		problems.push({ kind: 'date-past', date: order.checkIn });
		order.checkIn = null;
		order.checkOut = null;
		return;
	}
	if (order.checkIn !== null && order.checkOut !== null) {
		const nights = daysBetween(order.checkIn, order.checkOut);
		if (nights < 1) {
			problems.push({ kind: 'checkout-before-checkin', checkIn: order.checkIn, checkOut: order.checkOut });
			order.checkOut = null;
			order.nights = null;
		} else if (nights > product.maxNights) {
			problems.push({ kind: 'too-many-nights', nights, max: product.maxNights });
			order.checkOut = null;
			order.nights = null;
		} else {
			order.nights = nights;
		}
	} else if (order.checkIn === null && order.nights !== null && order.nights > product.maxNights) {
		problems.push({ kind: 'too-many-nights', nights: order.nights, max: product.maxNights });
		order.nights = null;
	}
}

function nextQuestion(order: PendingOrder, product: Product | null, quantityRefused: boolean): Question | null {
	if (!product) return 'product';
	if (product.kind === 'per_night' && order.checkIn === null) return 'dates';
	if (product.kind === 'per_night' && order.checkOut === null) return 'nights';
	if (quantityRefused) return 'quantity';
	return null;
}

function productOf(order: PendingOrder, products: Product[]): Product | null {
	return products.find((p) => p.key === order.productKey) ?? null;
}

export function decideTurn(input: TurnInput): TurnDecision {
	const { pending, products, today } = input;
	const reading: ModelReading =
		input.tappedProductKey !== null ? { ...input.reading, intent: 'order', productKey: input.tappedProductKey } : input.reading;
	const base = {
		intent: reading.intent,
		problems: [] as Problem[],
		priced: null,
		replacesSessionId: null,
		linkStillOpen: false,
		nothingToCancel: false,
		fromCart: false,
	};

	if (reading.intent === 'cancel' && !mentionsOrder(reading)) {
		if (isEmptyOrder(pending)) {
			return { ...base, outcome: 'reply', order: pending, question: 'product', product: null, nothingToCancel: true };
		}
		return { ...base, outcome: 'cancel', order: EMPTY_ORDER, question: null, product: null, replacesSessionId: pending.sessionId };
	}

	// Their orders, their subscription, a person: the pending order waits untouched. Naming a product alone does
	// not make it an order ("change my plan" names the plan); a number or a date does.
	const orderDetails = [reading.quantity, reading.nights, reading.checkIn, reading.checkOut].some((v) => v !== null);
	if (AFTER_SALE.has(reading.intent) && !orderDetails && !reading.unreadable) {
		return { ...base, outcome: reading.intent as Outcome, order: pending, question: null, product: productOf(pending, products) };
	}

	if (!mentionsOrder(reading) || reading.unreadable) {
		// A greeting, a question we do not handle here, or nothing readable: answer, and keep the order as it is.
		const product = productOf(pending, products);
		return { ...base, outcome: 'reply', order: pending, question: nextQuestion(pending, product, false), product };
	}

	const problems: Problem[] = [];
	const order: Mutable<PendingOrder> = { ...pending };
	applyProduct(order, reading, products, problems);
	const quantityRefused = applyQuantity(order, reading, problems);
	const product = productOf(order, products);
	if (product?.kind === 'per_night') {
		applyStay(order, reading, problems);
		checkStay(order, product, today, problems);
	}
	let refused = quantityRefused;
	if (product && order.quantity !== null && order.quantity > product.maxPerOrder) {
		problems.push({ kind: 'quantity-too-high', asked: order.quantity, max: product.maxPerOrder });
		order.quantity = null;
		refused = true;
	}
	if (reading.email !== null && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(reading.email)) order.email = reading.email;

	const question = nextQuestion(order, product, refused);
	if (question !== null || problems.length > 0 || !product) {
		return { ...base, outcome: 'reply', order, problems, question, product };
	}
	const priced = priceOrder({ product, units: order.quantity ?? 1, nights: order.nights, checkIn: order.checkIn, checkOut: order.checkOut });
	if (pending.sessionId !== null && sameOrder(pending, order)) {
		return { ...base, outcome: 'reply', order, problems, question: null, product, priced, linkStillOpen: true };
	}
	return {
		...base,
		outcome: 'checkout',
		order: { ...order, sessionId: null, url: null },
		problems,
		question: null,
		product,
		priced,
		replacesSessionId: pending.sessionId,
	};
}
