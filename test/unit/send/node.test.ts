import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeHelpers } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, INodeParameters, NodeError } from 'n8n-workflow';

import { ChatCheckoutInstagramApi } from '../../../credentials/ChatCheckoutInstagramApi.credentials';
import { ChatCheckoutWhatsAppApi } from '../../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { SendChatMessage } from '../../../nodes/SendChatMessage/SendChatMessage.node';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/shared/graph/retry';
import { executeNode } from '../../support/n8n';
import type { TestCredentials } from '../../support/n8n';
import { graphErrors, startGraphSim } from '../../../tools/sandbox/graph';
import type { FailSpec, GraphSim } from '../../../tools/sandbox/graph';

const WA_TOKEN = 'wa-secret-token-XYZ';
const IG_TOKEN = 'ig-secret-token-XYZ';
const WA_PHONE_ID = '1111111111';
const IG_ACCOUNT_ID = '17841400000000001';
const WA_REF = { channel: 'whatsapp', accountId: WA_PHONE_ID, userId: '4915112345678' };
const IG_REF = { channel: 'instagram', accountId: IG_ACCOUNT_ID, userId: '6543210987654321' };
/** Small waits so that retries do not make the suite slow. */
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 50 };

let graph: GraphSim;

beforeEach(async () => {
	graph = await startGraphSim({
		accessTokens: [WA_TOKEN, IG_TOKEN],
		whatsappNumbers: [{ id: WA_PHONE_ID }, { id: '2222222222' }],
		instagramAccounts: [{ id: IG_ACCOUNT_ID }],
	});
});

afterEach(async () => {
	await graph.stop();
});

/** Graph's answers to the next send calls, in order (then it answers as Meta does). */
function answerInOrder(...answers: FailSpec[]): void {
	for (const answer of answers) graph.failNext(answer);
}

/** The message id the simulator gave the one send it accepted: what the node must output. */
function acceptedMessageId(): string {
	expect(graph.sent).toHaveLength(1);
	const { messageId } = graph.sent[0];
	if (!messageId) throw new Error(`the accepted send got no message id: ${JSON.stringify(graph.sent[0].response)}`);
	return messageId;
}

