/**
 * Stripe's API errors in sentences an operator can act on: what is wrong, which parameter, which request, and
 * where in the Stripe Dashboard to fix it. Only safe facts are kept (no request body, no card objects), and
 * keys are redacted even in their masked form.
 */
import Stripe from 'stripe';

import type { StripeKeyMode } from './client';

/** What the node was doing when Stripe answered with an error; picks the permission and Dashboard hint. */
export type StripeOperation = 'createCheckoutSession' | 'expireCheckoutSession' | 'listPrices' | 'createPortalSession';

const PERMISSION_FOR: Record<StripeOperation, string> = {
	createCheckoutSession: '"Checkout Sessions: Write"',
	expireCheckoutSession: '"Checkout Sessions: Write"',
	listPrices: '"Prices: Read" and "Products: Read"',
	createPortalSession: '"Customer portal: Write"',
};

/** Safe, JSON-able facts about a Stripe error (no request body, no card or payment-method objects). */
export interface StripeErrorFacts {
	[key: string]: string | number | undefined;
	type?: string;
	code?: string;
	param?: string;
	requestId?: string;
	statusCode?: number;
	docUrl?: string;
	stripeMessage?: string;
}

export interface DescribedStripeError {
	message: string;
	description: string;
	httpCode?: string;
	facts: StripeErrorFacts;
}

export function isStripeError(error: unknown): error is InstanceType<typeof Stripe.errors.StripeError> {
	return error instanceof Stripe.errors.StripeError;
}

/** Stripe masks keys in its messages already; this removes even the masked form. */
export function redactStripeKeys(text: string): string {
	return text.replace(/\b([spr]k|whsec)_(test_|live_)?[A-Za-z0-9*]+/g, (_m, kind: string, mode = '') => `${kind}_${mode}…`);
}

function parameterHint(param: string | undefined, keyMode: StripeKeyMode): string {
	const modeNote =
		keyMode === 'unknown'
			? ''
			: ` This credential uses a ${keyMode}-mode key: objects created in ${keyMode === 'test' ? 'live' : 'test'} mode are invisible to it.`;
	if (!param) return `Check the node's parameters.${modeNote}`;
	if (/price/.test(param)) {
		return `Check the price in Stripe Dashboard → Product catalogue → the product → Pricing (IDs start with price_).${modeNote}`;
	}
	if (/customer/.test(param)) return `Check the customer in Stripe Dashboard → Customers.${modeNote}`;
	if (/url/.test(param)) return 'Success and cancel URLs must be absolute https:// URLs.';
	if (/currency/.test(param)) {
		return 'Use a currency your Stripe account supports (Stripe Dashboard → Settings → Business → Bank accounts and currencies).';
	}
	if (/payment_method_types/.test(param)) {
		return 'Turn the payment method on in Stripe Dashboard → Settings → Payments → Payment methods, or leave Payment Method Types empty.';
	}
	if (/metadata/.test(param)) return 'Stripe metadata allows 50 keys, keys up to 40 characters, values up to 500.';
	return `Check the value the node sends as ${param}.${modeNote}`;
}

/** Turns anything a Stripe call threw into operator-facing text plus safe facts for the error details. */
export function describeStripeError(
	error: unknown,
	context: { operation: StripeOperation; keyMode?: StripeKeyMode },
): DescribedStripeError {
	const keyMode = context.keyMode ?? 'unknown';
	if (!isStripeError(error)) {
		const message = error instanceof Error ? error.message : String(error);
		return {
			message: `Stripe call failed: ${redactStripeKeys(message)}`,
			description: 'This did not come from Stripe itself; check the node parameters and the n8n logs.',
			facts: {},
		};
	}
	const facts: StripeErrorFacts = {
		type: error.rawType ?? error.type,
		code: error.code,
		param: error.param,
		requestId: error.requestId,
		statusCode: error.statusCode,
		docUrl: error.doc_url,
		stripeMessage: error.message ? redactStripeKeys(error.message) : undefined,
	};
	const stripeText = facts.stripeMessage || 'no message';
	const where = [facts.param ? `parameter ${facts.param}` : undefined, facts.requestId ? `request ${facts.requestId}` : undefined]
		.filter(Boolean)
		.join(', ');
	const suffix = where ? ` (${where})` : '';
	const logsHint = facts.requestId
		? ` Find the request in Stripe Dashboard → Developers → Logs by its ID ${facts.requestId}.`
		: '';
	const httpCode = facts.statusCode === undefined ? undefined : String(facts.statusCode);
	const keysPage = 'Stripe Dashboard → Developers → API keys';

	let message: string;
	let description: string;
	switch (error.type) {
		case 'StripeAuthenticationError':
			message = `Stripe rejected the secret key: ${stripeText}${suffix}`;
			description =
				`Copy a current secret key (sk_…) or restricted key (rk_…) from ${keysPage} into the Stripe Checkout API credential. ` +
				'Test-mode keys start with sk_test_/rk_test_, live keys with sk_live_/rk_live_.';
			break;
		case 'StripePermissionError':
			message = `The restricted Stripe key lacks the permission ${PERMISSION_FOR[context.operation]}: ${stripeText}${suffix}`;
			description = `Edit the restricted key in ${keysPage} and grant ${PERMISSION_FOR[context.operation]}, or use the secret key.`;
			break;
		case 'StripeIdempotencyError':
			message = `Stripe already received this idempotency key with different order details${suffix}`;
			description =
				'Leave "Idempotency Key" empty so the node derives one from the chat message and the order, or use a new key for a new order.' +
				logsHint;
			break;
		case 'StripeRateLimitError':
			message = `Stripe is rate-limiting this account: ${stripeText}${suffix}`;
			description = 'Slow the workflow down, or turn on "Retry On Fail" in the node settings.' + logsHint;
			break;
		case 'StripeConnectionError':
			message = 'Could not reach the Stripe API';
			description = 'Check the API Base URL in the Stripe Checkout API credential and the network between n8n and Stripe.';
			break;
		case 'StripeAPIError':
			message = `Stripe had a problem processing the request: ${stripeText}${suffix}`;
			description = 'This is on Stripe\'s side; retry, or turn on "Retry On Fail" in the node settings.' + logsHint;
			break;
		case 'StripeCardError':
			message = `Stripe declined the payment: ${stripeText}${suffix}`;
			description = logsHint.trim() || 'See the payment in Stripe Dashboard → Payments.';
			break;
		default:
			message =
				facts.code === 'resource_missing'
					? `Stripe could not find what the node asked for: ${stripeText}${suffix}`
					: `Stripe rejected the request: ${stripeText}${suffix}`;
			description = parameterHint(facts.param, keyMode) + logsHint;
	}
	return { message, description, httpCode, facts };
}
