/**
 * Idempotency keys for the Checkout Session calls, so Meta's redeliveries, n8n's Retry On Fail and re-runs
 * never make a second session or act twice. Stripe keeps keys for at least 24 hours and rejects a reused key
 * with different parameters.
 *
 * Create (unless the operator sets a key):
 * - With an inbound message id (`json.messageId`): sha256 of the message id and the canonical request, so a
 *   redelivered chat message (or n8n's Retry On Fail) gets the session Stripe already created, while a
 *   different order from the same message gets a different key.
 * - Without a message id: sha256 of the n8n execution id, the item's index and the canonical request. Two
 *   identical orders from different runs must not collapse into one (the second customer would receive the
 *   first one's, perhaps already paid, session), so the dedupe is limited to retries inside one run.
 * - With neither: no key; the SDK then adds its own random key to its network retries.
 * `expires_at` is left out of the hash and the expiry window (expiry.ts) put in, so the key follows the window.
 *
 * Expire: one key per session. Expiring is the same act however often it is asked for, so every repeat is
 * the same request, and Stripe answers it with the first result (marked Idempotent-Replayed).
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';

import type { ChatReference } from '../../chatReference';
import { isPlainObject } from '../../json';
import { optionalText } from './fields';
import { STRIPE_LIMITS } from './limits';
import type { IdempotencyKeySource } from './types';

/** JSON with object keys sorted at every level, so equal requests hash equally. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map((entry) => canonicalJson(entry ?? null)).join(',')}]`;
	if (isPlainObject(value)) {
		const keys = Object.keys(value)
			.filter((key) => value[key] !== undefined)
			.sort();
		return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** `cc1-` + sha256 of the seed and the canonical request (expires_at left out, its window put in). */
export function deriveIdempotencyKey(
	params: Stripe.Checkout.SessionCreateParams,
	seed: string,
	expiryWindow?: number,
): string {
	const timeless: Record<string, unknown> = { ...params };
	delete timeless.expires_at;
	const material = [seed, canonicalJson(timeless), expiryWindow === undefined ? '' : `window:${expiryWindow}`].join('\n');
	return `cc1-${createHash('sha256').update(material).digest('hex')}`;
}

export interface CreateKeyFacts {
	/** Options → Idempotency Key as the operator set it (may be empty). */
	operatorKey: unknown;
	messageId?: string;
	chatRef?: ChatReference;
	executionId?: string;
	itemIndex: number;
	expiryWindow?: number;
}

/** The key for creating a session, and where it came from (see the module comment). */
export function createSessionIdempotencyKey(
	params: Stripe.Checkout.SessionCreateParams,
	facts: CreateKeyFacts,
): { key?: string; source: IdempotencyKeySource } {
	const operatorKey = optionalText(facts.operatorKey, 'Options → Idempotency Key', STRIPE_LIMITS.idempotencyKeyLength);
	if (operatorKey !== undefined) return { key: operatorKey, source: 'parameter' };
	if (facts.messageId !== undefined) {
		const chat = facts.chatRef ? `${facts.chatRef.channel}:${facts.chatRef.accountId}:${facts.chatRef.userId}` : '-';
		return { key: deriveIdempotencyKey(params, `message:${chat}:${facts.messageId}`, facts.expiryWindow), source: 'message' };
	}
	if (facts.executionId) {
		const seed = `execution:${facts.executionId}:item:${facts.itemIndex}`;
		return { key: deriveIdempotencyKey(params, seed, facts.expiryWindow), source: 'execution' };
	}
	return { source: 'none' };
}

/** The key for expiring a session: the same for every request to expire it. */
export function expireSessionIdempotencyKey(sessionId: string): string {
	return `cc1-expire-${createHash('sha256').update(`expire:${sessionId}`).digest('hex')}`;
}