/** A WhatsApp send to WA_REF's customer as the node must post it: Meta's envelope around `fields`. */
function whatsAppRequest(fields: IDataObject): IDataObject {
	return { messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', ...fields };
}

/** The item the node outputs for a message Graph accepted: the simulator's message id and the chat it went to. */
function sentOutput(chatRef: typeof WA_REF, kind: string, fallbackUsed = false): IDataObject {
	return { messageId: acceptedMessageId(), channel: chatRef.channel, recipient: chatRef.userId, kind, fallbackUsed, chatRef };
}

function credentials(which: 'both' | 'whatsapp' | 'instagram', baseUrl = graph.url): TestCredentials {
	const common = { appSecret: 'app-secret', verifyToken: 'verify', graphApiVersion: 'v25.0', baseUrl };
	const all: TestCredentials = {
		chatCheckoutWhatsAppApi: { ...common, accessToken: WA_TOKEN, phoneNumberId: WA_PHONE_ID },
		chatCheckoutInstagramApi: { ...common, accessToken: IG_TOKEN, accountId: IG_ACCOUNT_ID },
	};
	if (which === 'whatsapp') return { chatCheckoutWhatsAppApi: all.chatCheckoutWhatsAppApi };
	if (which === 'instagram') return { chatCheckoutInstagramApi: all.chatCheckoutInstagramApi };
	return all;
}

async function run(
	parameters: INodeParameters,
	items: IDataObject[],
	options: { creds?: 'both' | 'whatsapp' | 'instagram'; continueOnFail?: boolean; baseUrl?: string } = {},
): Promise<INodeExecutionData[]> {
	const out = await executeNode({
		nodeType: new SendChatMessage(),
		parameters: { retry: FAST_RETRY, ...parameters },
		credentials: credentials(options.creds ?? 'both', options.baseUrl),
		credentialTypes: [new ChatCheckoutWhatsAppApi(), new ChatCheckoutInstagramApi()],
		items: items.map((json) => ({ json })),
		continueOnFail: options.continueOnFail,
	});
	return out[0];
}

async function runExpectingError(
	parameters: INodeParameters,
	items: IDataObject[],
	options: { creds?: 'both' | 'whatsapp' | 'instagram'; baseUrl?: string } = {},
): Promise<NodeError> {
	try {
		await run(parameters, items, options);
	} catch (error) {
		return error as NodeError;
	}
	throw new Error('expected the node to fail');
}

const text = (body: string, extra: INodeParameters = {}): INodeParameters => ({ messageType: 'text', text: body, ...extra });

describe('WhatsApp: every kind, exact request', () => {
	test('text: path, Authorization header, body and output', async () => {
		const out = await run(text('Thanks for your order!'), [{ chatRef: WA_REF, messageId: 'wamid.IN' }]);
		expect(graph.requests).toHaveLength(1);
		const [request] = graph.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/v25.0/${WA_PHONE_ID}/messages`);
		expect(request.headers.authorization).toBe(`Bearer ${WA_TOKEN}`);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.body).toEqual(whatsAppRequest({
			type: 'text',
			text: { body: 'Thanks for your order!', preview_url: false },
		}));
		expect(out).toEqual([{ json: sentOutput(WA_REF, 'text'), pairedItem: { item: 0 } }]);
	});

	test('link button (CTA URL) with the URL from an expression', async () => {
		const out = await run(
			{ messageType: 'link', text: 'Your basket: 2 items, 42 €', url: '={{ $json.url }}', buttonLabel: 'Pay now' },
			[{ chatRef: WA_REF, url: 'https://checkout.stripe.test/c/pay/cs_test_1' }],
		);
		expect(graph.requests[0].body).toEqual(whatsAppRequest({
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				body: { text: 'Your basket: 2 items, 42 €' },
				action: { name: 'cta_url', parameters: { display_text: 'Pay now', url: 'https://checkout.stripe.test/c/pay/cs_test_1' } },
			},
		}));
		expect(out[0].json.kind).toBe('link');
	});

	test('link sent as plain text + URL', async () => {
		const out = await run(
			{ messageType: 'link', text: 'Pay here:', url: 'https://checkout.stripe.test/p', linkAsPlainText: true },
			[{ chatRef: WA_REF }],
		);
		expect(graph.requests[0].body).toMatchObject({
			type: 'text',
			text: { body: 'Pay here:\nhttps://checkout.stripe.test/p', preview_url: true },
		});
		expect(out[0].json.kind).toBe('text');
	});

	test('reply buttons', async () => {
		const out = await run(
			{
				messageType: 'buttons',
				text: 'Which size?',
				buttons: { button: [{ title: 'Small', id: 'size_s' }, { title: 'Large', id: '' }] },
			},
			[{ chatRef: WA_REF }],
		);
		expect(graph.requests[0].body).toEqual(whatsAppRequest({
			type: 'interactive',
			interactive: {
				type: 'button',
				body: { text: 'Which size?' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'size_s', title: 'Small' } },
						{ type: 'reply', reply: { id: 'Large', title: 'Large' } },
					],
				},
			},
		}));
		expect(out[0].json.kind).toBe('buttons');
	});

	test('reply buttons from JSON, per item: a list becomes buttons, an empty list a plain text', async () => {
		const parameters = { messageType: 'buttons', text: '={{ $json.reply }}', buttonsSource: 'json', buttonsJson: '={{ $json.buttons }}' };
		const out = await run(parameters, [
			{ chatRef: WA_REF, reply: 'Which one?', buttons: [{ id: 'product:deluxe-room', title: 'Deluxe Room' }, { id: 'product:pro', title: 'Pro plan' }] },
			{ chatRef: IG_REF, reply: 'Which one?', buttons: [{ id: 'product:pro', title: 'Pro plan' }] },
			{ chatRef: WA_REF, reply: 'For which dates?', buttons: [] },
		]);
		expect((graph.requests[0].body as IDataObject).interactive).toEqual({
			type: 'button',
			body: { text: 'Which one?' },
			action: {
				buttons: [
					{ type: 'reply', reply: { id: 'product:deluxe-room', title: 'Deluxe Room' } },
					{ type: 'reply', reply: { id: 'product:pro', title: 'Pro plan' } },
				],
			},
		});
		expect((graph.requests[1].body as IDataObject).message).toEqual({ text: 'Which one?', quick_replies: [{ content_type: 'text', title: 'Pro plan', payload: 'product:pro' }] });
		expect(graph.requests[2].body).toMatchObject({ type: 'text', text: { body: 'For which dates?' } });
		expect(out.map((item) => item.json.kind)).toEqual(['buttons', 'buttons', 'text']);
	});

	test('reply buttons from JSON that is not a list of objects: refused before sending, naming the field', async () => {
		for (const buttons of ['not json', '{"id":"x"}', '["x"]']) {
			const error = await runExpectingError({ messageType: 'buttons', text: 'q', buttonsSource: 'json', buttonsJson: buttons }, [{ chatRef: WA_REF }]);
			expect(error.message).toContain('"Buttons (JSON)"');
		}
		const tooMany = await runExpectingError(
			{ messageType: 'buttons', text: 'q', buttonsSource: 'json', buttonsJson: JSON.stringify([1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` }))) },
			[{ chatRef: WA_REF }],
		);
		expect(tooMany.message).toContain('"Buttons"');
		expect(graph.requests).toHaveLength(0);
	});

	test('answers a row of the template\'s tables, which keeps the chat in channel / accountId / userId columns', async () => {
		await run(text('Payment received'), [{ id: 3, sessionId: 'cs_test_1', status: 'paid', ...IG_REF }]);
		expect(graph.requests[0].body).toEqual({ recipient: { id: IG_REF.userId }, message: { text: 'Payment received' } });
	});

	test('answers a chat mapped from an earlier node when the item has none (n8n keeps only the error on error-output items)', async () => {
		await run({ ...text('Sorry, something went wrong'), chat: '={{ $json.original }}' }, [{ error: 'The chat model failed', original: IG_REF }]);
		expect(graph.requests[0].body).toEqual({ recipient: { id: IG_REF.userId }, message: { text: 'Sorry, something went wrong' } });
		await run({ ...text('Sorry'), chat: JSON.stringify(WA_REF) }, [{ error: 'x' }]);
		expect(graph.requests[1].body).toMatchObject({ to: WA_REF.userId, type: 'text' });
		expect(graph.requests[1].path).toContain(`/${WA_PHONE_ID}/messages`);
		const error = await runExpectingError({ ...text('Sorry'), chat: '={{ $json.original }}' }, [{ original: { channel: 'sms', accountId: '1', userId: '2' } }]);
		expect(error.message).toBe('"Chat (When Not on the Item)" is not a chat reference');
		expect(graph.requests).toHaveLength(2);
	});

	test('template with body parameters', async () => {
		const out = await run(
			{
				messageType: 'template',
				templateName: 'order_paid',
				templateLanguage: 'de',
				templateParameters: { parameter: [{ text: 'Ana' }, { text: '={{ $json.total }}' }] },
			},
			[{ chatRef: WA_REF, total: '42,00 €' }],
		);
		expect(graph.requests[0].body).toEqual(whatsAppRequest({
			type: 'template',
			template: {
				name: 'order_paid',
				language: { code: 'de' },
				components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '42,00 €' }] }],
			},
		}));
		expect(out[0].json).toMatchObject({ kind: 'template', fallbackUsed: false });
	});

	test('reply-to quotes the customer\'s message (context.message_id)', async () => {
		await run(text('Got it', { options: { replyToMessageId: '={{ $json.messageId }}' } }), [
			{ chatRef: WA_REF, messageId: 'wamid.INBOUND42' },
		]);
		expect(graph.requests[0].body).toMatchObject({ context: { message_id: 'wamid.INBOUND42' }, type: 'text' });
	});

	test('the chat reference\'s account is the sender, even when the credential names another number', async () => {
		const ref = { ...WA_REF, accountId: '2222222222' };
		const out = await run(text('hi'), [{ chatRef: ref }]);
		expect(graph.requests[0].path).toBe('/v25.0/2222222222/messages');
		expect(out[0].json.chatRef).toEqual(ref);
	});
});

