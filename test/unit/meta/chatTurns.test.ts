import type { IDataObject } from 'n8n-workflow';

import { ChatCheckoutInstagramApi } from '../../../credentials/ChatCheckoutInstagramApi.credentials';
import { ChatCheckoutWhatsAppApi } from '../../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { InstagramTrigger } from '../../../nodes/InstagramTrigger/InstagramTrigger.node';
import { WhatsAppTrigger } from '../../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { closeAllOpenTurns, collectTurns, openTurnCount, turnOptions } from '../../../nodes/shared/meta/chatTurns';
import type { InboundEvent } from '../../../nodes/shared/meta/inboundEvents';
import { inboundEvent } from '../../../nodes/shared/meta/inboundEvents';
import { moduleAsAnotherProcess } from '../../support/anotherProcess';
import { useIsolatedUserFolder } from '../../support/dedupeDir';
import type { WebhookOutcome } from '../../support/n8n';
import { callWebhook } from '../../support/n8n';
import {
	APP_SECRET,
	IG_ACCOUNT_ID,
	PHONE_NUMBER_ID,
	VERIFY_TOKEN,
	igText,
	instagramBody,
	metaSignature,
	waButtonReply,
	waStatus,
	waText,
	whatsAppBody,
	whatsAppValue,
} from '../../../tools/sandbox/metaWebhooks';

useIsolatedUserFolder();

const QUIET_SECONDS = 0.3;

function message(userId: string, messageId: string, text: string): InboundEvent {
	return inboundEvent({
		event: 'message',
		channel: 'whatsapp',
		accountId: PHONE_NUMBER_ID,
		userId,
		messageId,
		timestamp: '2026-06-01T09:30:00.000Z',
		type: 'text',
		text,
		reply: null,
		profileName: null,
		status: null,
		raw: {},
	});
}


/** The module as a new n8n process has it (its 'stopping' state is per process). */
const freshChatTurns = () =>
	moduleAsAnotherProcess<typeof import('../../../nodes/shared/meta/chatTurns')>(require.resolve('../../../nodes/shared/meta/chatTurns'));

