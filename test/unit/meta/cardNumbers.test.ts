import { CARD_NUMBER_MASK, isCardNumber, maskCardNumbers, withCardNumbersMasked } from '../../../nodes/shared/meta/cardNumbers';
import type { InboundEvent } from '../../../nodes/shared/meta/inboundEvents';

/** Appends the Luhn check digit, so the test makes its card-like numbers instead of trusting a list. */
function withCheckDigit(body: string): string {
	for (let d = 0; d <= 9; d++) if (isLuhnValid(body + d)) return body + d;
	throw new Error('unreachable');
}
function isLuhnValid(digits: string): boolean {
	const sum = [...digits].reverse().reduce((acc, ch, i) => {
		const n = Number(ch) * (i % 2 ? 2 : 1);
		return acc + (n > 9 ? n - 9 : n);
	}, 0);
	return sum % 10 === 0;
}
const breakCheckDigit = (card: string) => card.slice(0, -1) + ((Number(card.slice(-1)) + 1) % 10);

describe('card numbers typed into a chat', () => {
	const visa = withCheckDigit('424242424242424');
	const amex = withCheckDigit('37828224631000');
	const mastercard2 = withCheckDigit('222300004840001');

	it('masks Luhn-valid numbers of the card networks, plain, spaced or dashed', () => {
		for (const written of [visa, visa.replace(/(\d{4})(?=\d)/g, '$1 '), visa.replace(/(\d{4})(?=\d)/g, '$1-'), amex, mastercard2]) {
			const { text, masked } = maskCardNumbers(`my card is ${written}, exp 12/29`);
			expect([written, text, masked]).toEqual([written, `my card is ${CARD_NUMBER_MASK}, exp 12/29`, 1]);
		}
		expect(maskCardNumbers(`${visa} and ${amex}`)).toEqual({ text: `${CARD_NUMBER_MASK} and ${CARD_NUMBER_MASK}`, masked: 2 });
	});

	it('leaves alone what is not a card number: failed check digit, too short or long, other prefixes, prices and dates', () => {
		const untouched = [
			`card ${breakCheckDigit(visa)}`,
			`short ${withCheckDigit('42424242424')}`, // 12 digits
			`long ${withCheckDigit('42424242424242424242')}`, // 21 digits
			`prefix 1: ${withCheckDigit('100000000000001')}`, // like a phone number ID
			`prefix 7: ${withCheckDigit('700000000000001')}`,
			'book June 15-17 for 2 guests, 199.00 USD, order 2026-06-15',
		];
		for (const text of untouched) expect(maskCardNumbers(text)).toEqual({ text, masked: 0 });
	});

	it('masks the text, the reply and the raw payload, but never Meta\'s identifiers', () => {
		const cardLikeWaId = withCheckDigit('491511234567'); // a 13-digit number starting with 4 that passes Luhn
		expect(isCardNumber(cardLikeWaId)).toBe(true);
		const event: InboundEvent = {
			event: 'message',
			channel: 'whatsapp',
			chatRef: { channel: 'whatsapp', accountId: '106540352242922', userId: cardLikeWaId },
			messageId: 'wamid.CARD',
			timestamp: '2024-06-10T06:13:20.000Z',
			type: 'text',
			text: `pay with ${visa}`,
			reply: { kind: 'button', payload: visa, title: `use ${amex}` },
			profileName: 'Ada',
			status: null,
			dedupeKey: 'whatsapp:wamid.CARD',
			raw: { from: cardLikeWaId, id: 'wamid.CARD', text: { body: `pay with ${visa}` }, contacts: [{ wa_id: cardLikeWaId }] },
		};
		const masked = withCardNumbersMasked(event);
		expect(masked.text).toBe(`pay with ${CARD_NUMBER_MASK}`);
		expect(masked.reply).toEqual({ kind: 'button', payload: CARD_NUMBER_MASK, title: `use ${CARD_NUMBER_MASK}` });
		expect(masked.raw).toEqual({ from: cardLikeWaId, id: 'wamid.CARD', text: { body: `pay with ${CARD_NUMBER_MASK}` }, contacts: [{ wa_id: cardLikeWaId }] });
		expect(masked.chatRef.userId).toBe(cardLikeWaId);
		expect(event.text).toBe(`pay with ${visa}`); // the input is not changed in place
	});
});