describe('Instagram: every kind, exact request', () => {
	test('text: path by account id, Instagram token, body and output', async () => {
		const out = await run(text('Thanks!'), [{ chatRef: IG_REF }]);
		const [request] = graph.requests;
		expect(request.path).toBe(`/v25.0/${IG_ACCOUNT_ID}/messages`);
		expect(request.headers.authorization).toBe(`Bearer ${IG_TOKEN}`);
		expect(request.body).toEqual({ recipient: { id: '6543210987654321' }, message: { text: 'Thanks!' } });
		expect(out).toEqual([{ json: sentOutput(IG_REF, 'text'), pairedItem: { item: 0 } }]);
	});

	test('link button (button template with one web_url button)', async () => {
		await run({ messageType: 'link', text: 'Your basket', url: 'https://checkout.stripe.test/x', buttonLabel: 'Pay now' }, [
			{ chatRef: IG_REF },
		]);
		expect(graph.requests[0].body).toEqual({
			recipient: { id: '6543210987654321' },
			message: {
				attachment: {
					type: 'template',
					payload: {
						template_type: 'button',
						text: 'Your basket',
						buttons: [{ type: 'web_url', url: 'https://checkout.stripe.test/x', title: 'Pay now' }],
					},
				},
			},
		});
	});

	test('link sent as plain text + URL', async () => {
		await run({ messageType: 'link', text: 'Pay here:', url: 'https://checkout.stripe.test/x', linkAsPlainText: true }, [
			{ chatRef: IG_REF },
		]);
		expect(graph.requests[0].body).toEqual({
			recipient: { id: '6543210987654321' },
			message: { text: 'Pay here:\nhttps://checkout.stripe.test/x' },
		});
	});

	test('quick replies; reply-to is ignored on Instagram', async () => {
		const out = await run(
			{
				messageType: 'buttons',
				text: 'Gift wrap?',
				buttons: { button: [{ title: 'Yes', id: 'wrap_yes' }, { title: 'No', id: 'wrap_no' }] },
				options: { replyToMessageId: 'mid.IN' },
			},
			[{ chatRef: IG_REF }],
		);
		expect(graph.requests[0].body).toEqual({
			recipient: { id: '6543210987654321' },
			message: {
				text: 'Gift wrap?',
				quick_replies: [
					{ content_type: 'text', title: 'Yes', payload: 'wrap_yes' },
					{ content_type: 'text', title: 'No', payload: 'wrap_no' },
				],
			},
		});
		expect(out[0].json.kind).toBe('buttons');
	});

	test('"Instagram Send Path: me" posts to /me/messages (Facebook Login)', async () => {
		await run(text('hi', { options: { instagramSendPath: 'me' } }), [{ chatRef: IG_REF }]);
		expect(graph.requests[0].path).toBe('/v25.0/me/messages');
	});

	test('a template on an Instagram chat is refused before sending', async () => {
		const error = await runExpectingError({ messageType: 'template', templateName: 'x', templateLanguage: 'en' }, [
			{ chatRef: IG_REF },
		]);
		expect(error.message).toContain('Templates exist only on WhatsApp');
		expect(graph.requests).toHaveLength(0);
	});

	test('one run can answer WhatsApp and Instagram chats, each with its own credential', async () => {
		const out = await run(text('hi'), [{ chatRef: WA_REF }, { chatRef: IG_REF }]);
		expect(graph.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
			[`/v25.0/${WA_PHONE_ID}/messages`, `Bearer ${WA_TOKEN}`],
			[`/v25.0/${IG_ACCOUNT_ID}/messages`, `Bearer ${IG_TOKEN}`],
		]);
		expect(out.map((o) => [o.json.channel, o.pairedItem])).toEqual([
			['whatsapp', { item: 0 }],
			['instagram', { item: 1 }],
		]);
	});
});

