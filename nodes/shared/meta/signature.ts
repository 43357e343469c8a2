import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a Meta webhook was refused; short, and never containing the secret or the received signature. */
export type MetaSignatureFailure = 'missing-signature' | 'malformed-signature' | 'bad-signature' | 'no-raw-body' | 'no-app-secret';

export type MetaSignatureCheck = { valid: true } | { valid: false; reason: MetaSignatureFailure };

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>` on the exact bytes Meta sent.
 * Only sha256 is accepted (the legacy `X-Hub-Signature: sha1=` is not), and the comparison is constant-time.
 */
export function verifyMetaSignature(
	rawBody: Buffer | undefined,
	signatureHeader: string | string[] | undefined,
	appSecret: string,
): MetaSignatureCheck {
	if (!appSecret) return { valid: false, reason: 'no-app-secret' };
	const header = Array.isArray(signatureHeader) ? signatureHeader[0] : signatureHeader;
	if (header === undefined || header === '') return { valid: false, reason: 'missing-signature' };
	const match = SIGNATURE_FORMAT.exec(header.trim());
	if (!match) return { valid: false, reason: 'malformed-signature' };
	if (!rawBody) return { valid: false, reason: 'no-raw-body' };
	const expected = createHmac('sha256', appSecret).update(rawBody).digest();
	const received = Buffer.from(match[1], 'hex');
	// Both are 32 bytes here (format checked above), which timingSafeEqual requires.
	return timingSafeEqual(expected, received) ? { valid: true } : { valid: false, reason: 'bad-signature' };
}

/** Constant-time string comparison for the verify token (length differences do not short-circuit on content). */
export function secretEquals(received: string, expected: string): boolean {
	const a = createHmac('sha256', 'verify-token').update(received).digest();
	const b = createHmac('sha256', 'verify-token').update(expected).digest();
	return timingSafeEqual(a, b) && received.length === expected.length;
}

export type VerificationAnswer = { status: 200; challenge: string } | { status: 403 };

/** Meta's GET handshake: `hub.mode=subscribe` with our verify token → echo `hub.challenge`; anything else → 403. */
export function answerVerificationRequest(
	query: Record<string, unknown>,
	verifyToken: string,
): VerificationAnswer {
	const mode = query['hub.mode'];
	const token = query['hub.verify_token'];
	const challenge = query['hub.challenge'];
	if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return { status: 403 };
	if (!verifyToken || !secretEquals(token, verifyToken)) return { status: 403 };
	return { status: 200, challenge };
}
