import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { ChatCheckoutWhatsAppApi } from '../../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { WhatsAppTrigger } from '../../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { flushSeenEventWrites, forgetInMemoryStateForTests, keyDigest } from '../../../nodes/shared/meta/dedupe';
import { useIsolatedUserFolder } from '../../support/dedupeDir';
import { callWebhook } from '../../support/n8n';
import {
	APP_SECRET,
	PHONE_NUMBER_ID,
	VERIFY_TOKEN,
	metaSignature,
	waButtonReply,
	waContact,
	waImage,
	waListReply,
	waStatus,
	waText,
	whatsAppBody,
	whatsAppValue,
} from '../../../tools/sandbox/metaWebhooks';

const credentials = {
	chatCheckoutWhatsAppApi: {
		accessToken: 'token-not-used-on-webhook-path',
		appSecret: APP_SECRET,
		verifyToken: VERIFY_TOKEN,
		phoneNumberId: PHONE_NUMBER_ID,
		graphApiVersion: 'v25.0',
		baseUrl: 'http://127.0.0.1:9',
	},
};

function setup(options: IDataObject = {}, staticData: IDataObject = {}) {
	return {
		nodeType: new WhatsAppTrigger(),
		parameters: { options },
		credentials,
		credentialTypes: [new ChatCheckoutWhatsAppApi()],
		staticData,
	};
}

async function post(body: object | string, opts: { options?: IDataObject; staticData?: IDataObject; signature?: string | null } = {}) {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	const signature = opts.signature === undefined ? metaSignature(raw) : opts.signature;
	if (signature !== null) headers['X-Hub-Signature-256'] = signature;
	return await callWebhook(setup(opts.options, opts.staticData), { method: 'POST', rawBody: raw, headers });
}

const userFolder = useIsolatedUserFolder();

describe('WhatsApp Trigger: verification (GET)', () => {
	it('answers the challenge as text/plain for the right verify token', async () => {
		const out = await callWebhook(setup(), {
			method: 'GET',
			query: { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '987654' },
		});
		expect(out.response.statusCode).toBe(200);
		expect(out.response.body).toBe('987654');
		expect(out.response.headers['content-type']).toMatch(/^text\/plain/);
		expect(out.result.noWebhookResponse).toBe(true);
		expect(out.items).toHaveLength(0);
	});

	it('answers 403 and starts nothing for a wrong verify token', async () => {
		const out = await callWebhook(setup(), {
			method: 'GET',
			query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '987654' },
		});
		expect(out.response.statusCode).toBe(403);
		expect(String(out.response.body)).not.toContain('987654');
		expect(String(out.response.body)).not.toContain(VERIFY_TOKEN);
		expect(out.items).toHaveLength(0);
	});
});

describe('WhatsApp Trigger: signature (POST)', () => {
	const body = whatsAppBody([whatsAppValue({ messages: [waText('wamid.A', '4915112345678', 'hi')] })]);

	it.each([
		['missing', null],
		['forged', metaSignature(JSON.stringify(body), 'not-the-app-secret')],
		['wrong algorithm (sha1)', `sha1=${'0'.repeat(40)}`],
		['garbage', 'sha256=xyz'],
	])('%s signature → 401, nothing emitted', async (_label, signature) => {
		const out = await post(body, { signature });
		expect(out.response.statusCode).toBe(401);
		expect(out.items).toHaveLength(0);
		expect(JSON.stringify(out.response.body)).not.toContain(APP_SECRET);
	});

	it('a signature over different bytes of the same JSON → 401', async () => {
		const raw = JSON.stringify(body, null, 2);
		const out = await post(raw, { signature: metaSignature(JSON.stringify(body)) });
		expect(out.response.statusCode).toBe(401);
		expect(out.items).toHaveLength(0);
	});
});