describe('throttling and retries', () => {
	test('WhatsApp 130429 then success: sent exactly once, output ok', async () => {
		graph.failNext(graphErrors.meta({ status: 400, code: 130429, message: '(#130429) Rate limit hit' }));
		const out = await run(text('hi'), [{ chatRef: WA_REF }]);
		expect(graph.requests).toHaveLength(2);
		expect(graph.requests[1].body).toEqual(graph.requests[0].body);
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({ messageId: acceptedMessageId(), kind: 'text', fallbackUsed: false });
	});

	test('WhatsApp 131056 (pair rate) twice, then success', async () => {
		answerInOrder(
			graphErrors.meta({ status: 400, code: 131056, message: '(#131056) Pair rate limit hit' }),
			graphErrors.meta({ status: 400, code: 131056, message: '(#131056) Pair rate limit hit' }),
		);
		const out = await run(text('hi'), [{ chatRef: WA_REF }]);
		expect(graph.requests).toHaveLength(3);
		expect(out[0].json.messageId).toBe(acceptedMessageId());
	});

	test('HTTP 429 with Retry-After: 0 and no Graph body, then success', async () => {
		graph.failNext({ status: 429, body: '', headers: { 'Retry-After': '0' } });
		const out = await run(text('hi'), [{ chatRef: IG_REF }]);
		expect(graph.requests).toHaveLength(2);
		expect(out[0].json.messageId).toBe(acceptedMessageId());
	});

	test('Instagram 613 and HTTP 503 / 500, then success', async () => {
		answerInOrder(
			graphErrors.meta({ status: 400, code: 613, message: 'Calls to this api have exceeded the rate limit.' }),
			{ status: 503, body: '' },
			graphErrors.meta({ status: 500, code: 2, message: 'An unexpected error has occurred. Please retry your request later.' }),
		);
		const out = await run(text('hi'), [{ chatRef: IG_REF }]);
		expect(graph.requests).toHaveLength(4);
		expect(out[0].json.messageId).toBe(acceptedMessageId());
	});

	test('throttled forever: a clear error after 1 + Max Retries attempts', async () => {
		graph.failNext(graphErrors.meta({ status: 400, code: 130429, message: '(#130429) Rate limit hit', fbtraceId: 'TRACE-T' }), 10);
		const error = await runExpectingError(text('hi', { retry: { ...FAST_RETRY, maxRetries: 2 } }), [{ chatRef: WA_REF }]);
		expect(graph.requests).toHaveLength(3);
		expect(error.message).toBe('Meta is throttling this number: Still rate-limited after 3 attempts.');
		expect(error.description).toContain('fbtrace_id: TRACE-T');
		expect(error.context.itemIndex).toBe(0);
	});

	test('default Max Retries is 3 → 4 attempts', async () => {
		graph.failNext({ status: 429, body: '' }, 10);
		const error = await runExpectingError(text('hi'), [{ chatRef: IG_REF }]);
		expect(graph.requests).toHaveLength(4);
		expect(error.message).toBe('Meta is throttling this Instagram account: Still rate-limited after 4 attempts.');
	});

	test('Retry-After: 1 beyond Max Wait fails at once instead of waiting', async () => {
		graph.failNext({ status: 429, body: '', headers: { 'Retry-After': '1' } });
		const error = await runExpectingError(text('hi', { retry: { maxDelayMs: 500 } }), [{ chatRef: WA_REF }]);
		expect(graph.requests).toHaveLength(1);
		expect(error.message).toContain('Meta asked to wait 1 s, longer than "Retry › Max Wait" (0.5 s)');
	});

	test('a dropped connection after the request was sent is not retried', async () => {
		graph.failNext(graphErrors.connectionDropped());
		const error = await runExpectingError(text('hi'), [{ chatRef: WA_REF }]);
		expect(graph.requests).toHaveLength(1);
		expect(error.message).toBe(
			'Could not confirm that WhatsApp accepted the message: the connection failed after the request was sent',
		);
		expect(error.description).toContain('not retried');
	});

	test('HTTP 504 is not retried either', async () => {
		graph.failNext({ status: 504, body: '' });
		const error = await runExpectingError(text('hi'), [{ chatRef: WA_REF }]);
		expect(graph.requests).toHaveLength(1);
		expect(error.message).toContain('Could not confirm');
	});

	test('connection refused is retried, then reported as not sent', async () => {
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const error = await runExpectingError(text('hi'), [{ chatRef: WA_REF }], { baseUrl: `http://127.0.0.1:${port}` });
		expect(error.message).toBe('Could not reach the Graph API; nothing was sent');
		expect(error.description).toContain('after 4 attempts');
	});

	test('an invalid-parameter error is not retried', async () => {
		graph.failNext(graphErrors.meta({ status: 400, code: 100, message: '(#100) Invalid parameter' }));
		await runExpectingError(text('hi'), [{ chatRef: WA_REF }]);
		expect(graph.requests).toHaveLength(1);
	});
});

