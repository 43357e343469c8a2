import { chatReferenceOf } from '../../nodes/shared/chatReference';

describe('chatReferenceOf', () => {
	const ref = { channel: 'whatsapp', accountId: '100000000000001', userId: '4915112345678' };

	it('reads json.chatRef, as the triggers and Stripe nodes set it', () => {
		expect(chatReferenceOf({ chatRef: ref, channel: 'instagram' })).toEqual(ref);
	});

	it('reads a table row that keeps the reference in channel / accountId / userId columns', () => {
		expect(chatReferenceOf({ id: 7, sessionId: 'cs_1', channel: 'instagram', accountId: '17841400000000001', userId: '70001', status: 'paid' })).toEqual({
			channel: 'instagram',
			accountId: '17841400000000001',
			userId: '70001',
		});
	});

	it('never guesses: a malformed chatRef wins over columns; incomplete or unknown columns give nothing', () => {
		expect(chatReferenceOf({ chatRef: { channel: 'whatsapp', accountId: '', userId: '1' }, ...ref })).toBeUndefined();
		expect(chatReferenceOf({ chatRef: null, channel: 'whatsapp', accountId: '1' })).toBeUndefined();
		expect(chatReferenceOf({ channel: 'telegram', accountId: '1', userId: '2' })).toBeUndefined();
		expect(chatReferenceOf({ chatRef: null })).toBeUndefined();
	});
});
