/**
 * When the payment link expires (`expires_at`). Stripe allows 30 min to 24 h, and a reused idempotency key
 * must come with identical parameters, so `expires_at` must not move between a delivery and its redelivery.
 *
 * When the item comes from a chat message (message id and its ISO `timestamp`), `expires_at` is counted from
 * the message's own time: every redelivery computes the same value and gets the same session, for as long as
 * at least 36 minutes of the link's life remain. Otherwise (no message time, or a message too old for that)
 * it is counted from the start of the current 5-minute window, and the window's number joins the
 * idempotency key (see idempotency.ts), so a retry inside the window sends identical parameters and one after
 * it makes a new session instead of an idempotency error. Either way the link never expires sooner than
 * 31 minutes or later than 23 h 58 min after creation, which keeps clock drift between n8n and Stripe from
 * pushing it out of range.
 */
import { CheckoutInputError, describeValue } from '../inputError';
import { STRIPE_LIMITS } from './limits';

export const EXPIRY_WINDOW_SECONDS = 300;
const EXPIRY_EARLIEST_SECONDS = 36 * 60;
const EXPIRY_LATEST_SECONDS = 1438 * 60;

/** Options → Expires After (Minutes); undefined (empty or 0) leaves Stripe's default of 24 hours. */
export function expiryMinutesOf(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '' || value === 0) return undefined;
	const minutes = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (
		typeof minutes !== 'number' ||
		!Number.isInteger(minutes) ||
		minutes < STRIPE_LIMITS.expiresMinMinutes ||
		minutes > STRIPE_LIMITS.expiresMaxMinutes
	) {
		throw new CheckoutInputError(
			'Options → Expires After (Minutes)',
			`${describeValue(value)} must be a whole number from ${STRIPE_LIMITS.expiresMinMinutes} to ${STRIPE_LIMITS.expiresMaxMinutes} (24 hours)`,
		);
	}
	return minutes;
}

/**
 * `expires_at` (Unix seconds), anchored to the chat message's time when that leaves enough of the link's
 * life, else to the current 5-minute window (returned, as it must join the idempotency key).
 */
export function expiryOf(
	minutes: number,
	nowMs: number,
	messageTimeMs?: number,
): { expiresAt: number; window?: number } {
	const nowSeconds = Math.floor(nowMs / 1000);
	if (messageTimeMs !== undefined && Number.isFinite(messageTimeMs)) {
		const anchored = Math.floor(messageTimeMs / 1000) + minutes * 60;
		if (anchored >= nowSeconds + EXPIRY_EARLIEST_SECONDS && anchored <= nowSeconds + EXPIRY_LATEST_SECONDS) {
			return { expiresAt: anchored };
		}
	}
	const window = Math.floor(nowSeconds / EXPIRY_WINDOW_SECONDS);
	const offset = Math.min(Math.max(minutes * 60, EXPIRY_EARLIEST_SECONDS), EXPIRY_LATEST_SECONDS);
	return { expiresAt: window * EXPIRY_WINDOW_SECONDS + offset, window };
}