describe('24-hour window', () => {
	const windowClosed = graphErrors.meta({ status: 400, code: 131047, message: '(#131047) Re-engagement message', details: 'More than 24 hours have passed since the recipient last replied to the sender number.', fbtraceId: 'TRACE-24' });
	const fallback = {
		windowClosedFallback: true,
		fallbackTemplateName: 'order_follow_up',
		fallbackTemplateLanguage: 'en_US',
		fallbackTemplateParameters: { parameter: [{ text: '={{ $json.name }}' }] },
	};

	test('WhatsApp 131047 → operator message with fbtrace_id; not retried', async () => {
		graph.failNext(windowClosed);
		const error = await runExpectingError(text('hi'), [{ chatRef: WA_REF }]);
		expect(graph.requests).toHaveLength(1);
		expect(error.message).toBe('Not sent: the customer last wrote more than 24 h ago: send an approved template');
		expect(error.description).toContain('fbtrace_id: TRACE-24');
		expect(error.description).toContain('WhatsApp Manager → Message templates');
		expect((error as NodeError & { httpCode?: string }).httpCode).toBe('400');
	});

	test('Instagram window error (code 10 / 2534022) → operator message', async () => {
		graph.failNext(
			graphErrors.meta({ status: 403, code: 10, message: 'This message is sent outside of allowed window.', subcode: 2534022, type: 'IGApiException', fbtraceId: 'TRACE-IG' }),
		);
		const error = await runExpectingError(text('hi', fallback), [{ chatRef: IG_REF, name: 'Ana' }]);
		expect(graph.requests).toHaveLength(1);
		expect(error.message).toContain('the customer last wrote more than 24 h ago');
		expect(error.description).toContain('fbtrace_id: TRACE-IG');
	});

	test('with the fallback on: the template is sent, kind template, fallbackUsed true', async () => {
		graph.failNext(windowClosed);
		const out = await run(
			{ messageType: 'link', text: 'Pay', url: 'https://x.test/p', buttonLabel: 'Pay', ...fallback, options: { replyToMessageId: 'wamid.IN' } },
			[{ chatRef: WA_REF, name: 'Ana' }],
		);
		expect(graph.requests).toHaveLength(2);
		expect(graph.requests[0].body).toMatchObject({ type: 'interactive' });
		expect(graph.requests[1].path).toBe(`/v25.0/${WA_PHONE_ID}/messages`);
		expect(graph.requests[1].body).toEqual(whatsAppRequest({
			type: 'template',
			template: {
				name: 'order_follow_up',
				language: { code: 'en_US' },
				components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
			},
			context: { message_id: 'wamid.IN' },
		}));
		expect(out).toEqual([{ json: sentOutput(WA_REF, 'template', true), pairedItem: { item: 0 } }]);
	});

	test('the fallback is not sent when the first message goes through', async () => {
		const out = await run(text('hi', fallback), [{ chatRef: WA_REF, name: 'Ana' }]);
		expect(graph.requests).toHaveLength(1);
		expect(out[0].json).toMatchObject({ kind: 'text', fallbackUsed: false });
	});

	test('a failing fallback says so', async () => {
		answerInOrder(windowClosed, graphErrors.meta({ status: 400, code: 132001, message: '(#132001) Template name does not exist in the translation' }));
		const error = await runExpectingError(text('hi', fallback), [{ chatRef: WA_REF, name: 'Ana' }]);
		expect(graph.requests).toHaveLength(2);
		expect(error.message).toMatch(/^The 24-hour window was closed and the fallback template failed too: No approved template/);
	});

	test('an invalid fallback template is caught before anything is sent', async () => {
		const error = await runExpectingError(text('hi', { ...fallback, fallbackTemplateName: '' }), [{ chatRef: WA_REF, name: 'Ana' }]);
		expect(graph.requests).toHaveLength(0);
		expect(error.message).toContain('"Fallback Template Name" is empty');
	});
});

