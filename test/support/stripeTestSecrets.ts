/** Random, test-only Stripe secrets in Stripe's formats (never real ones), fresh for every call. */
import { randomBytes } from 'node:crypto';

export function testSecretKey(): string {
	return `sk_test_${randomBytes(18).toString('hex')}`;
}

export function testSigningSecret(): string {
	return `whsec_${randomBytes(24).toString('base64url')}`;
}
