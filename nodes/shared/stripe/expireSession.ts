/**
 * Expiring a Checkout Session, safe to repeat. Stripe only expires an open session; asked again, it answers
 * either with the first result (the same idempotency key, marked Idempotent-Replayed) or with a 400 for a
 * session that is no longer open. Which case that is comes from the session itself (retrieved once after
 * the 400), never from the wording of Stripe's message:
 * - expired (by us before, by its own expiry, or by someone in the Dashboard): done, `alreadyExpired`;
 * - complete: the customer paid (or is paying by a delayed method) first: not expired, and not an error
 *   either, so the workflow can tell the customer instead of failing;
 * - still open: the 400 meant something else, and is the answer.
 */
import type Stripe from 'stripe';

import { isStripeError } from './apiErrors';
import { expireSessionIdempotencyKey } from './checkout/idempotency';
import { stripeIdOf } from './inputError';

/** The slice of the SDK's Checkout Sessions resource this module uses. */
export type SessionExpirer = Pick<Stripe.Checkout.SessionResource, 'expire' | 'retrieve'>;

export interface ExpireResult {
	sessionId: string;
	/** The session is expired now: a link that can no longer be paid. */
	expired: boolean;
	/** It was expired before this call (a repeat, its own expiry, or the Dashboard). */
	alreadyExpired: boolean;
	status: string | null;
	paymentStatus: string | null;
	idempotencyKey: string;
}

/** A Checkout Session ID as typed or mapped: trimmed, cs_…, nothing else in it. */
export function checkoutSessionIdOf(value: unknown): string {
	return stripeIdOf(value, {
		field: 'Session ID',
		pattern: /^cs_[A-Za-z0-9_]+$/,
		maxLength: 200,
		whenEmpty: 'is empty: map the sessionId of Create Checkout Session or of a Stripe Webhook Verify event ({{ $json.sessionId }})',
		whenWrong: 'is not a Checkout Session ID (cs_…); find it in Stripe Dashboard → Payments → the payment → Checkout Session',
	});
}

function resultOf(session: Stripe.Checkout.Session, alreadyExpired: boolean, idempotencyKey: string): ExpireResult {
	return {
		sessionId: session.id,
		expired: session.status === 'expired',
		alreadyExpired,
		status: session.status ?? null,
		paymentStatus: session.payment_status ?? null,
		idempotencyKey,
	};
}

function isReplay(session: Stripe.Response<Stripe.Checkout.Session>): boolean {
	return session.lastResponse?.headers?.['idempotent-replayed'] === 'true';
}

export type ExpireOutcome = { ok: true; result: ExpireResult } | { ok: false; error: unknown };

/** Expires the session; any Stripe refusal other than "no longer open" comes back as the SDK's error. */
export async function expireCheckoutSession(sessions: SessionExpirer, sessionId: string): Promise<ExpireOutcome> {
	const idempotencyKey = expireSessionIdempotencyKey(sessionId);
	try {
		const session = await sessions.expire(sessionId, {}, { idempotencyKey });
		return { ok: true, result: resultOf(session, isReplay(session), idempotencyKey) };
	} catch (error) {
		const noLongerOpen = isStripeError(error) && error.type === 'StripeInvalidRequestError' && error.statusCode === 400;
		const current = noLongerOpen ? await sessions.retrieve(sessionId).catch(() => undefined) : undefined;
		if (current?.status === 'expired') return { ok: true, result: resultOf(current, true, idempotencyKey) };
		if (current?.status === 'complete') return { ok: true, result: resultOf(current, false, idempotencyKey) };
		return { ok: false, error };
	}
}
