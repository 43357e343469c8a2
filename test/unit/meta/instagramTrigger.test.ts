import type { IDataObject } from 'n8n-workflow';

import { ChatCheckoutInstagramApi } from '../../../credentials/ChatCheckoutInstagramApi.credentials';
import { InstagramTrigger } from '../../../nodes/InstagramTrigger/InstagramTrigger.node';
import { WhatsAppTrigger } from '../../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { useIsolatedUserFolder } from '../../support/dedupeDir';
import { callWebhook } from '../../support/n8n';
import {
	APP_SECRET,
	IG_ACCOUNT_ID,
	VERIFY_TOKEN,
	igDeletion,
	igEcho,
	igPostback,
	igQuickReply,
	igReaction,
	igRead,
	igText,
	instagramBody,
	metaSignature,
} from '../../../tools/sandbox/metaWebhooks';

const credentials = {
	chatCheckoutInstagramApi: {
		accessToken: 'token-not-used-on-webhook-path',
		appSecret: APP_SECRET,
		verifyToken: VERIFY_TOKEN,
		accountId: IG_ACCOUNT_ID,
		graphApiVersion: 'v25.0',
		baseUrl: 'http://127.0.0.1:9',
	},
};

async function post(body: object, opts: { options?: IDataObject; staticData?: IDataObject; signature?: string | null } = {}) {
	const raw = JSON.stringify(body);
	const headers: Record<string, string> = {};
	const signature = opts.signature === undefined ? metaSignature(raw) : opts.signature;
	if (signature !== null) headers['x-hub-signature-256'] = signature;
	return await callWebhook(
		{
			nodeType: new InstagramTrigger(),
			parameters: { options: opts.options ?? {} },
			credentials,
			credentialTypes: [new ChatCheckoutInstagramApi()],
			staticData: opts.staticData ?? {},
		},
		{ method: 'POST', rawBody: raw, headers },
	);
}

useIsolatedUserFolder();