describe('expired token (190)', () => {
	test('WhatsApp: names the credential and where to renew it; sent once (no re-send on 401)', async () => {
		graph.failNext(graphErrors.meta({ status: 401, code: 190, message: 'Error validating access token: Session has expired', subcode: 463, fbtraceId: 'TRACE-190' }));
		const error = await runExpectingError(text('hi'), [{ chatRef: WA_REF }]);
		expect(graph.requests).toHaveLength(1);
		expect(error.message).toContain('WhatsApp Cloud API credential (chatCheckoutWhatsAppApi)');
		expect(error.description).toContain('Meta Business Settings → Users → System users');
		expect(error.description).toContain('fbtrace_id: TRACE-190');
		expect(JSON.stringify({ m: error.message, d: error.description, c: error.context })).not.toContain(WA_TOKEN);
	});

	test('Instagram: names the Instagram credential', async () => {
		graph.failNext(graphErrors.meta({ status: 400, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }));
		const error = await runExpectingError(text('hi'), [{ chatRef: IG_REF }]);
		expect(error.message).toContain('Instagram Messaging API credential (chatCheckoutInstagramApi)');
	});
});

describe('limits are checked before any request', () => {
	const cases: Array<[string, INodeParameters, IDataObject, string]> = [
		['WhatsApp text over 4096', text('a'.repeat(4097)), WA_REF, '"Text"'],
		['Instagram text over 1000 bytes', text('ü'.repeat(501)), IG_REF, '"Text"'],
		['interactive body over 1024', { messageType: 'buttons', text: 'a'.repeat(1025), buttons: { button: [{ title: 'A' }] } }, WA_REF, '"Text"'],
		['CTA label over 20', { messageType: 'link', text: 'x', url: 'https://x.test', buttonLabel: 'Complete your payment now' }, WA_REF, '"Button Label"'],
		['IG button template text over 640', { messageType: 'link', text: 'a'.repeat(641), url: 'https://x.test', buttonLabel: 'Pay' }, IG_REF, '"Text"'],
		['URL not http(s)', { messageType: 'link', text: 'x', url: 'ftp://x.test/f', buttonLabel: 'Pay' }, WA_REF, '"URL"'],
		['4 reply buttons', { messageType: 'buttons', text: 'q', buttons: { button: [{ title: 'a' }, { title: 'b' }, { title: 'c' }, { title: 'd' }] } }, WA_REF, '"Buttons"'],
		['no reply buttons', { messageType: 'buttons', text: 'q' }, IG_REF, '"Buttons"'],
		['reply title over 20', { messageType: 'buttons', text: 'q', buttons: { button: [{ title: 'a'.repeat(21) }] } }, WA_REF, '"Buttons › Title"'],
		['quick reply title over 20', { messageType: 'buttons', text: 'q', buttons: { button: [{ title: 'a'.repeat(21) }] } }, IG_REF, '"Buttons › Title"'],
		['reply id over 256', { messageType: 'buttons', text: 'q', buttons: { button: [{ title: 'a', id: 'i'.repeat(257) }] } }, WA_REF, '"Buttons › ID"'],
		['template without a name', { messageType: 'template', templateName: '', templateLanguage: 'en' }, WA_REF, '"Template Name"'],
		['template without a language', { messageType: 'template', templateName: 'x', templateLanguage: '' }, WA_REF, '"Template Language"'],
		['empty template parameter', { messageType: 'template', templateName: 'x', templateLanguage: 'en', templateParameters: { parameter: [{ text: '' }] } }, WA_REF, '"Template Parameters"'],
		['21 template parameters', { messageType: 'template', templateName: 'x', templateLanguage: 'en', templateParameters: { parameter: Array.from({ length: 21 }, (_, i) => ({ text: `v${i}` })) } }, WA_REF, '"Template Parameters"'],
		['empty text', text('   '), WA_REF, '"Text"'],
	];
	test.each(cases)('%s', async (_name, parameters, chatRef, field) => {
		const error = await runExpectingError(parameters, [{ chatRef }]);
		expect(graph.requests).toHaveLength(0);
		expect(error.message).toContain(field);
		expect(error.description).toContain(`Field: ${field}`);
		expect(error.context.itemIndex).toBe(0);
	});
});

