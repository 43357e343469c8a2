import { buildInstagramMessage, normaliseInstagramRecipient } from '../../../nodes/shared/graph/instagramMessages';
import { LIMITS, charCount, utf8Bytes } from '../../../nodes/shared/graph/limits';
import { MessageValidationError } from '../../../nodes/shared/graph/messages';
import type { MessageSpec } from '../../../nodes/shared/graph/messages';
import {
	buildWhatsAppMessage,
	buildWhatsAppTemplate,
	normaliseWhatsAppRecipient,
} from '../../../nodes/shared/graph/whatsappMessages';
import { thrownBy } from '../../support/thrown';

const WA = { to: '4915112345678' };
const IGSID = '6543210987654321';

const fieldOf = (build: () => unknown): string => thrownBy(MessageValidationError, build).field;

/** A WhatsApp text message as the builder returns it. */
const whatsAppText = (body: string, previewUrl: boolean) => ({
	kind: 'text',
	body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', type: 'text', text: { body, preview_url: previewUrl } },
});

describe('WhatsApp bodies', () => {
	test('text', () => {
		expect(buildWhatsAppMessage({ kind: 'text', text: 'Hi there' }, WA)).toEqual(whatsAppText('Hi there', false));
	});

	test('link button is an interactive cta_url', () => {
		const built = buildWhatsAppMessage(
			{ kind: 'link', text: 'Your order', url: 'https://pay.example.test/cs_1', label: 'Pay now' },
			WA,
		);
		expect(built.kind).toBe('link');
		expect(built.body).toMatchObject({
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				body: { text: 'Your order' },
				action: { name: 'cta_url', parameters: { display_text: 'Pay now', url: 'https://pay.example.test/cs_1' } },
			},
		});
	});

	test('link as plain text is a text message with the URL on its own line and a preview', () => {
		const built = buildWhatsAppMessage(
			{ kind: 'link', text: 'Your order', url: 'https://pay.example.test/cs_1', label: 'ignored', asPlainText: true },
			WA,
		);
		expect(built).toEqual(whatsAppText('Your order\nhttps://pay.example.test/cs_1', true));
	});

	test('reply buttons; an empty id falls back to the title', () => {
		const built = buildWhatsAppMessage(
			{ kind: 'buttons', text: 'Size?', buttons: [{ title: 'Small', id: 'size_s' }, { title: 'Large' }] },
			WA,
		);
		expect(built.body.interactive).toEqual({
			type: 'button',
			body: { text: 'Size?' },
			action: {
				buttons: [
					{ type: 'reply', reply: { id: 'size_s', title: 'Small' } },
					{ type: 'reply', reply: { id: 'Large', title: 'Large' } },
				],
			},
		});
	});

	test('template with body parameters; en-US becomes en_US; no components without parameters', () => {
		expect(
			buildWhatsAppMessage({ kind: 'template', name: 'order_ready', language: 'en-US', bodyParameters: ['Ana', '42 €'] }, WA)
				.body.template,
		).toEqual({
			name: 'order_ready',
			language: { code: 'en_US' },
			components: [
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'Ana' },
						{ type: 'text', text: '42 €' },
					],
				},
			],
		});
		expect(buildWhatsAppTemplate({ name: 'hello', language: 'de', bodyParameters: [] })).toEqual({
			name: 'hello',
			language: { code: 'de' },
		});
	});

	test('reply-to adds context.message_id to any kind; blank reply-to adds nothing', () => {
		expect(buildWhatsAppMessage({ kind: 'text', text: 'x' }, { ...WA, replyToMessageId: 'wamid.IN1' }).body.context).toEqual({
			message_id: 'wamid.IN1',
		});
		expect(buildWhatsAppMessage({ kind: 'text', text: 'x' }, { ...WA, replyToMessageId: '  ' }).body).not.toHaveProperty(
			'context',
		);
	});

	test('limits are inclusive: exactly at the limit passes, one over names the field', () => {
		const at = (n: number) => 'a'.repeat(n);
		expect(() => buildWhatsAppMessage({ kind: 'text', text: at(4096) }, WA)).not.toThrow();
		expect(fieldOf(() => buildWhatsAppMessage({ kind: 'text', text: at(4097) }, WA))).toBe('Text');
		const link = (text: string, label: string): MessageSpec => ({ kind: 'link', text, label, url: 'https://x.test' });
		expect(() => buildWhatsAppMessage(link(at(1024), at(20)), WA)).not.toThrow();
		expect(fieldOf(() => buildWhatsAppMessage(link(at(1025), 'Pay'), WA))).toBe('Text');
		expect(fieldOf(() => buildWhatsAppMessage(link('ok', at(21)), WA))).toBe('Button Label');
		const buttons = (title: string, id?: string): MessageSpec => ({ kind: 'buttons', text: 'q', buttons: [{ title, id }] });
		expect(() => buildWhatsAppMessage(buttons(at(20), at(256)), WA)).not.toThrow();
		expect(fieldOf(() => buildWhatsAppMessage(buttons(at(21)), WA))).toBe('Buttons › Title');
		expect(fieldOf(() => buildWhatsAppMessage(buttons('ok', at(257)), WA))).toBe('Buttons › ID');
	});

	test('an emoji counts as one character (code points, not UTF-16 units)', () => {
		expect(charCount('💳'.repeat(20))).toBe(20);
		expect(() =>
			buildWhatsAppMessage({ kind: 'link', text: 'x', url: 'https://x.test', label: '💳'.repeat(20) }, WA),
		).not.toThrow();
	});

	test('buttons: 0 and 4 are refused, duplicates are refused, blank titles are refused', () => {
		const spec = (buttons: Array<{ title: string; id?: string }>): MessageSpec => ({ kind: 'buttons', text: 'q', buttons });
		expect(fieldOf(() => buildWhatsAppMessage(spec([]), WA))).toBe('Buttons');
		expect(fieldOf(() => buildWhatsAppMessage(spec([{ title: 'a' }, { title: 'b' }, { title: 'c' }, { title: 'd' }]), WA))).toBe(
			'Buttons',
		);
		expect(fieldOf(() => buildWhatsAppMessage(spec([{ title: 'a' }, { title: 'a', id: 'x' }]), WA))).toBe('Buttons › Title');
		expect(fieldOf(() => buildWhatsAppMessage(spec([{ title: 'a', id: 'x' }, { title: 'b', id: 'x' }]), WA))).toBe('Buttons › ID');
		expect(fieldOf(() => buildWhatsAppMessage(spec([{ title: '  ' }]), WA))).toBe('Buttons › Title');
	});

	test('URL must be http(s) and absolute', () => {
		const link = (url: string): MessageSpec => ({ kind: 'link', text: 't', label: 'Pay', url });
		expect(fieldOf(() => buildWhatsAppMessage(link('ftp://x.test/a'), WA))).toBe('URL');
		expect(fieldOf(() => buildWhatsAppMessage(link('javascript:alert(1)'), WA))).toBe('URL');
		expect(fieldOf(() => buildWhatsAppMessage(link('/relative'), WA))).toBe('URL');
		expect(fieldOf(() => buildWhatsAppMessage(link(''), WA))).toBe('URL');
		expect(() => buildWhatsAppMessage(link('http://x.test'), WA)).not.toThrow();
	});

	test('template checks: name and language required, ≤20 parameters, none empty, no line breaks', () => {
		const t = (name: string, language: string, bodyParameters: string[]): MessageSpec => ({
			kind: 'template',
			name,
			language,
			bodyParameters,
		});
		expect(fieldOf(() => buildWhatsAppMessage(t('', 'en_US', []), WA))).toBe('Template Name');
		expect(fieldOf(() => buildWhatsAppMessage(t('x', ' ', []), WA))).toBe('Template Language');
		expect(fieldOf(() => buildWhatsAppMessage(t('x', 'English', []), WA))).toBe('Template Language');
		const twenty = Array.from({ length: LIMITS.whatsapp.maxTemplateParameters }, (_, i) => `v${i}`);
		expect(() => buildWhatsAppMessage(t('x', 'en', twenty), WA)).not.toThrow();
		expect(fieldOf(() => buildWhatsAppMessage(t('x', 'en', [...twenty, 'one more']), WA))).toBe('Template Parameters');
		expect(fieldOf(() => buildWhatsAppMessage(t('x', 'en', ['ok', '']), WA))).toBe('Template Parameters');
		expect(fieldOf(() => buildWhatsAppMessage(t('x', 'en', ['two\nlines']), WA))).toBe('Template Parameters');
		expect(fieldOf(() => buildWhatsAppMessage(t('x', 'en', ['a     b']), WA))).toBe('Template Parameters');
		expect(() => buildWhatsAppMessage(t('x', 'en', ['a    b']), WA)).not.toThrow();
	});

	test('fallback template labels name the fallback fields', () => {
		expect(
			fieldOf(() =>
				buildWhatsAppTemplate(
					{ name: '', language: 'en', bodyParameters: [] },
					{ name: 'Fallback Template Name', language: 'Fallback Template Language', parameters: 'Fallback Template Parameters' },
				),
			),
		).toBe('Fallback Template Name');
	});

	test('recipient normalisation: +, spaces, dashes and brackets go; letters are refused', () => {
		expect(normaliseWhatsAppRecipient(' +49 (151) 1234-5678 ')).toBe('4915112345678');
		expect(fieldOf(() => normaliseWhatsAppRecipient('ana@example.test'))).toBe('Recipient ID');
		expect(fieldOf(() => normaliseWhatsAppRecipient(''))).toBe('Recipient ID');
	});
});

