/**
 * Instagram Messaging request bodies (`POST /{ig-account-id}/messages` or `/me/messages`) for each message
 * kind, with Meta's limits checked first. Instagram has no message templates and no quoted replies here.
 */
import { LIMITS, utf8Bytes } from './limits';
import { FIELD_LABELS, MessageValidationError, checkedButtons, checkedLink, PLAIN_LINK_FIELD, requireText, truncate } from './messages';
import type { BuiltMessage, MessageSpec } from './messages';

const CHANNEL = 'Instagram';
const LIMIT = LIMITS.instagram;
const BUTTON_LIMITS = { max: LIMIT.maxQuickReplies, title: LIMIT.quickReplyTitle, id: LIMIT.quickReplyPayload };

/** An Instagram-scoped user id (IGSID) as typed: trimmed, no spaces inside. */
export function normaliseInstagramRecipient(value: string): string {
	const id = value.trim();
	if (id === '' || /\s/.test(id)) {
		throw new MessageValidationError(
			FIELD_LABELS.recipient,
			`"${FIELD_LABELS.recipient}" must be the customer's Instagram-scoped ID (IGSID, the sender.id of their message). Got "${truncate(value)}".`,
		);
	}
	return id;
}

function checkTextBytes(field: string, text: string): void {
	const bytes = utf8Bytes(text);
	if (bytes > LIMIT.textBytes) {
		throw new MessageValidationError(
			field,
			`"${field}" is ${bytes} bytes long; Instagram allows at most ${LIMIT.textBytes} bytes of UTF-8 text (accented letters count 2, emoji 4). Shorten it.`,
		);
	}
}

/** Checks the spec against Instagram's limits and returns the request body for the IGSID. */
export function buildInstagramMessage(spec: MessageSpec, recipientId: string): BuiltMessage {
	const envelope = { recipient: { id: recipientId } };
	switch (spec.kind) {
		case 'text': {
			const text = requireText(FIELD_LABELS.text, spec.text);
			checkTextBytes(FIELD_LABELS.text, text);
			return { kind: 'text', body: { ...envelope, message: { text } } };
		}
		case 'link': {
			const link = checkedLink(spec, { text: LIMIT.buttonTemplateText, label: LIMIT.buttonTitle }, CHANNEL);
			if ('plainText' in link) {
				checkTextBytes(PLAIN_LINK_FIELD, link.plainText);
				return { kind: 'text', body: { ...envelope, message: { text: link.plainText } } };
			}
			const { text, url, label } = link;
			return {
				kind: 'link',
				body: {
					...envelope,
					message: {
						attachment: {
							type: 'template',
							payload: { template_type: 'button', text, buttons: [{ type: 'web_url', url, title: label }] },
						},
					},
				},
			};
		}
		case 'buttons': {
			const text = requireText(FIELD_LABELS.text, spec.text);
			checkTextBytes(FIELD_LABELS.text, text);
			const buttons = checkedButtons(spec.buttons, BUTTON_LIMITS, CHANNEL);
			return {
				kind: 'buttons',
				body: {
					...envelope,
					message: {
						text,
						quick_replies: buttons.map((button) => ({
							content_type: 'text',
							title: button.title,
							payload: button.id,
						})),
					},
				},
			};
		}
		case 'template':
			throw new MessageValidationError(
				'Message Type',
				'Templates exist only on WhatsApp; this chat is on Instagram. Choose another message type for Instagram chats (Instagram only lets you reply within 24 hours of the customer\'s last message).',
			);
	}
}
