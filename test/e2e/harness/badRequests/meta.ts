/** The WhatsApp and Instagram Triggers' side of the model: Meta's signature, and payloads answered without a run. */
import crypto from 'node:crypto';
import { parsesAsJson } from './n8nBody';
import type { Rng } from './random';
import { IG_ACCOUNT_ID, PHONE_NUMBER_ID } from './samples';
import type { Kit, Secrets } from './types';

const META_IGNORED_ANSWER = Object.freeze({ received: true, events: 0 });

/**
 * Payloads of wrong shapes for a Meta trigger: JSON the trigger answers 200 without a run. None of them
 * holds a complete customer message (account id + sender + message id) the trigger would emit.
 */
function metaWrongShapes(channel: 'whatsapp' | 'instagram'): Array<(rng: Rng) => unknown> {
	const wa = 'whatsapp_business_account';
	const change = (value: unknown, field = 'messages') => ({ object: wa, entry: [{ id: '200000000000001', changes: [{ field, value }] }] });
	const meta = { display_phone_number: '15550001111', phone_number_id: PHONE_NUMBER_ID };
	const message = (r: Rng) => ({ from: r.digits(13), id: `wamid.${r.text(8)}`, timestamp: String(r.int(1, 2e9)), type: 'text', text: { body: r.text(r.int(0, 40)) } });
	const ig = (entry: unknown) => ({ object: 'instagram', entry });
	const igEntry = (messaging: unknown) => [{ id: IG_ACCOUNT_ID, time: 1780000000000, messaging }];
	const sender = (r: Rng) => ({ id: r.digits(16) });
	const common: Array<(rng: Rng) => unknown> = [
		() => null,
		() => true,
		(r) => r.int(-1e9, 1e9),
		() => 1e308,
		(r) => r.text(r.int(0, 30)),
		() => [],
		(r) => Array.from({ length: r.int(1, 5) }, () => r.json(2)),
		() => ({}),
		(r) => ({ object: r.pick([null, 0, 1, true, [], {}, '', 'page', 'user', 'permissions', 'WHATSAPP_BUSINESS_ACCOUNT', 'Instagram', 'instagram ', ' whatsapp_business_account']), entry: [] }),
		(r) => ({ entry: [{ changes: [{ field: 'messages', value: { metadata: meta, messages: [message(r)] } }] }] }), // object missing
		(r) => ({ object: 'page', entry: [{ id: '1', messaging: [{ sender: sender(r), recipient: { id: '1' }, message: { mid: 'm.1', text: 'hi' } }] }] }),
		(r) => ({ ['__proto__']: { object: channel === 'whatsapp' ? wa : 'instagram' }, zz: r.json(1) }),
		() => JSON.parse(`{"constructor":{"prototype":{"object":"${channel === 'whatsapp' ? wa : 'instagram'}"}}}`),
		(r) => ({ object: channel === 'whatsapp' ? 'instagram' : wa, zz: r.json(2) }),
	];
	if (channel === 'whatsapp') {
		return [
			...common,
			// the other channel's complete message: not a WhatsApp payload
			(r) => ig(igEntry([{ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, timestamp: 1780000000000, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }])),
			() => ({ object: wa }),
			(r) => ({ object: wa, entry: r.pick([null, {}, 'entry', 1, true]) }),
			(r) => ({ object: wa, entry: [null, 1, 'x', [], r.json(1)] }),
			() => ({ object: wa, entry: [{}] }),
			(r) => ({ object: wa, entry: [{ id: '1', changes: r.pick([null, {}, 'x', [null], [1, 'x']]) }] }),
			(r) => change(undefined, r.pick(['messages', 'statuses'])),
			(r) => change(r.pick([[], 'value', 0, null])),
			(r) => change({ metadata: meta, messages: [message(r)] }, r.pick(['statuses', 'message_template_status_update', 'account_update', 'Messages', ''])),
			(r) => change({ metadata: meta, messages: r.pick([{}, 'x', 1, null]) }),
			(r) => change({ metadata: meta, messages: [null, 1, 'x', [], {}, r.json(1)] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), from: undefined }] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), id: undefined }] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), from: r.pick(['', null, {}, [], true]) }] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), id: r.pick(['', null, {}, [], false]) }] }),
			(r) => change({ messages: [message(r)] }), // no metadata: no phone number id
			(r) => change({ metadata: { ...meta, phone_number_id: r.pick(['', null, {}, [], true]) }, messages: [message(r)] }),
			(r) => change({ metadata: r.pick([null, 'x', [], 1]), messages: [message(r)] }),
			// complete, but of kinds the trigger only emits when opted in (template: messages only)
			(r) => change({ metadata: meta, statuses: [{ id: `wamid.${r.text(8)}`, status: r.pick(['sent', 'delivered', 'read', 'failed']), recipient_id: r.digits(13), timestamp: '1780000000' }] }),
			(r) => change({ metadata: meta, messages: [{ ...message(r), type: 'reaction', text: undefined, reaction: { message_id: 'wamid.X', emoji: '👍' } }] }),
			(r) => change({ metadata: meta, contacts: r.json(2), errors: [{ code: r.int(0, 200000), title: r.text(10) }] }),
		];
	}
	const messaging = (m: unknown) => ig(igEntry([m]));
	return [
		...common,
		(r) => change({ metadata: meta, messages: [message(r)] }), // a complete WhatsApp message: not an Instagram payload
		() => ({ object: 'instagram' }),
		(r) => ig(r.pick([null, {}, 'entry', 1, true])),
		(r) => ig([null, 1, 'x', [], r.json(1)]),
		() => ig([{}]),
		(r) => ig([{ id: IG_ACCOUNT_ID, messaging: r.pick([null, {}, 'x', [null], [1, 'x'], [[]]]) }]),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { text: r.text(10) } }), // no mid
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { mid: r.pick(['', null, {}, [], true]), text: 'hi' } }),
		(r) => messaging({ recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }), // no sender
		(r) => messaging({ sender: r.pick([null, 'x', {}, { id: '' }, { id: null }, []]), recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }),
		(r) => ig([{ messaging: [{ sender: sender(r), message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }] }]), // no account id anywhere
		(r) => ig([{ messaging: [{ sender: sender(r), recipient: r.pick([{}, { id: '' }, null]), postback: { title: 'Buy', payload: 'BUY' } }] }]),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, postback: 'x', message: r.pick([null, 'x', 1, []]) }),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, timestamp: r.int(0, 1e15), zz: r.json(2) }), // no event at all
		// complete, but of kinds the trigger only emits when opted in (template: messages only)
		(r) => messaging({ sender: { id: IG_ACCOUNT_ID }, recipient: sender(r), message: { mid: `aWdf${r.text(6)}`, text: 'echo', is_echo: true } }),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, is_deleted: true } }),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, read: { mid: `aWdf${r.text(6)}` } }),
		(r) => messaging({ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, reaction: { mid: `aWdf${r.text(6)}`, action: 'react', reaction: 'love', emoji: '❤️' } }),
		// a complete message where the trigger does not look (standby, changes of other fields)
		(r) => ig([{ id: IG_ACCOUNT_ID, standby: [{ sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } }] }]),
		(r) => ig([{ id: IG_ACCOUNT_ID, changes: [{ field: r.pick(['comments', 'mentions', 'Messages', '']), value: { sender: sender(r), recipient: { id: IG_ACCOUNT_ID }, message: { mid: `aWdf${r.text(6)}`, text: 'hi' } } }] }]),
	];
}

export function metaKit(channel: 'whatsapp' | 'instagram', secrets: Secrets, sampleBody: unknown): Kit {
	const shapes = metaWrongShapes(channel);
	const hmac = (key: string, body: Buffer) => crypto.createHmac('sha256', key).update(body).digest('hex');
	return {
		signatureHeader: 'x-hub-signature-256',
		sign: (body) => `sha256=${hmac(secrets.appSecret, body)}`,
		forge: (rng, body) => rng.pick([
			() => `sha256=${hmac(`${secrets.appSecret}x`, body)}`,
			() => `sha256=${rng.bytes(32).toString('hex')}`,
			() => `sha256=${hmac(secrets.appSecret, Buffer.concat([body, Buffer.from('\n')]))}`,
			() => `sha256=${crypto.createHash('sha256').update(body).digest('hex')}`,
		])(),
		ignoredPayload: (rng) => ({ value: rng.pick(shapes)(rng) }),
		sample: Buffer.from(JSON.stringify(sampleBody)),
		nodeStatus: ({ body, signature, rawBody }) => {
			if (!rawBody || signature !== 'valid') return 401;
			return parsesAsJson(body.toString('utf8')) ? 200 : 400;
		},
		answer: () => META_IGNORED_ANSWER,
	};
}