describe('Instagram bodies', () => {
	test('text', () => {
		expect(buildInstagramMessage({ kind: 'text', text: 'Hi' }, IGSID)).toEqual({
			kind: 'text',
			body: { recipient: { id: IGSID }, message: { text: 'Hi' } },
		});
	});

	test('link button is a button template with one web_url button', () => {
		expect(
			buildInstagramMessage({ kind: 'link', text: 'Your order', url: 'https://pay.example.test/cs_1', label: 'Pay now' }, IGSID),
		).toEqual({
			kind: 'link',
			body: {
				recipient: { id: IGSID },
				message: {
					attachment: {
						type: 'template',
						payload: {
							template_type: 'button',
							text: 'Your order',
							buttons: [{ type: 'web_url', url: 'https://pay.example.test/cs_1', title: 'Pay now' }],
						},
					},
				},
			},
		});
	});

	test('link as plain text', () => {
		expect(
			buildInstagramMessage({ kind: 'link', text: 'Pay here:', url: 'https://x.test/p', label: '', asPlainText: true }, IGSID),
		).toEqual({ kind: 'text', body: { recipient: { id: IGSID }, message: { text: 'Pay here:\nhttps://x.test/p' } } });
	});

	test('quick replies', () => {
		expect(
			buildInstagramMessage({ kind: 'buttons', text: 'Size?', buttons: [{ title: 'Small', id: 'S' }, { title: 'Large' }] }, IGSID)
				.body.message,
		).toEqual({
			text: 'Size?',
			quick_replies: [
				{ content_type: 'text', title: 'Small', payload: 'S' },
				{ content_type: 'text', title: 'Large', payload: 'Large' },
			],
		});
	});

	test('limits: text in UTF-8 bytes, button template text 640, titles 20, at most 3 quick replies', () => {
		expect(utf8Bytes('é')).toBe(2);
		expect(() => buildInstagramMessage({ kind: 'text', text: 'a'.repeat(1000) }, IGSID)).not.toThrow();
		expect(fieldOf(() => buildInstagramMessage({ kind: 'text', text: 'é'.repeat(501) }, IGSID))).toBe('Text');
		const link = (text: string, label: string): MessageSpec => ({ kind: 'link', text, label, url: 'https://x.test' });
		expect(() => buildInstagramMessage(link('a'.repeat(640), 'a'.repeat(20)), IGSID)).not.toThrow();
		expect(fieldOf(() => buildInstagramMessage(link('a'.repeat(641), 'Pay'), IGSID))).toBe('Text');
		expect(fieldOf(() => buildInstagramMessage(link('ok', 'a'.repeat(21)), IGSID))).toBe('Button Label');
		const qr = (titles: string[]): MessageSpec => ({ kind: 'buttons', text: 'q', buttons: titles.map((title) => ({ title })) });
		expect(fieldOf(() => buildInstagramMessage(qr(['a'.repeat(21)]), IGSID))).toBe('Buttons › Title');
		expect(fieldOf(() => buildInstagramMessage(qr(['a', 'b', 'c', 'd']), IGSID))).toBe('Buttons');
	});

	test('templates are refused on Instagram', () => {
		expect(
			fieldOf(() => buildInstagramMessage({ kind: 'template', name: 'x', language: 'en', bodyParameters: [] }, IGSID)),
		).toBe('Message Type');
	});

	test('recipient must be one token', () => {
		expect(normaliseInstagramRecipient(' 123 ')).toBe('123');
		expect(fieldOf(() => normaliseInstagramRecipient('12 34'))).toBe('Recipient ID');
	});
});