describe('WhatsApp Trigger: payloads', () => {
	it('text message → one item with chat reference, ISO time, profile name and raw message', async () => {
		const message = waText('wamid.TEXT1', '4915112345678', 'I want the Deluxe Suite for June 15-17');
		const out = await post(whatsAppBody([whatsAppValue({ contacts: [waContact('4915112345678', 'Ada')], messages: [message] })]));
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json).toEqual({
			event: 'message',
			channel: 'whatsapp',
			chatRef: { channel: 'whatsapp', accountId: PHONE_NUMBER_ID, userId: '4915112345678' },
			messageId: 'wamid.TEXT1',
			timestamp: '2024-06-10T06:13:20.000Z',
			type: 'text',
			text: 'I want the Deluxe Suite for June 15-17',
			reply: null,
			profileName: 'Ada',
			status: null,
			raw: message,
		});
	});

	it('a card number typed into the chat is masked in the item (text and raw) before any run sees it', async () => {
		const message = waText('wamid.CARD1', '4915112345678', 'charge my card 4242 4242 4242 4242 please');
		const out = await post(whatsAppBody([whatsAppValue({ contacts: [waContact('4915112345678', 'Ada')], messages: [message] })]));
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json.text).toBe('charge my card [card number removed] please');
		expect(JSON.stringify(out.items[0].json)).not.toMatch(/4242/);
		expect(out.items[0].json.chatRef).toEqual({ channel: 'whatsapp', accountId: PHONE_NUMBER_ID, userId: '4915112345678' });
	});

	it('interactive button reply, list reply and image caption', async () => {
		const out = await post(
			whatsAppBody([
				whatsAppValue({
					messages: [
						waButtonReply('wamid.B', '111', 'confirm-order', 'Yes, book it'),
						waListReply('wamid.L', '111', 'deluxe-room', 'Deluxe Room'),
						waImage('wamid.I', '111', 'this one please'),
					],
				}),
			]),
		);
		expect(out.items.map((i) => [i.json.type, i.json.text, i.json.reply])).toEqual([
			['interactive', 'Yes, book it', { kind: 'button', payload: 'confirm-order', title: 'Yes, book it' }],
			['interactive', 'Deluxe Room', { kind: 'list', payload: 'deluxe-room', title: 'Deluxe Room' }],
			['image', 'this one please', null],
		]);
	});

	it('a batched POST with several entries emits one item per message, in order', async () => {
		const out = await post(
			whatsAppBody([
				whatsAppValue({ messages: [waText('wamid.1', '111', 'one'), waText('wamid.2', '222', 'two')] }),
				whatsAppValue({ phoneNumberId: '999', messages: [waText('wamid.3', '333', 'three')] }),
			]),
		);
		expect(out.items.map((i) => [i.json.messageId, (i.json.chatRef as IDataObject).accountId])).toEqual([
			['wamid.1', PHONE_NUMBER_ID],
			['wamid.2', PHONE_NUMBER_ID],
			['wamid.3', '999'],
		]);
	});

	it('delivery statuses are skipped (200, no execution) unless opted in', async () => {
		const statusBody = whatsAppBody([
			whatsAppValue({ statuses: [waStatus('wamid.S', '111', 'failed', [{ code: 131047, title: 'Re-engagement message' }])] }),
		]);
		const skipped = await post(statusBody);
		expect(skipped.items).toHaveLength(0);
		expect(skipped.response.statusCode).toBe(200);
		expect(skipped.result.noWebhookResponse).toBe(true);

		const emitted = await post(statusBody, { options: { include: ['status'] } });
		expect(emitted.items).toHaveLength(1);
		expect(emitted.items[0].json).toMatchObject({
			event: 'status',
			messageId: 'wamid.S',
			status: { status: 'failed', recipientId: '111', errors: [{ code: 131047, title: 'Re-engagement message' }] },
		});
	});

	it('the account filter keeps only the listed phone number IDs', async () => {
		const out = await post(
			whatsAppBody([
				whatsAppValue({ messages: [waText('wamid.1', '111', 'one')] }),
				whatsAppValue({ phoneNumberId: '999', messages: [waText('wamid.2', '222', 'two')] }),
			]),
			{ options: { accountIds: ' 999 , 123' } },
		);
		expect(out.items.map((i) => i.json.messageId)).toEqual(['wamid.2']);
	});

	it('malformed JSON → 400, unknown object or missing fields → 200; nothing emitted', async () => {
		const broken = await post('{"object":"whatsapp_business_account",');
		expect(broken.response.statusCode).toBe(400);
		expect(broken.items).toHaveLength(0);

		const page = await post({ object: 'page', entry: [] });
		expect(page.response.statusCode).toBe(200);
		expect(page.items).toHaveLength(0);

		const holes = await post({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { messages: [{ id: 'x' }] } }] }, 'junk'] });
		expect(holes.response.statusCode).toBe(200);
		expect(holes.items).toHaveLength(0);
	});
});

describe('WhatsApp Trigger: redeliveries', () => {
	const body = whatsAppBody([whatsAppValue({ messages: [waText('wamid.DUP', '111', 'hello')] })]);

	it('the same message delivered twice starts one run', async () => {
		expect((await post(body)).items).toHaveLength(1);
		const second = await post(body);
		expect(second.items).toHaveLength(0);
		expect(second.response.statusCode).toBe(200);
	});

	it('is still recognised after a restart (memory gone, the file under the n8n user folder kept)', async () => {
		await post(body);
		await flushSeenEventWrites();
		forgetInMemoryStateForTests();
		expect((await post(body)).items).toHaveLength(0);
	});

	it('a message seen by another n8n process on the same host (it wrote the file) is recognised', async () => {
		await post(body);
		await flushSeenEventWrites();
		const otherProcessFile = readdirSync(join(userFolder.folder(), '.n8n', 'chat-checkout', 'seen-events'));
		expect(otherProcessFile).toHaveLength(1);
		forgetInMemoryStateForTests(); // this process never saw it; only the other one's file knows it
		const other = whatsAppBody([whatsAppValue({ messages: [waText('wamid.OTHER', '111', 'x')] })]);
		expect((await post(other)).items).toHaveLength(1);
		expect((await post(body)).items).toHaveLength(0);
	});

	it('two copies arriving at once start one run', async () => {
		const [a, b] = await Promise.all([post(body), post(body)]);
		expect(a.items.length + b.items.length).toBe(1);
	});

	it('a new message in a batch with an old one emits only the new one; opting out emits both', async () => {
		await post(body);
		const mixed = whatsAppBody([whatsAppValue({ messages: [waText('wamid.DUP', '111', 'hello'), waText('wamid.NEW', '111', 'again')] })]);
		expect((await post(mixed)).items.map((i) => i.json.messageId)).toEqual(['wamid.NEW']);
		expect((await post(mixed, { options: { deduplicate: false } })).items).toHaveLength(2);
	});

	it('keeps at most 5000 ids, as short digests, and nothing in the workflow static data', async () => {
		const staticData: IDataObject = {};
		const messages = Array.from({ length: 5100 }, (_, i) => waText(`wamid.M${i}`, '111', 'x'));
		expect((await post(whatsAppBody([whatsAppValue({ messages })]), { staticData })).items).toHaveLength(5100);
		await flushSeenEventWrites();
		const dir = join(userFolder.folder(), '.n8n', 'chat-checkout', 'seen-events');
		const seen = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')) as Array<[string, number]>;
		expect(seen).toHaveLength(5000);
		expect(seen[0][0]).toBe(keyDigest('whatsapp:message:wamid.M100'));
		expect(JSON.stringify(seen).length).toBeLessThan(5000 * 32);
		expect(staticData).toEqual({});
	});
});
