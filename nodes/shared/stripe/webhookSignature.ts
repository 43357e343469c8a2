/**
 * Stripe webhook verification with the SDK's own `constructEvent` (HMAC-SHA256 over `t.rawBody`, constant-time
 * compare, any matching v1 passes, too-old timestamps fail). It is tried with the current signing secret,
 * then with the previous one while a secret is being rolled.
 *
 * Only the exact bytes received can be verified: a body re-serialised from parsed JSON differs in spacing or
 * key order and must fail, so a missing raw body is a rejection, never a fallback to the parsed one.
 * Reasons are short and fixed; they never contain a secret, the header or the body.
 */
import Stripe from 'stripe';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export type VerificationFailure =
	| 'raw body unavailable'
	| 'missing Stripe-Signature header'
	| 'unparseable Stripe-Signature header'
	| 'no matching signature'
	| 'timestamp outside tolerance'
	| 'unparseable body'
	| 'not a Stripe event'
	| 'no signing secret configured';

export type VerificationResult = { ok: true; event: Stripe.Event; secretIndex: number } | { ok: false; reason: VerificationFailure };

export interface VerificationInput {
	rawBody: unknown;
	signatureHeader: unknown;
	/** Current secret first, then the previous one; empty entries are skipped. */
	secrets: ReadonlyArray<string | undefined>;
	toleranceSeconds?: number;
	/** Milliseconds since the epoch; for tests of the tolerance edge. Defaults to now. */
	nowMs?: number;
}

function reasonOf(error: unknown): VerificationFailure {
	const message = error instanceof Error ? error.message : '';
	if (error instanceof SyntaxError) return 'unparseable body';
	if (/No stripe-signature header/i.test(message)) return 'missing Stripe-Signature header';
	if (/Unable to extract timestamp|No signatures found with expected scheme|array was passed/i.test(message)) {
		return 'unparseable Stripe-Signature header';
	}
	if (/Timestamp outside the tolerance zone/i.test(message)) return 'timestamp outside tolerance';
	if (/thin event/i.test(message)) return 'not a Stripe event';
	return 'no matching signature';
}

function isEventShape(value: unknown): value is Stripe.Event {
	if (typeof value !== 'object' || value === null) return false;
	const event = value as Record<string, unknown>;
	const data = event.data as Record<string, unknown> | undefined;
	return (
		event.object === 'event' &&
		typeof event.id === 'string' &&
		typeof event.type === 'string' &&
		typeof data === 'object' &&
		data !== null &&
		typeof data.object === 'object' &&
		data.object !== null
	);
}

/** Which reason wins when every secret failed: a matched-but-stale signature says more than a mismatch. */
const REASON_PRIORITY: VerificationFailure[] = [
	'unparseable body',
	'not a Stripe event',
	'timestamp outside tolerance',
	'unparseable Stripe-Signature header',
	'missing Stripe-Signature header',
	'no matching signature',
];

export function verifyStripeWebhook(input: VerificationInput): VerificationResult {
	const secrets = input.secrets.map((secret) => (typeof secret === 'string' ? secret.trim() : '')).filter(Boolean);
	if (secrets.length === 0) return { ok: false, reason: 'no signing secret configured' };
	if (!Buffer.isBuffer(input.rawBody) || input.rawBody.length === 0) return { ok: false, reason: 'raw body unavailable' };
	const header = input.signatureHeader;
	if (header === undefined || header === null || header === '') {
		return { ok: false, reason: 'missing Stripe-Signature header' };
	}
	if (typeof header !== 'string') return { ok: false, reason: 'unparseable Stripe-Signature header' };

	// 0 would switch the SDK's timestamp check off; the node never passes it, this keeps it so.
	const tolerance =
		input.toleranceSeconds !== undefined && input.toleranceSeconds > 0 ? input.toleranceSeconds : DEFAULT_TOLERANCE_SECONDS;
	const reasons: VerificationFailure[] = [];
	for (const [secretIndex, secret] of secrets.entries()) {
		let event: unknown;
		try {
			event = Stripe.webhooks.constructEvent(input.rawBody, header, secret, tolerance, undefined, input.nowMs);
		} catch (error) {
			const reason = reasonOf(error);
			reasons.push(reason);
			// The header itself is broken, or the signature matched and only the clock failed: another
			// secret cannot change that answer.
			if (reason !== 'no matching signature') break;
			continue;
		}
		if (!isEventShape(event)) return { ok: false, reason: 'not a Stripe event' };
		return { ok: true, event, secretIndex };
	}
	const reason = REASON_PRIORITY.find((candidate) => reasons.includes(candidate)) ?? 'no matching signature';
	return { ok: false, reason };
}