describe('collectTurns (pure)', () => {
	it('returns the events unchanged when combining is off', async () => {
		const events = [message('1', 'a', 'hi'), message('1', 'b', 'deluxe')];
		expect(await collectTurns('scope-off', events, turnOptions(0))).toBe(events);
	});

	it('answers the turn only after the chat was quiet, with every message in order', async () => {
		const started = Date.now();
		const first = collectTurns('scope-quiet', [message('1', 'a', 'hi')], turnOptions(QUIET_SECONDS));
		await new Promise((resolve) => setTimeout(resolve, 150));
		const second = await collectTurns('scope-quiet', [message('1', 'b', 'deluxe room')], turnOptions(QUIET_SECONDS));
		expect(second).toEqual([]); // joined the open turn: emitted by the first call
		const [turn] = (await first) as Array<InboundEvent & { messages: unknown[] }>;
		// The second message restarted the quiet window: ≥ 150 ms + 300 ms after the first.
		expect(Date.now() - started).toBeGreaterThanOrEqual(440);
		expect(turn.text).toBe('hi\ndeluxe room');
		expect(turn.messageId).toBe('b');
		expect(turn.messages.map((m) => (m as IDataObject).messageId)).toEqual(['a', 'b']);
		expect(openTurnCount()).toBe(0);
	});

	it('a process asked to stop answers its open turns at once, with what each has so far', async () => {
		const started = Date.now();
		const turns = Promise.all([
			collectTurns('scope-stop', [message('1', 'a', 'hi'), message('2', 'b', 'deluxe room')], turnOptions(30)),
			collectTurns('scope-stop', [message('1', 'c', 'june 20-23')], turnOptions(30)),
		]);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(openTurnCount()).toBe(2);
		expect(closeAllOpenTurns()).toBe(2);
		const [opened, joined] = await turns;
		expect(Date.now() - started).toBeLessThan(1000); // not the 30 s window
		expect(opened.map((t) => [t.chatRef.userId, t.text])).toEqual([['1', 'hi\njune 20-23'], ['2', 'deluxe room']]);
		expect(joined).toEqual([]);
		expect(openTurnCount()).toBe(0);
		expect(closeAllOpenTurns()).toBe(0);
	});

	it("a stop signal closes the open turns first and reaches n8n's own handler after the hand-off time; with none open, at once", async () => {
		const { collectTurns, deferSignalUntilTurnsHandedOff } = freshChatTurns(); // a process of its own: it stops
		// SIGUSR2 stands for n8n's SIGTERM handler here (jest has its own SIGTERM listeners).
		const n8nStops: number[] = [];
		process.once('SIGUSR2', () => n8nStops.push(Date.now()));
		deferSignalUntilTurnsHandedOff('SIGUSR2', 300);
		const turn = collectTurns('scope-signal', [message('1', 'a', 'deluxe room')], turnOptions(30));
		await new Promise((resolve) => setTimeout(resolve, 20));
		const signalledAt = Date.now();
		process.emit('SIGUSR2' as NodeJS.Signals);
		const [answered] = await turn;
		expect(answered.text).toBe('deluxe room');
		expect(Date.now() - signalledAt).toBeLessThan(200); // the turn starts at once …
		expect(n8nStops).toEqual([]); // … while n8n's handler waits for its run to be taken
		// A message that reaches the stopping process meanwhile is not held for a turn either.
		const lateAt = Date.now();
		const [late] = await collectTurns('scope-signal', [message('2', 'b', 'pro plan')], turnOptions(30));
		expect([late.text, Date.now() - lateAt < 100]).toEqual(['pro plan', true]);
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(n8nStops).toHaveLength(1);
		expect(n8nStops[0] - signalledAt).toBeGreaterThanOrEqual(290);
		expect(process.listenerCount('SIGUSR2')).toBe(0);

		process.once('SIGUSR2', () => n8nStops.push(Date.now()));
		deferSignalUntilTurnsHandedOff('SIGUSR2', 300);
		process.emit('SIGUSR2' as NodeJS.Signals);
		expect(n8nStops).toHaveLength(2); // no open turn: synchronously, as without the pack
	});

	it('a second stop signal during the hand-off goes on to n8n at once, and only once', async () => {
		const { collectTurns, deferSignalUntilTurnsHandedOff } = freshChatTurns();
		const n8nStops: number[] = [];
		process.once('SIGUSR2', () => n8nStops.push(Date.now()));
		deferSignalUntilTurnsHandedOff('SIGUSR2', 5000);
		const turn = collectTurns('scope-signal-twice', [message('1', 'a', 'hi')], turnOptions(30));
		await new Promise((resolve) => setTimeout(resolve, 20));
		process.emit('SIGUSR2' as NodeJS.Signals);
		await turn;
		expect(n8nStops).toHaveLength(0);
		process.emit('SIGUSR2' as NodeJS.Signals);
		expect(n8nStops).toHaveLength(1);
		expect(process.listenerCount('SIGUSR2')).toBe(0);
	});

	it('keeps chats apart and answers a chatty customer at the latest 4× the window after the first message', async () => {
		const options = turnOptions(0.1);
		const ada = collectTurns('scope-two', [message('ada', 'a1', 'hello')], options);
		const ben = collectTurns('scope-two', [message('ben', 'b1', 'pro plan')], options);
		const started = Date.now();
		// Ada keeps writing every 60 ms: the quiet window never elapses, the 400 ms cap does.
		const writes: Array<Promise<InboundEvent[]>> = [];
		for (let i = 2; i <= 9; i++) {
			await new Promise((resolve) => setTimeout(resolve, 60));
			writes.push(collectTurns('scope-two', [message('ada', `a${i}`, `line ${i}`)], options));
		}
		const [adaTurn] = await ada;
		expect(Date.now() - started).toBeLessThan(700);
		expect(adaTurn.chatRef.userId).toBe('ada');
		const [benTurn] = await ben;
		expect(benTurn.text).toBe('pro plan');
		const later = (await Promise.all(writes)).flat();
		// Messages after the cap opened a new turn, emitted by the call that opened it.
		expect(later.length).toBeGreaterThanOrEqual(1);
		const all = [adaTurn, ...later].flatMap((t) => (t as InboundEvent & { messages: Array<{ messageId: string }> }).messages.map((m) => m.messageId));
		expect(all).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9']);
	});

	it('never holds statuses and never lets one chat hold more than 20 messages', async () => {
		const status = { ...message('1', 's', ''), event: 'status' as const };
		expect(await collectTurns('scope-status', [status], turnOptions(5))).toEqual([status]);
		const many = Array.from({ length: 20 }, (_, i) => message('1', `m${i}`, `m${i}`));
		const started = Date.now();
		const [turn] = await collectTurns('scope-many', many, turnOptions(5));
		expect(Date.now() - started).toBeLessThan(1000);
		expect((turn as InboundEvent & { messages: unknown[] }).messages).toHaveLength(20);
	});
});

