/**
 * The webhook nodes read their credential at most every 30 s per node (nodes/shared/webhookCredentials.ts), and
 * a request that fails with the remembered secret is checked again with the credential as it is now.
 */
import type { IWebhookFunctions } from 'n8n-workflow';
import { WebhookContext } from 'n8n-core';

import { ChatCheckoutStripeApi } from '../../credentials/ChatCheckoutStripeApi.credentials';
import { ChatCheckoutWhatsAppApi } from '../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { StripeWebhookVerify } from '../../nodes/StripeWebhookVerify/StripeWebhookVerify.node';
import { WhatsAppTrigger } from '../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { CREDENTIAL_REUSE_MS, forgetRememberedCredentials } from '../../nodes/shared/webhookCredentials';
import { useIsolatedUserFolder } from '../support/dedupeDir';
import { callWebhook } from '../support/n8n';
import { PHONE_NUMBER_ID, VERIFY_TOKEN, metaSignature, waText, whatsAppBody, whatsAppValue } from '../../tools/sandbox/metaWebhooks';
import { testSecretKey, testSigningSecret } from '../support/stripeTestSecrets';
import { rawBodyOf, signatureHeader, stripeEvent } from './stripe/stripeEvents';

useIsolatedUserFolder();

let now = 1_800_000_000_000;
let lookups: jest.SpyInstance;
beforeEach(() => {
	forgetRememberedCredentials();
	jest.spyOn(Date, 'now').mockImplementation(() => now);
	lookups = jest.spyOn(WebhookContext.prototype as unknown as IWebhookFunctions, 'getCredentials');
});
afterEach(() => jest.restoreAllMocks());

let sequence = 0;
function postWhatsApp(appSecret: string, signWith: string) {
	const raw = JSON.stringify(whatsAppBody([whatsAppValue({ messages: [waText(`wamid.cred${++sequence}`, '4915100900001', 'hi')] })]));
	return callWebhook(
		{
			nodeType: new WhatsAppTrigger(),
			parameters: { options: { combineWithinSeconds: 0 } },
			credentials: { chatCheckoutWhatsAppApi: { accessToken: 'not-used', appSecret, verifyToken: VERIFY_TOKEN, phoneNumberId: PHONE_NUMBER_ID, graphApiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9' } },
			credentialTypes: [new ChatCheckoutWhatsAppApi()],
		},
		{ method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': metaSignature(raw, signWith) }, keepRememberedCredentials: true },
	);
}

describe('WhatsApp Trigger: its credential, remembered per node', () => {
	it('is read from n8n once, then not again for 30 s', async () => {
		for (let i = 0; i < 5; i++) expect((await postWhatsApp('secret-one', 'secret-one')).items).toHaveLength(1);
		expect(lookups).toHaveBeenCalledTimes(1);
		now += CREDENTIAL_REUSE_MS - 1;
		expect((await postWhatsApp('secret-one', 'secret-one')).items).toHaveLength(1);
		expect(lookups).toHaveBeenCalledTimes(1);
		now += 1;
		expect((await postWhatsApp('secret-one', 'secret-one')).items).toHaveLength(1);
		expect(lookups).toHaveBeenCalledTimes(2);
	});

	it('a changed App Secret applies at once: a request the remembered one refuses is checked with the current one', async () => {
		await postWhatsApp('old-secret', 'old-secret');
		const out = await postWhatsApp('new-secret', 'new-secret');
		expect(out.items).toHaveLength(1);
		expect(lookups).toHaveBeenCalledTimes(2);
		// the replaced secret: accepted while remembered (at most 30 s), refused once the credential is read again
		expect((await postWhatsApp('old-secret', 'old-secret')).items).toHaveLength(1);
		now += CREDENTIAL_REUSE_MS;
		const late = await postWhatsApp('new-secret', 'old-secret');
		expect(late.response.statusCode).toBe(401);
		expect(late.items).toHaveLength(0);
	});

	it('a forged request is refused after the check with the current credential', async () => {
		await postWhatsApp('secret-one', 'secret-one');
		const out = await postWhatsApp('secret-one', 'forged');
		expect(out.response.statusCode).toBe(401);
		expect(lookups).toHaveBeenCalledTimes(2);
	});
});

describe('Stripe Webhook Verify: its credential, remembered per node', () => {
	const deliver = (secret: string, signWith: string) => {
		const raw = rawBodyOf(stripeEvent('checkout.session.completed', { id: `cs_test_${++sequence}`, object: 'checkout.session' }));
		return callWebhook(
			{
				nodeType: new StripeWebhookVerify(),
				parameters: { acknowledge: 'onReceived' },
				credentials: { chatCheckoutStripeApi: { secretKey: testSecretKey(), webhookSigningSecret: secret, previousWebhookSigningSecret: '', baseUrl: 'https://api.stripe.com' } },
				credentialTypes: [new ChatCheckoutStripeApi()],
			},
			{ method: 'POST', rawBody: raw, headers: { 'Stripe-Signature': signatureHeader(raw, signWith, Math.floor(now / 1000)) }, keepRememberedCredentials: true },
		);
	};

	it('is read once for many events, and a rolled signing secret applies at once', async () => {
		const first = testSigningSecret();
		const second = testSigningSecret();
		for (let i = 0; i < 3; i++) expect((await deliver(first, first)).items).toHaveLength(1);
		expect(lookups).toHaveBeenCalledTimes(1);
		expect((await deliver(second, second)).items).toHaveLength(1);
		expect(lookups).toHaveBeenCalledTimes(2);
		const forged = await deliver(second, testSigningSecret());
		expect(forged.response.statusCode).toBe(400);
		expect(forged.items).toHaveLength(0);
	});
});
