/**
 * The Checkout Session request for one item: line items, URLs, options, the chat reference copied into
 * Stripe metadata, the expiry and the idempotency key. Pure: prices for lookup keys are fetched before.
 */
import type Stripe from 'stripe';

import { chatReferenceOf } from '../../chatReference';
import { CheckoutInputError, describeValue } from '../inputError';
import { expiryMinutesOf, expiryOf } from './expiry';
import { absoluteUrl, optionalText, stringList } from './fields';
import { createSessionIdempotencyKey } from './idempotency';
import { messageIdOf, messageTimeOf } from './inboundMessage';
import type { CheckoutMode, LineItemSource } from './limits';
import { CHECKOUT_MODES, LINE_ITEM_SOURCES, STRIPE_LIMITS } from './limits';
import { buildLineItems } from './lineItems';
import { buildMetadata } from './metadata';
import type { BuildContext, BuiltCheckoutSession, CheckoutInput } from './types';

const LOCALE_PATTERN = /^(auto|[a-z]{2,3}(-[A-Z0-9]{2,3})?)$/;

function validatedMode(value: unknown): CheckoutMode {
	if (!CHECKOUT_MODES.includes(value as CheckoutMode)) {
		throw new CheckoutInputError('Mode', `"${describeValue(value)}" is not one of ${CHECKOUT_MODES.join(', ')}`);
	}
	return value as CheckoutMode;
}

function validatedSource(value: unknown): LineItemSource {
	if (!LINE_ITEM_SOURCES.includes(value as LineItemSource)) {
		throw new CheckoutInputError(
			'Line Items From',
			`"${describeValue(value)}" is not one of ${LINE_ITEM_SOURCES.join(', ')}`,
		);
	}
	return value as LineItemSource;
}

/** The checkout page's options (Options → …), validated and in Stripe's parameter names. */
function pageOptions(input: CheckoutInput): Partial<Stripe.Checkout.SessionCreateParams> {
	const customerEmail = optionalText(input.customerEmail, 'Options → Customer Email', 512);
	if (customerEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customerEmail)) {
		throw new CheckoutInputError('Options → Customer Email', `"${describeValue(customerEmail)}" is not an email address`);
	}
	const clientReferenceId = optionalText(
		input.clientReferenceId,
		'Options → Client Reference ID',
		STRIPE_LIMITS.clientReferenceIdLength,
	);
	const locale = optionalText(input.locale, 'Options → Locale');
	if (locale !== undefined && !LOCALE_PATTERN.test(locale)) {
		throw new CheckoutInputError('Options → Locale', `"${describeValue(locale)}" is not a Stripe Checkout locale such as auto, en or pt-BR`);
	}
	const paymentMethodTypes =
		input.paymentMethodTypes === undefined || input.paymentMethodTypes === ''
			? []
			: stringList(input.paymentMethodTypes, 'Options → Payment Method Types');
	return {
		...(customerEmail !== undefined && { customer_email: customerEmail }),
		...(clientReferenceId !== undefined && { client_reference_id: clientReferenceId }),
		...(input.allowPromotionCodes === true && { allow_promotion_codes: true }),
		...(input.collectPhoneNumber === true && { phone_number_collection: { enabled: true } }),
		...(locale !== undefined && { locale: locale as Stripe.Checkout.SessionCreateParams.Locale }),
		// Stripe's pinned API version (2026-10-28) has no static payment_method_types any more; this filters
		// the methods turned on in the Dashboard, so leaving it out keeps dynamic payment methods.
		...(paymentMethodTypes.length > 0 && {
			allowed_payment_method_types:
				paymentMethodTypes as Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[],
		}),
	};
}

export function buildCheckoutSession(
	input: CheckoutInput,
	itemJson: Record<string, unknown>,
	context: BuildContext,
): BuiltCheckoutSession {
	const mode = validatedMode(input.mode);
	const source = validatedSource(input.lineItemSource);
	const lineItems = buildLineItems(input, mode, source, context.pricesByLookupKey ?? new Map());

	const successUrl = absoluteUrl(input.successUrl, 'Success URL', true);
	const cancelUrl = absoluteUrl(input.cancelUrl, 'Cancel URL', false);
	const options = pageOptions(input);

	const chatRef = chatReferenceOf(itemJson);
	const messageId = messageIdOf(itemJson);
	const metadata = buildMetadata(input.metadata, chatRef, messageId);
	const hasMetadata = Object.keys(metadata).length > 0;

	const expiryMinutes = expiryMinutesOf(input.expiresInMinutes);
	const expiry =
		expiryMinutes === undefined
			? undefined
			: expiryOf(expiryMinutes, context.nowMs, messageId === undefined ? undefined : messageTimeOf(itemJson));

	const params: Stripe.Checkout.SessionCreateParams = {
		mode,
		line_items: lineItems.map((item) => item.lineItem),
		success_url: successUrl,
		...(cancelUrl !== undefined && { cancel_url: cancelUrl }),
		...(hasMetadata && { metadata }),
		// The copy on the PaymentIntent / Subscription keeps the chat reference on charges, refunds and
		// every renewal invoice, which never see the Checkout Session's own metadata.
		...(hasMetadata && mode === 'payment' && { payment_intent_data: { metadata: { ...metadata } } }),
		...(hasMetadata && mode === 'subscription' && { subscription_data: { metadata: { ...metadata } } }),
		...(expiry !== undefined && { expires_at: expiry.expiresAt }),
		...options,
		// Stripe's own line amounts come back in the answer, for the summary the node outputs.
		expand: ['line_items'],
	};

	const idempotency = createSessionIdempotencyKey(params, {
		operatorKey: input.idempotencyKey,
		messageId,
		chatRef,
		executionId: context.executionId,
		itemIndex: context.itemIndex,
		expiryWindow: expiry?.window,
	});

	return {
		params,
		idempotencyKey: idempotency.key,
		idempotencyKeySource: idempotency.source,
		lineItems: lineItems.map((item) => item.summary),
		...(chatRef && { chatRef }),
		...(messageId !== undefined && { messageId }),
	};
}
