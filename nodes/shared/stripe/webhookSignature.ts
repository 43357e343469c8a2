/**
 * Stripe webhook verification. The header is read here (signatureHeader.ts); the signature itself is checked
 * by the Stripe SDK (`webhooks.signature.verifyHeader`: HMAC-SHA256 over `t.rawBody`, constant-time compare,
 * any matching v1 passes, too-old timestamps fail), with the current signing secret, then with the previous
 * one while a secret is being rolled. Then the verified bytes are parsed as the SDK parses them.
 *
 * Only the exact bytes received can be verified: a body re-serialised from parsed JSON differs in spacing or
 * key order and must fail, so a missing raw body is a rejection, never a fallback to the parsed one.
 * Reasons are short and fixed; they never contain a secret, the header or the body.
 *
 * Signing secrets are trimmed: a whsec_ secret never contains whitespace, so spaces or a line break around a
 * pasted one can only be a copying accident, and ignoring them cannot let a wrong secret pass. The caller is
 * told (`trimmedSecrets`) so that the operator can be warned and fix the credential.
 */
import Stripe from 'stripe';

import type { StripeSignatureHeader } from './signatureHeader';
import { readStripeSignatureHeader } from './signatureHeader';

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

export type VerificationResult =
	| { ok: true; event: Stripe.Event; secretIndex: number; trimmedSecrets: number[] }
	| { ok: false; reason: VerificationFailure; trimmedSecrets: number[] };

export interface VerificationInput {
	rawBody: unknown;
	signatureHeader: unknown;
	/** Current secret first, then the previous one; empty entries are skipped. */
	secrets: ReadonlyArray<string | undefined>;
	toleranceSeconds?: number;
	/** Milliseconds since the epoch; for tests of the tolerance edge. Defaults to now. */
	nowMs?: number;
}

/** The configured secrets, trimmed and without empty ones, and which of `secrets` had whitespace around them. */
export function signingSecretsOf(secrets: ReadonlyArray<string | undefined>): { secrets: string[]; trimmed: number[] } {
	const usable: string[] = [];
	const trimmed: number[] = [];
	secrets.forEach((secret, index) => {
		const text = typeof secret === 'string' ? secret.trim() : '';
		if (text === '') return;
		if (text !== secret) trimmed.push(index);
		usable.push(text);
	});
	return { secrets: usable, trimmed };
}

/** Whether the SDK accepts the signature as of `receivedAtMs`; every refusal is a plain no. */
function sdkAccepts(rawBody: Buffer, header: string, secret: string, toleranceSeconds: number, receivedAtMs: number): boolean {
	const signature = Stripe.webhooks.signature;
	if (!signature) return false;
	try {
		return signature.verifyHeader(rawBody, header, secret, toleranceSeconds, undefined, receivedAtMs);
	} catch {
		return false;
	}
}

/**
 * valid, stale (the signature matches but is older than the tolerance), or mismatch. A refusal can only be
 * the clock when the header's own time is too old; then the SDK checks the signature as of that time.
 */
function signatureVerdict(
	rawBody: Buffer,
	header: string,
	parsed: StripeSignatureHeader,
	secret: string,
	toleranceSeconds: number,
	nowMs: number,
): 'valid' | 'stale' | 'mismatch' {
	if (sdkAccepts(rawBody, header, secret, toleranceSeconds, nowMs)) return 'valid';
	const ageSeconds = Math.floor(nowMs / 1000) - parsed.timestamp;
	if (ageSeconds > toleranceSeconds && sdkAccepts(rawBody, header, secret, toleranceSeconds, parsed.timestamp * 1000)) {
		return 'stale';
	}
	return 'mismatch';
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

/** The verified bytes as an event, decoded as the SDK decodes them (UTF-8, a BOM dropped). */
function parseEvent(rawBody: Buffer): { ok: true; event: Stripe.Event } | { ok: false; reason: VerificationFailure } {
	let parsed: unknown;
	try {
		parsed = JSON.parse(new TextDecoder('utf8').decode(rawBody));
	} catch {
		return { ok: false, reason: 'unparseable body' };
	}
	// Thin (v2) event notifications have object "v2.core.event" and no data.object: not for this node.
	return isEventShape(parsed) ? { ok: true, event: parsed } : { ok: false, reason: 'not a Stripe event' };
}

export function verifyStripeWebhook(input: VerificationInput): VerificationResult {
	const { secrets, trimmed: trimmedSecrets } = signingSecretsOf(input.secrets);
	const refuse = (reason: VerificationFailure): VerificationResult => ({ ok: false, reason, trimmedSecrets });
	if (secrets.length === 0) return refuse('no signing secret configured');
	if (!Buffer.isBuffer(input.rawBody) || input.rawBody.length === 0) return refuse('raw body unavailable');
	const reading = readStripeSignatureHeader(input.signatureHeader);
	if (!reading.ok) return refuse(reading.reason);
	const header = input.signatureHeader as string;

	// 0 would switch the SDK's timestamp check off; the node never passes it, this keeps it so.
	const tolerance =
		input.toleranceSeconds !== undefined && input.toleranceSeconds > 0 ? input.toleranceSeconds : DEFAULT_TOLERANCE_SECONDS;
	const nowMs = input.nowMs ?? Date.now();
	for (const [secretIndex, secret] of secrets.entries()) {
		const verdict = signatureVerdict(input.rawBody, header, reading.header, secret, tolerance, nowMs);
		// A matching but stale signature: another secret cannot make it younger.
		if (verdict === 'stale') return refuse('timestamp outside tolerance');
		if (verdict === 'mismatch') continue;
		const parsed = parseEvent(input.rawBody);
		return parsed.ok ? { ok: true, event: parsed.event, secretIndex, trimmedSecrets } : refuse(parsed.reason);
	}
	return refuse('no matching signature');
}
