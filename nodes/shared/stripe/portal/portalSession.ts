/**
 * Customer Portal sessions (Stripe's Billing Portal): a short-lived login link to Stripe's hosted portal,
 * where a subscriber cancels, changes plan or updates the card of their own customer. The link is made for
 * one customer ID only, so a chat can never open another customer's portal.
 *
 * Idempotency. Creating a portal session changes nothing at Stripe: it only mints a login link that lapses
 * after a short while. Repeating a request must therefore never hand out a link that may already have
 * lapsed, but a quick repeat (n8n's Retry On Fail after a timeout in which Stripe did make the session, a
 * redelivered chat message seconds later) should get the link already made, so the customer is not sent
 * two. So the key is the inbound message (or, without one, the execution and item), the request, and the
 * current 5-minute window: repeats within the window get Stripe's first answer; a repeat later (a re-run,
 * the customer asking again tomorrow) makes a fresh link. A repeat that straddles a window boundary makes
 * a second, equally valid link, which is harmless.
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';

import type { ChatReference } from '../../chatReference';
import { canonicalJson } from '../checkout/idempotency';
import { absoluteUrl, optionalText } from '../checkout/fields';
import { CheckoutInputError, describeValue, stripeIdOf } from '../inputError';

/** How long a key stays the same: well within the life of the link it returns. */
export const PORTAL_KEY_WINDOW_MS = 5 * 60_000;

export interface PortalInput {
	customerId: unknown;
	returnUrl: unknown;
	configurationId?: unknown;
	locale?: unknown;
}

export interface PortalKeyFacts {
	messageId?: string;
	chatRef?: ChatReference;
	executionId?: string;
	itemIndex: number;
	nowMs: number;
}

export interface BuiltPortalSession {
	params: Stripe.BillingPortal.SessionCreateParams;
	idempotencyKey?: string;
}

/** A Stripe customer ID as typed or mapped: trimmed, cus_…, nothing else in it. */
export function customerIdOf(value: unknown): string {
	return stripeIdOf(value, {
		field: 'Customer ID',
		pattern: /^cus_[A-Za-z0-9]+$/,
		maxLength: 255,
		whenEmpty:
			'is empty: map the customer of the order ({{ $json.customerId }}, kept on the order row from the checkout). A subscription always has a customer; a one-off payment has one only when Checkout created it.',
		whenWrong: 'is not a Stripe customer ID (cus_…); find it in Stripe Dashboard → Customers, or on the order\'s payment',
	});
}

/** Options → Configuration ID: empty for the default configuration, otherwise bpc_…. */
export function configurationIdOf(value: unknown): string | undefined {
	const field = 'Options → Configuration ID';
	const text = optionalText(value, field, 255);
	if (text === undefined) return undefined;
	if (!/^bpc_[A-Za-z0-9]+$/.test(text)) {
		throw new CheckoutInputError(
			field,
			`"${describeValue(text)}" is not a portal configuration ID (bpc_…); leave it empty for the default one (Stripe Dashboard → Settings → Billing → Customer portal)`,
		);
	}
	return text;
}

/** `cc1-portal-` + sha256 of where the request comes from, the request and the window (see the module comment). */
export function portalSessionIdempotencyKey(params: Stripe.BillingPortal.SessionCreateParams, facts: PortalKeyFacts): string | undefined {
	const chat = facts.chatRef ? `${facts.chatRef.channel}:${facts.chatRef.accountId}:${facts.chatRef.userId}` : '-';
	const seed =
		facts.messageId !== undefined
			? `message:${chat}:${facts.messageId}`
			: facts.executionId
				? `execution:${facts.executionId}:item:${facts.itemIndex}`
				: undefined;
	if (seed === undefined) return undefined;
	const window = Math.floor(facts.nowMs / PORTAL_KEY_WINDOW_MS);
	const material = ['portal', seed, canonicalJson(params), `window:${window}`].join('\n');
	return `cc1-portal-${createHash('sha256').update(material).digest('hex')}`;
}

/** The request for one item, checked field by field before anything is sent. */
export function buildPortalSession(input: PortalInput, facts: PortalKeyFacts): BuiltPortalSession {
	const customer = customerIdOf(input.customerId);
	const returnUrl = absoluteUrl(input.returnUrl, 'Return URL', false);
	const configuration = configurationIdOf(input.configurationId);
	const locale = optionalText(input.locale, 'Options → Locale', 10);
	const params: Stripe.BillingPortal.SessionCreateParams = {
		customer,
		...(returnUrl !== undefined && { return_url: returnUrl }),
		...(configuration !== undefined && { configuration }),
		...(locale !== undefined && locale !== 'auto' && { locale: locale as Stripe.BillingPortal.SessionCreateParams.Locale }),
	};
	return { params, idempotencyKey: portalSessionIdempotencyKey(params, facts) };
}

export interface PortalSessionOutput {
	[key: string]: unknown;
	url: string;
	portalSessionId: string;
	customerId: string;
	/** When the customer can no longer come back through this session, if Stripe says so; else null. */
	expiresAt: string | null;
	returnUrl: string | null;
	livemode: boolean;
	idempotencyKey: string | null;
}

/** What the node outputs for a created session: the link and IDs only. */
export function portalSessionOutput(session: Stripe.BillingPortal.Session, built: BuiltPortalSession): PortalSessionOutput {
	const expiresAt = session.after_expiration?.customer_login?.expires_at;
	return {
		url: session.url,
		portalSessionId: session.id,
		customerId: session.customer,
		expiresAt: typeof expiresAt === 'number' ? new Date(expiresAt * 1000).toISOString() : null,
		returnUrl: session.return_url ?? null,
		livemode: session.livemode === true,
		idempotencyKey: built.idempotencyKey ?? null,
	};
}
