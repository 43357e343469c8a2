/**
 * WhatsApp Cloud API request bodies (`POST /{phone-number-id}/messages`) for each message kind, with Meta's
 * limits checked first.
 */
import { LIMITS } from './limits';
import { FIELD_LABELS, MessageValidationError, TEMPLATE_FIELDS, checkMaxChars, checkedButtons, checkedLink, PLAIN_LINK_FIELD, requireText, truncate } from './messages';
import type { BuiltMessage, MessageSpec, TemplateFieldLabels, TemplateMessageSpec } from './messages';

const CHANNEL = 'WhatsApp';
const LIMIT = LIMITS.whatsapp;
const BUTTON_LIMITS = { max: LIMIT.maxReplyButtons, title: LIMIT.replyButtonTitle, id: LIMIT.replyButtonId };

export interface WhatsAppAddress {
	/** The customer's wa_id (digits only). */
	to: string;
	/** wamid of the customer's message to quote (`context.message_id`). */
	replyToMessageId?: string;
}

/** A wa_id from what an operator typed: spaces, dashes, brackets, dots and a leading + are dropped. */
export function normaliseWhatsAppRecipient(value: string): string {
	const digits = value.trim().replace(/[\s\-().]/g, '').replace(/^\+/, '');
	if (!/^\d{6,15}$/.test(digits)) {
		throw new MessageValidationError(
			FIELD_LABELS.recipient,
			`"${FIELD_LABELS.recipient}" must be the customer's WhatsApp ID: their phone number with country code, digits only (e.g. 4915112345678). Got "${truncate(value)}".`,
		);
	}
	return digits;
}

/** Meta language codes use an underscore (en_US); a hyphen (en-US) is turned into one. */
function normaliseLanguage(field: string, value: string | undefined): string {
	const code = (value ?? '').trim().replace('-', '_');
	if (code === '') {
		throw new MessageValidationError(field, `"${field}" is empty: enter the template's language code as approved in WhatsApp Manager, e.g. en_US.`);
	}
	if (!/^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/.test(code)) {
		throw new MessageValidationError(
			field,
			`"${field}" ("${truncate(code)}") is not a WhatsApp language code: use the code shown next to the template in WhatsApp Manager → Message templates, e.g. en_US or pt_BR.`,
		);
	}
	return code;
}

/** `template` object of a template message; `labels` name the fields (main or 24-hour fallback template). */
export function buildWhatsAppTemplate(
	spec: Omit<TemplateMessageSpec, 'kind'>,
	labels: TemplateFieldLabels = TEMPLATE_FIELDS,
): Record<string, unknown> {
	const name = (spec.name ?? '').trim();
	if (name === '') {
		throw new MessageValidationError(
			labels.name,
			`"${labels.name}" is empty: enter the name of an approved template (WhatsApp Manager → Message templates).`,
		);
	}
	const language = normaliseLanguage(labels.language, spec.language);
	const parameters = spec.bodyParameters ?? [];
	if (parameters.length > LIMIT.maxTemplateParameters) {
		throw new MessageValidationError(
			labels.parameters,
			`"${labels.parameters}" has ${parameters.length} values; this node sends at most ${LIMIT.maxTemplateParameters} body parameters.`,
		);
	}
	parameters.forEach((value, index) => {
		const text = String(value ?? '');
		const which = `"${labels.parameters}" {{${index + 1}}}`;
		if (text.trim() === '') {
			throw new MessageValidationError(
				labels.parameters,
				`${which} is empty: WhatsApp rejects empty template parameters. Fill it in or remove it (the count must match the approved template).`,
			);
		}
		if (/[\n\t]/.test(text) || / {5,}/.test(text)) {
			throw new MessageValidationError(
				labels.parameters,
				`${which} contains a line break, a tab or more than 4 spaces in a row, which WhatsApp does not allow in template parameters. Put line breaks in the template itself.`,
			);
		}
		checkMaxChars(`${labels.parameters} {{${index + 1}}}`, text, LIMIT.templateParameterText, CHANNEL);
	});
	const template: Record<string, unknown> = { name, language: { code: language } };
	if (parameters.length > 0) {
		template.components = [
			{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text: String(text) })) },
		];
	}
	return template;
}

/** What every WhatsApp message body starts with: the product, the customer, and the quoted message if any. */
function envelopeOf(address: WhatsAppAddress): Record<string, unknown> {
	const envelope: Record<string, unknown> = {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to: address.to,
	};
	const replyTo = (address.replyToMessageId ?? '').trim();
	if (replyTo !== '') envelope.context = { message_id: replyTo };
	return envelope;
}

/** A template message; `labels` name the fields (main or 24-hour fallback template). */
export function buildWhatsAppTemplateMessage(
	spec: Omit<TemplateMessageSpec, 'kind'>,
	address: WhatsAppAddress,
	labels: TemplateFieldLabels = TEMPLATE_FIELDS,
): BuiltMessage {
	return { kind: 'template', body: { ...envelopeOf(address), type: 'template', template: buildWhatsAppTemplate(spec, labels) } };
}

/** Checks the spec against WhatsApp's limits and returns the request body. */
export function buildWhatsAppMessage(spec: MessageSpec, address: WhatsAppAddress): BuiltMessage {
	const envelope = envelopeOf(address);
	switch (spec.kind) {
		case 'text': {
			const text = requireText(FIELD_LABELS.text, spec.text);
			checkMaxChars(FIELD_LABELS.text, text, LIMIT.textBody, CHANNEL);
			return {
				kind: 'text',
				body: { ...envelope, type: 'text', text: { body: text, preview_url: spec.previewUrl === true } },
			};
		}
		case 'link': {
			const link = checkedLink(spec, { text: LIMIT.interactiveBody, label: LIMIT.ctaDisplayText }, CHANNEL);
			if ('plainText' in link) {
				checkMaxChars(PLAIN_LINK_FIELD, link.plainText, LIMIT.textBody, CHANNEL);
				return { kind: 'text', body: { ...envelope, type: 'text', text: { body: link.plainText, preview_url: true } } };
			}
			const { text, url, label } = link;
			return {
				kind: 'link',
				body: {
					...envelope,
					type: 'interactive',
					interactive: {
						type: 'cta_url',
						body: { text },
						action: { name: 'cta_url', parameters: { display_text: label, url } },
					},
				},
			};
		}
		case 'buttons': {
			const text = requireText(FIELD_LABELS.text, spec.text);
			checkMaxChars(FIELD_LABELS.text, text, LIMIT.interactiveBody, CHANNEL);
			const buttons = checkedButtons(spec.buttons, BUTTON_LIMITS, CHANNEL);
			return {
				kind: 'buttons',
				body: {
					...envelope,
					type: 'interactive',
					interactive: {
						type: 'button',
						body: { text },
						action: {
							buttons: buttons.map((button) => ({ type: 'reply', reply: { id: button.id, title: button.title } })),
						},
					},
				},
			};
		}
		case 'template':
			return buildWhatsAppTemplateMessage(spec, address);
	}
}