const waCredentials = {
	chatCheckoutWhatsAppApi: {
		accessToken: 'not-used',
		appSecret: APP_SECRET,
		verifyToken: VERIFY_TOKEN,
		phoneNumberId: PHONE_NUMBER_ID,
		graphApiVersion: 'v25.0',
		baseUrl: 'http://127.0.0.1:9',
	},
};
const igCredentials = {
	chatCheckoutInstagramApi: {
		accessToken: 'not-used',
		appSecret: APP_SECRET,
		verifyToken: VERIFY_TOKEN,
		accountId: IG_ACCOUNT_ID,
		graphApiVersion: 'v25.0',
		baseUrl: 'http://127.0.0.1:9',
	},
};

function postWhatsApp(body: object, mode: 'webhook' | 'manual' = 'webhook'): Promise<WebhookOutcome> {
	const raw = JSON.stringify(body);
	return callWebhook(
		{
			nodeType: new WhatsAppTrigger(),
			parameters: { options: { combineWithinSeconds: QUIET_SECONDS } },
			credentials: waCredentials,
			credentialTypes: [new ChatCheckoutWhatsAppApi()],
		},
		{ method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': metaSignature(raw) }, mode },
	);
}

describe('WhatsApp Trigger with "Combine Quick Messages"', () => {
	it('a burst of three POSTs: Meta gets three immediate 200s, one run starts with the whole turn', async () => {
		const answered: number[] = [];
		const started = Date.now();
		const first = postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waText('wamid.1', '4915100000001', 'hi')] })]));
		await new Promise((resolve) => setTimeout(resolve, 50));
		const second = await postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waText('wamid.2', '4915100000001', 'deluxe room')] })]));
		answered.push(Date.now() - started);
		const third = await postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waText('wamid.3', '4915100000001', 'june 20-23')] })]));
		answered.push(Date.now() - started);
		for (const later of [second, third]) {
			expect(later.response.statusCode).toBe(200);
			expect(later.response.ended).toBe(true);
			expect(later.items).toHaveLength(0); // no run of its own
		}
		expect(Math.max(...answered)).toBeLessThan(250); // answered at once, not after the window
		const opened = await first;
		expect(opened.response.statusCode).toBe(200);
		expect(opened.response.ended).toBe(true);
		expect(opened.result.noWebhookResponse).toBe(true);
		expect(opened.items).toHaveLength(1);
		const turn = opened.items[0].json;
		expect(turn.text).toBe('hi\ndeluxe room\njune 20-23');
		expect(turn.messageId).toBe('wamid.3');
		expect((turn.messages as IDataObject[]).map((m) => m.messageId)).toEqual(['wamid.1', 'wamid.2', 'wamid.3']);
		expect(turn.chatRef).toEqual({ channel: 'whatsapp', accountId: PHONE_NUMBER_ID, userId: '4915100000001' });
		expect(turn).not.toHaveProperty('dedupeKey');
	});

	it('two customers writing at the same time get one turn each, never mixed', async () => {
		const ada = postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waText('wamid.a1', '4915100000011', 'deluxe room')] })]));
		const ben = postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waText('wamid.b1', '4915100000022', 'pro plan')] })]));
		await postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waText('wamid.b2', '4915100000022', 'two seats')] })]));
		await postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waText('wamid.a2', '4915100000011', 'june 20-23')] })]));
		const [adaTurn] = (await ada).items;
		const [benTurn] = (await ben).items;
		expect(adaTurn.json.text).toBe('deluxe room\njune 20-23');
		expect(benTurn.json.text).toBe('pro plan\ntwo seats');
	});

	it('one POST carrying two chats: one item per chat, messages in order', async () => {
		const body = whatsAppBody([
			whatsAppValue({
				messages: [waText('wamid.x1', '4915100000031', 'hello'), waText('wamid.y1', '4915100000032', 'hi there'), waText('wamid.x2', '4915100000031', 'deluxe')],
			}),
		]);
		const outcome = await postWhatsApp(body);
		expect(outcome.items.map((i) => i.json.text)).toEqual(['hello\ndeluxe', 'hi there']);
	});

	it('a tapped reply button joins the turn with its title as text and keeps its payload', async () => {
		const first = postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waText('wamid.t1', '4915100000041', 'I want to book')] })]));
		await postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waButtonReply('wamid.t2', '4915100000041', 'product:deluxe-room', 'Deluxe Room')] })]));
		const [turn] = (await first).items;
		expect(turn.json.text).toBe('I want to book\nDeluxe Room');
		expect(turn.json.reply).toEqual({ kind: 'button', payload: 'product:deluxe-room', title: 'Deluxe Room' });
	});

	it('statuses alone start their run at once', async () => {
		const raw = JSON.stringify(whatsAppBody([whatsAppValue({ statuses: [waStatus('wamid.s1', '4915100000051', 'read')] })]));
		const started = Date.now();
		const outcome = await callWebhook(
			{
				nodeType: new WhatsAppTrigger(),
				parameters: { options: { combineWithinSeconds: 5, include: ['status'] } },
				credentials: waCredentials,
				credentialTypes: [new ChatCheckoutWhatsAppApi()],
			},
			{ method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': metaSignature(raw) } },
		);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(outcome.items).toHaveLength(1);
		expect(outcome.items[0].json.event).toBe('status');
	});

	it('the editor\'s test listener gets each message at once', async () => {
		const started = Date.now();
		const outcome = await postWhatsApp(whatsAppBody([whatsAppValue({ messages: [waText('wamid.m1', '4915100000061', 'hi')] })]), 'manual');
		expect(Date.now() - started).toBeLessThan(QUIET_SECONDS * 1000);
		expect(outcome.items).toHaveLength(1);
		expect(outcome.items[0].json).not.toHaveProperty('messages');
	});
});

describe('Instagram Trigger with "Combine Quick Messages"', () => {
	it('combines an Instagram burst the same way', async () => {
		const post = (mid: string, text: string) => {
			const raw = JSON.stringify(instagramBody([{ messaging: [igText(mid, '7000000000000077', text)] }]));
			return callWebhook(
				{
					nodeType: new InstagramTrigger(),
					parameters: { options: { combineWithinSeconds: QUIET_SECONDS } },
					credentials: igCredentials,
					credentialTypes: [new ChatCheckoutInstagramApi()],
				},
				{ method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': metaSignature(raw) } },
			);
		};
		const first = post('mid.1', 'hello');
		const second = await post('mid.2', 'the pro plan please');
		expect(second.items).toHaveLength(0);
		const [turn] = (await first).items;
		expect(turn.json.text).toBe('hello\nthe pro plan please');
		expect(turn.json.chatRef).toEqual({ channel: 'instagram', accountId: IG_ACCOUNT_ID, userId: '7000000000000077' });
	});
});