describe('explicit recipient', () => {
	test('WhatsApp: the typed number is normalised and sent from the credential\'s phone number', async () => {
		const out = await run(
			{ destination: 'explicit', channel: 'whatsapp', recipientId: '+49 151 1234-5678', ...text('hi') },
			[{}],
			{ creds: 'whatsapp' },
		);
		expect(graph.requests[0].path).toBe(`/v25.0/${WA_PHONE_ID}/messages`);
		expect(graph.requests[0].body).toMatchObject({ to: '4915112345678' });
		expect(out[0].json).toMatchObject({
			channel: 'whatsapp',
			recipient: '4915112345678',
			chatRef: { channel: 'whatsapp', accountId: WA_PHONE_ID, userId: '4915112345678' },
		});
	});

	test('Instagram: an IGSID, sent from the credential\'s account, and a chatRef on the item is ignored', async () => {
		const out = await run(
			{ destination: 'explicit', channel: 'instagram', recipientId: ' 999888777 ', ...text('hi') },
			[{ chatRef: WA_REF }],
			{ creds: 'instagram' },
		);
		expect(graph.requests[0].path).toBe(`/v25.0/${IG_ACCOUNT_ID}/messages`);
		expect(graph.requests[0].body).toEqual({ recipient: { id: '999888777' }, message: { text: 'hi' } });
		expect(out[0].json.chatRef).toEqual({ channel: 'instagram', accountId: IG_ACCOUNT_ID, userId: '999888777' });
	});

	test('channel and recipient can come from expressions; an unknown channel is refused', async () => {
		await run({ destination: 'explicit', channel: '={{ $json.ch }}', recipientId: '={{ $json.to }}', ...text('hi') }, [
			{ ch: 'instagram', to: '123' },
			{ ch: 'whatsapp', to: '4915100000000' },
		]);
		expect(graph.requests.map((r) => r.path)).toEqual([`/v25.0/${IG_ACCOUNT_ID}/messages`, `/v25.0/${WA_PHONE_ID}/messages`]);
		const error = await runExpectingError({ destination: 'explicit', channel: '={{ $json.ch }}', recipientId: '1', ...text('hi') }, [
			{ ch: 'telegram' },
		]);
		expect(error.message).toBe('"Channel" must be whatsapp or instagram, not "telegram"');
		expect(graph.requests).toHaveLength(2);
	});

	test('a recipient that is not a WhatsApp ID names the field; nothing is sent', async () => {
		const error = await runExpectingError(
			{ destination: 'explicit', channel: 'whatsapp', recipientId: 'ana@example.test', ...text('hi') },
			[{}],
		);
		expect(graph.requests).toHaveLength(0);
		expect(error.message).toContain('"Recipient ID"');
	});
});

