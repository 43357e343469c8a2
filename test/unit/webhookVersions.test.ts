/**
 * Versions 1 and 2 of the three webhook nodes, side by side in n8n-core's WebhookContext: what a version changes
 * (who reads a body n8n left unread, the default of "Combine Quick Messages", how n8n resolves Stripe's response
 * mode) and that version 1 answers as it always did.
 */
import type { IDataObject, INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';
import { WEBHOOK_RESOLVERS, resolveWebhookDescriptionField, webhookDescriptionIsNativelyResolvable } from 'n8n-workflow';

import { ChatCheckoutInstagramApi } from '../../credentials/ChatCheckoutInstagramApi.credentials';
import { ChatCheckoutStripeApi } from '../../credentials/ChatCheckoutStripeApi.credentials';
import { ChatCheckoutWhatsAppApi } from '../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { InstagramTrigger } from '../../nodes/InstagramTrigger/InstagramTrigger.node';
import { StripeWebhookVerify } from '../../nodes/StripeWebhookVerify/StripeWebhookVerify.node';
import { WhatsAppTrigger } from '../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { useIsolatedUserFolder } from '../support/dedupeDir';
import type { WebhookCall, WebhookOutcome } from '../support/n8n';
import { callWebhook } from '../support/n8n';
import { APP_SECRET, IG_ACCOUNT_ID, PHONE_NUMBER_ID, VERIFY_TOKEN, igText, instagramBody, metaSignature, waText, whatsAppBody, whatsAppValue } from '../../tools/sandbox/metaWebhooks';
import { testSecretKey, testSigningSecret } from '../support/stripeTestSecrets';
import { rawBodyOf, signatureHeader, stripeEvent } from './stripe/stripeEvents';

useIsolatedUserFolder();

const NODES: Array<[string, INodeType]> = [
	['WhatsApp Trigger', new WhatsAppTrigger()],
	['Instagram Trigger', new InstagramTrigger()],
	['Stripe Webhook Verify', new StripeWebhookVerify()],
];

describe.each(NODES)('%s: versions', (_name, node) => {
	it('declares versions 1 and 2, new nodes get 2', () => {
		expect(node.description.version).toEqual([1, 2]);
		expect(node.description.defaultVersion).toBe(2);
	});
});

// ---------- Meta triggers ----------

const META = {
	whatsapp: {
		nodeType: () => new WhatsAppTrigger(),
		credentials: { chatCheckoutWhatsAppApi: { accessToken: 'not-used', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, phoneNumberId: PHONE_NUMBER_ID, graphApiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9' } },
		credentialTypes: [new ChatCheckoutWhatsAppApi()],
		message: (id: string, from: string, text: string) => whatsAppBody([whatsAppValue({ messages: [waText(id, from, text)] })]),
	},
	instagram: {
		nodeType: () => new InstagramTrigger(),
		credentials: { chatCheckoutInstagramApi: { accessToken: 'not-used', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accountId: IG_ACCOUNT_ID, graphApiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9' } },
		credentialTypes: [new ChatCheckoutInstagramApi()],
		message: (id: string, from: string, text: string) => instagramBody([{ messaging: [igText(id, from, text)] }]),
	},
};
type Channel = keyof typeof META;

function postMeta(channel: Channel, typeVersion: number, body: object | string, o: { options?: IDataObject; call?: Partial<WebhookCall> } = {}): Promise<WebhookOutcome> {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	const kit = META[channel];
	return callWebhook(
		{ nodeType: kit.nodeType(), typeVersion, parameters: { options: o.options ?? {} }, credentials: kit.credentials, credentialTypes: kit.credentialTypes },
		{ method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': metaSignature(raw) }, ...o.call },
	);
}

let sequence = 0;
const nextId = (channel: Channel) => `${channel === 'whatsapp' ? 'wamid' : 'mid'}.versions${++sequence}`;
const nextUser = () => String(4915100700000 + ++sequence);

/** Whether `promise` has settled (after letting pending callbacks run). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
	let done = false;
	void promise.then(() => (done = true));
	for (let i = 0; i < 20; i++) await Promise.resolve();
	return done;
}

describe.each(Object.keys(META) as Channel[])('%s trigger: "Combine Quick Messages" when the option is not set', (channel) => {
	afterEach(() => jest.useRealTimers());

	it('version 1: off — each message starts its own run at once', async () => {
		const out = await postMeta(channel, 1, META[channel].message(nextId(channel), nextUser(), 'hi'));
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json).not.toHaveProperty('messages');
	});

	it('version 2: 3 s — a second message within them joins the turn, which starts 3 s after the last one', async () => {
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		const user = nextUser();
		const first = postMeta(channel, 2, META[channel].message(nextId(channel), user, 'hi'));
		const second = await postMeta(channel, 2, META[channel].message(nextId(channel), user, 'deluxe room'));
		expect(second.response.statusCode).toBe(200);
		expect(second.items).toHaveLength(0); // joined the open turn
		await jest.advanceTimersByTimeAsync(2_999);
		expect(await settled(first)).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		const turn = await first;
		expect(turn.response.statusCode).toBe(200); // Meta had its answer before the wait
		expect(turn.items).toHaveLength(1);
		expect(turn.items[0].json.text).toBe('hi\ndeluxe room');
	});

	it('version 2 with the option set to 0: each message at once, as in version 1', async () => {
		const out = await postMeta(channel, 2, META[channel].message(nextId(channel), nextUser(), 'hi'), { options: { combineWithinSeconds: 0 } });
		expect(out.items).toHaveLength(1);
	});

	it('the editor shows the version\'s default when the option is added', () => {
		const options = META[channel].nodeType().description.properties.find((p) => p.name === 'options')?.options as INodeProperties[];
		const combine = options.filter((o) => o.name === 'combineWithinSeconds');
		expect(combine.map((o) => [o.default, o.displayOptions?.show?.['@version']])).toEqual([
			[0, [1]],
			[3, [{ _cnd: { gte: 2 } }]],
		]);
	});
});

describe.each(Object.keys(META) as Channel[])('%s trigger: a body n8n left unread', (channel) => {
	const unread = (extra: Partial<WebhookCall> = {}): Partial<WebhookCall> => ({ bodyReadByN8n: false, contentType: 'application/octet-stream', ...extra });

	it('version 2 reads it with n8n\'s reader and checks the signature on those bytes', async () => {
		const out = await postMeta(channel, 2, META[channel].message(nextId(channel), nextUser(), 'hi'), { options: { combineWithinSeconds: 0 }, call: unread() });
		expect(out.readRawBodyCalls).toBe(1);
		expect(out.items).toHaveLength(1);
	});

	it('version 2: a forged signature over such a body is still a 401', async () => {
		const raw = JSON.stringify(META[channel].message(nextId(channel), nextUser(), 'hi'));
		const out = await postMeta(channel, 2, raw, { call: unread({ headers: { 'X-Hub-Signature-256': metaSignature(raw, 'not-the-app-secret') } }) });
		expect(out.response.statusCode).toBe(401);
		expect(out.items).toHaveLength(0);
	});

	it('version 1 does not read it: no raw body → 401, as it always answered', async () => {
		const out = await postMeta(channel, 1, META[channel].message(nextId(channel), nextUser(), 'hi'), { call: unread() });
		expect(out.readRawBodyCalls).toBe(0);
		expect(out.response.statusCode).toBe(401);
		expect(out.items).toHaveLength(0);
	});

	it('version 2 leaves multipart/form-data to n8n\'s form parser (which consumed it): 401', async () => {
		const out = await postMeta(channel, 2, META[channel].message(nextId(channel), nextUser(), 'hi'), { call: unread({ contentType: 'multipart/form-data' }) });
		expect(out.readRawBodyCalls).toBe(0);
		expect(out.response.statusCode).toBe(401);
	});

	it.each([
		{ what: 'over n8n\'s size limit', readError: Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' }), status: 413 },
		{ what: 'a broken gzip stream', readError: Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR' }), status: 400 },
		{ what: 'an interrupted upload', readError: Object.assign(new Error('request aborted'), { status: 400, type: 'request.aborted' }), status: 400 },
	])('version 2: a body that cannot be read ($what) → $status, nothing starts', async ({ readError, status }) => {
		const out = await postMeta(channel, 2, META[channel].message(nextId(channel), nextUser(), 'hi'), { call: unread({ readError }) });
		expect(out.response.statusCode).toBe(status);
		expect(out.result).toEqual({ noWebhookResponse: true });
		expect(out.items).toHaveLength(0);
		expect(JSON.stringify(out.response.body)).not.toContain(readError.message);
	});

	it('a body n8n already read is never read again', async () => {
		const out = await postMeta(channel, 2, META[channel].message(nextId(channel), nextUser(), 'hi'), { options: { combineWithinSeconds: 0 } });
		expect(out.readRawBodyCalls).toBe(0);
		expect(out.items).toHaveLength(1);
	});
});

// ---------- Stripe Webhook Verify ----------

describe('Stripe Webhook Verify: versions', () => {
	const secret = testSigningSecret();
	const deliver = (typeVersion: number, call: Partial<WebhookCall> = {}, parameters: INodeParameters = {}) => {
		const raw = rawBodyOf(stripeEvent('checkout.session.completed', { id: 'cs_test_1', object: 'checkout.session' }));
		return callWebhook(
			{
				nodeType: new StripeWebhookVerify(),
				typeVersion,
				parameters: { acknowledge: 'onReceived', ...parameters },
				credentials: { chatCheckoutStripeApi: { secretKey: testSecretKey(), webhookSigningSecret: secret, previousWebhookSigningSecret: '', baseUrl: 'https://api.stripe.com' } },
				credentialTypes: [new ChatCheckoutStripeApi()],
			},
			{ method: 'POST', rawBody: raw, headers: { 'Stripe-Signature': signatureHeader(raw, secret) }, ...call },
		);
	};

	it('version 2 reads a body n8n left unread and verifies it', async () => {
		const out = await deliver(2, { bodyReadByN8n: false, contentType: 'application/octet-stream' });
		expect(out.readRawBodyCalls).toBe(1);
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json.type).toBe('checkout.session.completed');
	});

	it('version 1 does not: 400 "raw body unavailable", as it always answered', async () => {
		const out = await deliver(1, { bodyReadByN8n: false, contentType: 'application/octet-stream' });
		expect(out.readRawBodyCalls).toBe(0);
		expect(out.response.statusCode).toBe(400);
		expect(out.response.body).toEqual({ error: 'raw body unavailable' });
	});

	it('version 2: a body over n8n\'s size limit → 413, nothing starts', async () => {
		const readError = Object.assign(new Error('request entity too large'), { status: 413 });
		const out = await deliver(2, { bodyReadByN8n: false, contentType: 'application/octet-stream', readError });
		expect(out.response.statusCode).toBe(413);
		expect(out.items).toHaveLength(0);
	});

	it('its response mode is resolved from "Acknowledge" without n8n\'s expression engine, for either choice', () => {
		const [webhook] = new StripeWebhookVerify().description.webhooks ?? [];
		// what the editor reads is unchanged
		expect(webhook.responseMode).toBe('={{$parameter["acknowledge"]}}');
		expect(webhook[WEBHOOK_RESOLVERS]).toBeDefined();
		expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
		for (const acknowledge of ['onReceived', 'lastNode']) {
			expect(resolveWebhookDescriptionField({ parameters: { acknowledge, events: ['*'] } }, webhook, 'responseMode')).toEqual({ resolved: true, value: acknowledge });
		}
		// an expression among the parameters: n8n falls back to its engine, as before
		expect(resolveWebhookDescriptionField({ parameters: { acknowledge: '={{ "lastNode" }}' } }, webhook, 'responseMode')).toEqual({ resolved: false });
	});
});

describe('the Meta triggers\' webhooks need no expression engine', () => {
	it.each([['WhatsApp', new WhatsAppTrigger()], ['Instagram', new InstagramTrigger()]])('%s', (_name, node) => {
		for (const webhook of node.description.webhooks ?? []) expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
	});
});
