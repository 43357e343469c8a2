import type { Product } from './catalog';
import { offerLines } from './catalog';
import { formatDay } from './dates';
import type { Problem, Question, TurnDecision } from './orderTurn';
import { withOverrides } from './texts';

/**
 * What the shop says, as templates an operator can override (in their own words or language) in the node's
 * "Reply Texts" option. `{name}` placeholders are filled in; a placeholder a text does not use is simply left out.
 */
export const DEFAULT_REPLY_TEXTS = {
	welcome: 'Hello! Here is what we offer:\n{offer}\nWhat would you like?',
	welcomeBack: 'Hello again!',
	notUnderstood: 'Sorry, I did not get that.',
	onlyOrders: 'I can take orders here.',
	orderForgotten: 'Your earlier order was not finished in time, so I have set it aside.',
	askProduct: 'Which would you like? We offer:\n{offer}',
	askDates: 'For the {product}, which dates would you like (for example "June 20-23")?',
	askNights: 'For the {product} from {checkIn}, how many nights would you like?',
	askQuantity: 'How many {units} of the {product} would you like (1 to {max})?',
	unknownProduct: 'Sorry, we do not have "{named}".',
	quantityInvalid: '{asked} is not a number of {units} I can take.',
	quantityTooHigh: 'We can take at most {max} {units} of the {product} per order, not {asked}.',
	dateInvalid: 'I could not read "{value}" as a date.',
	datePast: '{date} is in the past.',
	checkoutBeforeCheckin: 'The check-out date ({checkOut}) must be after the check-in date ({checkIn}).',
	nightsInvalid: '{nights} is not a number of nights I can book.',
	tooManyNights: 'We can book at most {max} nights of the {product} at a time, not {nights}.',
	nightsMismatch: '{checkIn} to {checkOut} is {datesNights} nights, not {nights}.',
	checkoutLink: 'Here is your secure checkout link for {summary}: {total}.',
	linkReplaced: 'I have updated your order; the previous link no longer works.',
	linkStillOpen: 'Your checkout link for {summary} ({total}) is still open: {url}',
	cancelled: 'Your order is cancelled. Write to us any time to order again.',
	cancelledWithLink: 'Your order is cancelled and its payment link no longer works. Write to us any time to order again.',
	nothingToCancel: 'There is no order to cancel.',
	catalogEmpty: 'Sorry, there is nothing to order right now. Please try again later.',
	manageSubscription: 'Here you can manage your subscription: cancel it, change your plan or update your card.',
	humanHandoff: 'Thank you! A person from our team will answer you here soon.',
	cartEmpty: 'Your cart is empty.',
	cartUnknownItems: 'Sorry, these items of your cart are not in our shop: {named}.',
	cartNeedsDates: 'The {product} is booked by the night: tell us your dates in a message instead.',
	cartMixedCurrencies: 'Your cart mixes prices in {currencies}: please send the items of each currency as a cart of its own.',
	cartMixedBilling: 'Your cart mixes items billed {billings}: please send them as separate carts.',
	cartNotCharged: 'Nothing was charged: please send your cart again.',
};

export type ReplyTexts = Record<keyof typeof DEFAULT_REPLY_TEXTS, string>;

export const replyTexts = (overrides: Partial<Record<string, unknown>>): ReplyTexts => withOverrides(DEFAULT_REPLY_TEXTS, overrides);

export function fill(template: string, values: Record<string, string | number>): string {
	return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
}

function unitsOf(product: Product | null): string {
	return product ? `${product.unit}s` : 'items';
}