describe('chat reference and credentials', () => {
	test('an item without chatRef: error naming the field and the nodes to put before', async () => {
		const error = await runExpectingError(text('hi'), [{ orderId: 7 }]);
		expect(graph.requests).toHaveLength(0);
		expect(error.message).toBe('The item has no chat reference ("chatRef" field), so there is no chat to reply to');
		expect(error.description).toContain('WhatsApp Trigger, Instagram Trigger, Stripe Checkout or Stripe Webhook Verify');
		expect(error.description).toContain('"Set Explicitly"');
	});

	test('chatRef: null (an error item of Create Stripe Checkout without a chat) counts as missing', async () => {
		const error = await runExpectingError(text('hi'), [{ chatRef: null, error: 'x' }]);
		expect(error.message).toContain('The item has no chat reference');
	});

	test('a malformed chatRef is called out as such', async () => {
		const error = await runExpectingError(text('hi'), [{ chatRef: { channel: 'telegram', accountId: '1', userId: '2' } }]);
		expect(error.message).toBe('The item\'s "chatRef" field is not a valid chat reference');
	});

	test('an Instagram item on a node with only a WhatsApp credential: names the missing credential', async () => {
		const error = await runExpectingError(text('hi'), [{ chatRef: IG_REF }], { creds: 'whatsapp' });
		expect(graph.requests).toHaveLength(0);
		expect(error.message).toBe(
			'This item\'s chat is on Instagram, but no Instagram Messaging API credential is selected on this node',
		);
		expect(error.description).toContain('chatCheckoutInstagramApi');
	});

	test('a WhatsApp-only setup works without an Instagram credential', async () => {
		const out = await run(text('hi'), [{ chatRef: WA_REF }], { creds: 'whatsapp' });
		expect(out[0].json.messageId).toBe(acceptedMessageId());
	});
});

describe('continueOnFail and paired items', () => {
	const items = [{ chatRef: WA_REF }, { orderId: 2 }, { chatRef: IG_REF }, { chatRef: WA_REF }];

	test('every item gets an output paired with it; failures carry the error and the chat reference', async () => {
		answerInOrder(
			{ status: 200, body: { messages: [{ id: 'wamid.FIRST' }] } },
			graphErrors.meta({ status: 403, code: 10, message: 'This message is sent outside of allowed window.', subcode: 2534022 }),
		);
		const out = await run(text('hi'), items, { continueOnFail: true });
		expect(graph.requests).toHaveLength(3);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(out[0].json.messageId).toBe('wamid.FIRST');
		expect(out[1].json.error).toContain('no chat reference');
		expect(out[1].json).not.toHaveProperty('chatRef');
		expect(out[2].json.error).toContain('more than 24 h ago');
		expect(out[2].json.chatRef).toEqual(IG_REF);
		expect(out[3].json).toMatchObject({ messageId: acceptedMessageId(), channel: 'whatsapp' });
		// n8n routes items carrying `error` to the error output ("Continue (using error output)")
		expect(out.map((o) => o.error !== undefined)).toEqual([false, true, true, false]);
		expect(JSON.stringify(out)).not.toMatch(/secret-token/);
	});

	test('without continueOnFail the run stops at the failing item, with its index', async () => {
		const error = await runExpectingError(text('hi'), items);
		expect(graph.requests).toHaveLength(1);
		expect(error.context.itemIndex).toBe(1);
	});
});

describe('node description', () => {
	const description = new SendChatMessage().description;

	test('action node usable as a tool, themed chat icon, both credentials optional', () => {
		expect(description.name).toBe('sendChatMessage');
		expect(description.usableAsTool).toBe(true);
		expect(description.icon).toEqual({ light: 'file:../../icons/chat.svg', dark: 'file:../../icons/chat.dark.svg' });
		expect(description.credentials?.map((c) => [c.name, c.required])).toEqual([
			['chatCheckoutWhatsAppApi', false],
			['chatCheckoutInstagramApi', false],
		]);
	});

	test('credentials shown: both when replying to the item (a stale channel is dropped), one when set explicitly', () => {
		const shown = (parameters: INodeParameters) => {
			const resolved = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, null, description)!;
			return description.credentials!.filter((c) => NodeHelpers.displayParameter(resolved, c, null, description)).map((c) => c.name);
		};
		expect(shown({ destination: 'chatRef', channel: 'instagram' })).toEqual(['chatCheckoutWhatsAppApi', 'chatCheckoutInstagramApi']);
		expect(shown({ destination: 'explicit' })).toEqual(['chatCheckoutWhatsAppApi']);
		expect(shown({ destination: 'explicit', channel: 'instagram' })).toEqual(['chatCheckoutInstagramApi']);
		expect(shown({ destination: 'explicit', channel: '={{ $json.ch }}' })).toEqual([
			'chatCheckoutWhatsAppApi',
			'chatCheckoutInstagramApi',
		]);
	});

	test('retry defaults shown in the UI are the policy defaults', () => {
		const retry = description.properties.find((p) => p.name === 'retry')!;
		const defaults = Object.fromEntries((retry.options as Array<{ name: string; default: unknown }>).map((o) => [o.name, o.default]));
		expect(defaults).toEqual(DEFAULT_RETRY_POLICY);
	});
});
