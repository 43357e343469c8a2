/**
 * The Stripe-Signature header read by us, the signature checked by the SDK: every refusal reason comes from
 * the header and the SDK's yes/no, never from the wording of the SDK's errors. Headers are made by the SDK's
 * generateTestHeaderString.
 */
import Stripe from 'stripe';

import { readStripeSignatureHeader } from '../../../nodes/shared/stripe/signatureHeader';
import { signingSecretsOf, verifyStripeWebhook } from '../../../nodes/shared/stripe/webhookSignature';
import { testSigningSecret } from '../../support/stripeTestSecrets';
import { checkoutSession, rawBodyOf, signatureHeader, stripeEvent } from './stripeEvents';

const NOW_MS = 1_800_000_500_000;
const NOW = NOW_MS / 1000;
const V1 = 'a'.repeat(64);
const V1B = 'b'.repeat(64);

describe('reading Stripe-Signature', () => {
	it('takes t and every v1, ignores other schemes, and lets the last t win (as stripe-node does)', () => {
		expect(readStripeSignatureHeader(`t=${NOW},v1=${V1},v0=${V1B},v1=${V1B}`)).toEqual({ ok: true, header: { timestamp: NOW, signatures: [V1, V1B] } });
		expect(readStripeSignatureHeader(`t=1,t=${NOW},v1=${V1}`)).toEqual({ ok: true, header: { timestamp: NOW, signatures: [V1] } });
	});

	it('tells a missing header from an unreadable one', () => {
		for (const missing of [undefined, null, '']) expect(readStripeSignatureHeader(missing)).toEqual({ ok: false, reason: 'missing Stripe-Signature header' });
		for (const unreadable of [
			['t=1', `v1=${V1}`], // the header twice
			'sha256=abc',
			`v1=${V1}`, // no t
			`t=${NOW}`, // no v1
			`t=${NOW},v0=${V1}`, // only the legacy scheme
			`t=soon,v1=${V1}`,
			`t=${NOW},v1=`,
			`t=${NOW}, v1=${V1}`, // pairs are read as written, like the SDK does
			`t=${NOW};v1=${V1}`,
			`t=${NOW},t=x,v1=${V1}`, // the last t is the one that counts
		]) {
			expect([unreadable, readStripeSignatureHeader(unreadable)]).toEqual([unreadable, { ok: false, reason: 'unparseable Stripe-Signature header' }]);
		}
	});
});

describe('verifying', () => {
	let secret: string;
	const raw = rawBodyOf(stripeEvent('checkout.session.completed', checkoutSession()));
	const verify = (header: unknown, body: string | Buffer = raw, secrets: Array<string | undefined> = [secret]) =>
		verifyStripeWebhook({ rawBody: Buffer.from(body), signatureHeader: header, secrets, nowMs: NOW_MS });

	beforeEach(() => {
		secret = testSigningSecret();
	});
	afterEach(() => jest.restoreAllMocks());

	it('tells a stale but genuine signature from a forged stale one', () => {
		expect(verify(signatureHeader(raw, secret, NOW - 301))).toMatchObject({ ok: false, reason: 'timestamp outside tolerance' });
		expect(verify(signatureHeader(raw, testSigningSecret(), NOW - 301))).toMatchObject({ ok: false, reason: 'no matching signature' });
		expect(verify(signatureHeader(raw, secret, NOW - 300))).toMatchObject({ ok: true, secretIndex: 0 });
	});

	it('names the same reasons when the SDK words its errors differently', () => {
		const sdk = Stripe.webhooks.signature!;
		const original = sdk.verifyHeader.bind(sdk);
		jest.spyOn(sdk, 'verifyHeader').mockImplementation((...args) => {
			try {
				return original(...args);
			} catch {
				throw new Stripe.errors.StripeSignatureVerificationError('', '', { message: 'Something went wrong.' });
			}
		});
		expect(verify(signatureHeader(raw, secret, NOW - 301))).toMatchObject({ reason: 'timestamp outside tolerance' });
		expect(verify(signatureHeader(raw, testSigningSecret(), NOW))).toMatchObject({ reason: 'no matching signature' });
		expect(verify(`t=${NOW}`)).toMatchObject({ reason: 'unparseable Stripe-Signature header' });
		expect(verify(signatureHeader(raw, secret, NOW))).toMatchObject({ ok: true });
		expect(sdk.verifyHeader).toHaveBeenCalled();
	});

	it('lets the SDK decide: a header it would refuse is refused, whatever our reading of it', () => {
		const refusing = jest.spyOn(Stripe.webhooks.signature!, 'verifyHeader').mockImplementation(() => {
			throw new Stripe.errors.StripeSignatureVerificationError('', '', { message: 'refused' });
		});
		expect(verify(signatureHeader(raw, secret, NOW))).toMatchObject({ ok: false, reason: 'no matching signature' });
		expect(refusing).toHaveBeenCalledWith(expect.any(Buffer), expect.any(String), secret, 300, undefined, NOW_MS);
	});

	it('parses only verified bytes, as the SDK would: not JSON, or a thin event, is refused after the signature passed', () => {
		const text = 'hello';
		expect(verify(signatureHeader(text, secret, NOW), text)).toMatchObject({ ok: false, reason: 'unparseable body' });
		const thin = JSON.stringify({ id: 'evt_1', object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered' });
		expect(verify(signatureHeader(thin, secret, NOW), thin)).toMatchObject({ ok: false, reason: 'not a Stripe event' });
	});

	it('ignores spaces and line breaks around a configured secret and says which field had them', () => {
		expect(signingSecretsOf([` ${secret}\n`, undefined])).toEqual({ secrets: [secret], trimmed: [0] });
		expect(signingSecretsOf(['', `${secret}\t`])).toEqual({ secrets: [secret], trimmed: [1] });
		expect(signingSecretsOf([secret, '  '])).toEqual({ secrets: [secret], trimmed: [] });

		const header = signatureHeader(raw, secret, NOW);
		expect(verify(header, raw, [`${secret} \n`])).toMatchObject({ ok: true, trimmedSecrets: [0] });
		expect(verify(header, raw, [testSigningSecret(), `\t${secret}`])).toMatchObject({ ok: true, secretIndex: 1, trimmedSecrets: [1] });
		expect(verify(header, raw, [secret])).toMatchObject({ ok: true, trimmedSecrets: [] });
		// Whitespace inside a secret is not "around" it: such a secret is simply another secret.
		expect(verify(header, raw, [`${secret.slice(0, 10)} ${secret.slice(10)}`])).toMatchObject({ ok: false, reason: 'no matching signature' });
	});
});