/** "a", "a and b", "a, b and c" */
function listOf(values: string[]): string {
	return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} and ${values[values.length - 1]}`;
}

function problemText(problem: Problem, orderProduct: Product | null, texts: ReplyTexts): string {
	const product = ('product' in problem && problem.product) || orderProduct;
	const common = { product: product?.name ?? '', units: unitsOf(product) };
	switch (problem.kind) {
		case 'cart-empty':
			return texts.cartEmpty;
		case 'cart-unknown-items':
			return fill(texts.cartUnknownItems, { named: listOf(problem.named.map((id) => `"${id}"`)) });
		case 'cart-needs-dates':
			return fill(texts.cartNeedsDates, common);
		case 'cart-mixed-currencies':
			return fill(texts.cartMixedCurrencies, { currencies: listOf(problem.currencies) });
		case 'cart-mixed-billing':
			return fill(texts.cartMixedBilling, { billings: listOf(problem.billings) });
		case 'unknown-product':
			return fill(texts.unknownProduct, { named: problem.named });
		case 'quantity-invalid':
			return fill(texts.quantityInvalid, { ...common, asked: problem.asked });
		case 'quantity-too-high':
			return fill(texts.quantityTooHigh, { ...common, asked: problem.asked, max: problem.max });
		case 'date-invalid':
			return fill(texts.dateInvalid, { value: problem.value });
		case 'date-past':
			return fill(texts.datePast, { date: formatDay(problem.date) });
		case 'checkout-before-checkin':
			return fill(texts.checkoutBeforeCheckin, { checkIn: formatDay(problem.checkIn), checkOut: formatDay(problem.checkOut) });
		case 'nights-invalid':
			return fill(texts.nightsInvalid, { nights: problem.nights });
		case 'too-many-nights':
			return fill(texts.tooManyNights, { ...common, nights: problem.nights, max: problem.max });
		case 'nights-mismatch':
			return fill(texts.nightsMismatch, {
				checkIn: formatDay(problem.checkIn),
				checkOut: formatDay(problem.checkOut),
				nights: problem.nights,
				datesNights: problem.datesNights,
			});
	}
}

function questionText(question: Question, decision: TurnDecision, products: Product[], texts: ReplyTexts): string {
	const product = decision.product;
	const values = {
		offer: offerLines(products),
		product: product?.name ?? '',
		units: unitsOf(product),
		max: product?.maxPerOrder ?? '',
		checkIn: decision.order.checkIn ? formatDay(decision.order.checkIn) : '',
	};
	const template = { product: texts.askProduct, dates: texts.askDates, nights: texts.askNights, quantity: texts.askQuantity }[question];
	return fill(template, values);
}

/** Reply buttons for choosing a product: WhatsApp shows at most 3, each title at most 20 characters. */
export function productButtons(products: Product[]): Array<{ id: string; title: string }> {
	if (products.length === 0 || products.length > 3) return [];
	return products.map((p) => ({ id: `product:${p.key}`, title: p.name.length <= 20 ? p.name : `${p.name.slice(0, 19)}…` }));
}

export interface ComposedReply {
	text: string;
	buttons: Array<{ id: string; title: string }>;
}

/** The message for a turn's decision (the checkout link's own text comes from `checkoutText`). */
export function composeReply(
	decision: TurnDecision,
	context: { products: Product[]; orderForgotten: boolean; texts: ReplyTexts },
): ComposedReply {
	const { products, texts } = context;
	if (products.length === 0) return { text: texts.catalogEmpty, buttons: [] };
	const lines: string[] = [];
	if (context.orderForgotten) lines.push(texts.orderForgotten);
	// The Order Status branch composes its own answer from the order rows (Chat Order Status).
	if (decision.outcome === 'status') return { text: '', buttons: [] };
	if (decision.outcome === 'subscription') return { text: texts.manageSubscription, buttons: [] };
	if (decision.outcome === 'human') return { text: texts.humanHandoff, buttons: [] };
	if (decision.outcome === 'cancel') {
		lines.push(decision.replacesSessionId ? texts.cancelledWithLink : texts.cancelled);
		return { text: lines.join('\n'), buttons: [] };
	}
	if (decision.nothingToCancel) lines.push(texts.nothingToCancel);
	if (decision.linkStillOpen && decision.priced) {
		lines.push(fill(texts.linkStillOpen, { summary: decision.priced.summary, total: decision.priced.total, url: decision.order.url ?? '' }));
		return { text: lines.join('\n'), buttons: [] };
	}
	for (const problem of decision.problems) lines.push(problemText(problem, decision.product, texts));
	if (decision.fromCart && decision.problems.length > 0) lines.push(texts.cartNotCharged);
	const greeting = decision.intent === 'greeting' && decision.problems.length === 0;
	const unrelated = decision.problems.length === 0 && !decision.nothingToCancel && decision.intent !== 'order' && decision.intent !== 'greeting';
	if (greeting && decision.question === 'product' && decision.order.productKey === null) {
		lines.push(fill(texts.welcome, { offer: offerLines(products) }));
		return { text: lines.join('\n'), buttons: productButtons(products) };
	}
	if (greeting) lines.push(texts.welcomeBack);
	if (unrelated) lines.push(decision.intent === 'other' ? texts.notUnderstood : texts.onlyOrders);
	if (decision.question) lines.push(questionText(decision.question, decision, products, texts));
	return { text: lines.join('\n'), buttons: decision.question === 'product' ? productButtons(products) : [] };
}

export function checkoutText(decision: TurnDecision, texts: ReplyTexts): string {
	if (!decision.priced) return '';
	const link = fill(texts.checkoutLink, { summary: decision.priced.summary, total: decision.priced.total });
	return decision.replacesSessionId ? `${texts.linkReplaced}\n${link}` : link;
}