describe('Instagram Trigger', () => {
	it('answers Meta\'s verification with the challenge, and 403 for a wrong token', async () => {
		const call = async (token: string) =>
			await callWebhook(
				{ nodeType: new InstagramTrigger(), parameters: { options: {} }, credentials, credentialTypes: [new ChatCheckoutInstagramApi()] },
				{ method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '42' } },
			);
		expect((await call(VERIFY_TOKEN)).response).toMatchObject({ statusCode: 200, body: '42' });
		expect((await call('nope')).response.statusCode).toBe(403);
	});

	it('a text DM → one item; the chat reference names the IG account and the IGSID', async () => {
		const message = igText('mid.TEXT', '7000000000000001', 'Do you have the pro plan?');
		const out = await post(instagramBody([{ messaging: [message] }]));
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json).toEqual({
			event: 'message',
			channel: 'instagram',
			chatRef: { channel: 'instagram', accountId: IG_ACCOUNT_ID, userId: '7000000000000001' },
			messageId: 'mid.TEXT',
			timestamp: '2024-06-10T06:13:20.123Z',
			type: 'text',
			text: 'Do you have the pro plan?',
			reply: null,
			profileName: null,
			status: null,
			raw: message,
		});
	});

	it('a card number in a DM is masked before any run sees it', async () => {
		const out = await post(instagramBody([{ messaging: [igText('mid.CARD', '7000000000000001', 'my amex: 3782-822463-10005')] }]));
		expect(out.items.map((item) => item.json.text)).toEqual(['my amex: [card number removed]']);
		expect(JSON.stringify(out.items[0].json)).not.toMatch(/10005/);
	});

	it('quick reply and postback carry the payload and title', async () => {
		const out = await post(
			instagramBody([{ messaging: [igQuickReply('mid.Q', '7001', 'Pay now', 'PAY_NOW'), igPostback('mid.P', '7001', 'Deluxe Room', 'PRODUCT_DELUXE')] }]),
		);
		expect(out.items.map((i) => [i.json.type, i.json.text, i.json.reply])).toEqual([
			['quick_reply', 'Pay now', { kind: 'quick_reply', payload: 'PAY_NOW', title: 'Pay now' }],
			['postback', 'Deluxe Room', { kind: 'postback', payload: 'PRODUCT_DELUXE', title: 'Deluxe Room' }],
		]);
	});

	it('echoes, reads, reactions and deletions are skipped by default', async () => {
		const body = instagramBody([
			{ messaging: [igEcho('mid.E', '7001', 'Here is your link'), igRead('mid.E', '7001'), igReaction('mid.E', '7001', '❤'), igDeletion('mid.D', '7001')] },
		]);
		const out = await post(body);
		expect(out.items).toHaveLength(0);
		expect(out.response.statusCode).toBe(200);
	});

	it('each can be opted in; an echo is addressed to the customer, not to our account', async () => {
		const body = instagramBody([
			{ messaging: [igEcho('mid.E', '7001', 'Here is your link'), igRead('mid.E', '7001'), igReaction('mid.E', '7001', '❤'), igDeletion('mid.D', '7001')] },
		]);
		const out = await post(body, { options: { include: ['echo', 'read', 'reaction', 'deletion'] } });
		expect(out.items.map((i) => [i.json.event, (i.json.chatRef as IDataObject).userId, i.json.text])).toEqual([
			['echo', '7001', 'Here is your link'],
			['read', '7001', ''],
			['reaction', '7001', '❤'],
			['deletion', '7001', ''],
		]);
		const echoOnly = await post(body, { options: { include: ['echo'], deduplicate: false } });
		expect(echoOnly.items.map((i) => i.json.event)).toEqual(['echo']);
	});

	it('a batch of several entries (two accounts) → one item each; the account filter applies', async () => {
		const body = instagramBody([
			{ messaging: [igText('mid.1', '7001', 'a'), igText('mid.2', '7002', 'b')] },
			{ id: '17841400000000002', messaging: [igText('mid.3', '7003', 'c', '17841400000000002')] },
		]);
		expect((await post(body)).items.map((i) => i.json.messageId)).toEqual(['mid.1', 'mid.2', 'mid.3']);
		const filtered = await post(body, { options: { accountIds: '17841400000000002', deduplicate: false } });
		expect(filtered.items.map((i) => i.json.messageId)).toEqual(['mid.3']);
	});

	it('rejects forged and missing signatures with 401', async () => {
		const body = instagramBody([{ messaging: [igText('mid.1', '7001', 'a')] }]);
		expect((await post(body, { signature: null })).response.statusCode).toBe(401);
		expect((await post(body, { signature: metaSignature(JSON.stringify(body), 'whatsapp-app-secret') })).response.statusCode).toBe(401);
		expect((await post(body, { signature: null })).items).toHaveLength(0);
	});

	it('a WhatsApp body posted to the Instagram trigger is acknowledged and ignored', async () => {
		const out = await post({ object: 'whatsapp_business_account', entry: [] });
		expect(out.response.statusCode).toBe(200);
		expect(out.items).toHaveLength(0);
	});

	it('a redelivered DM starts no second run', async () => {
		const body = instagramBody([{ messaging: [igText('mid.R', '7001', 'again?')] }]);
		expect((await post(body)).items).toHaveLength(1);
		expect((await post(body)).items).toHaveLength(0);
	});
});

describe('webhook lifecycle', () => {
	it.each([
		['WhatsApp Trigger', () => new WhatsAppTrigger()],
		['Instagram Trigger', () => new InstagramTrigger()],
	])('%s: checkExists/create/delete succeed without touching Meta', async (_name, make) => {
		const calls: string[] = [];
		// Any use of the context (credentials, HTTP helpers) would be recorded here.
		const context = new Proxy({}, { get: (_t, prop) => { calls.push(String(prop)); return () => { throw new Error(`used ${String(prop)}`); }; } });
		const methods = make().webhookMethods.default;
		expect(await methods.checkExists.call(context as never)).toBe(true);
		expect(await methods.create.call(context as never)).toBe(true);
		expect(await methods.delete.call(context as never)).toBe(true);
		expect(calls).toEqual([]);
	});

	it('both declare a GET setup and a POST default webhook on the same path, answered without echoing run data', () => {
		for (const node of [new WhatsAppTrigger(), new InstagramTrigger()]) {
			expect(node.description.webhooks?.map((w) => [w.name, w.httpMethod, w.path, w.responseData])).toEqual([
				['setup', 'GET', 'webhook', 'noData'],
				['default', 'POST', 'webhook', 'noData'],
			]);
		}
	});
});
