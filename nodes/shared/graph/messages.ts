/**
 * What Send Chat Message sends, independent of the channel. The per-channel builders
 * (`whatsappMessages.ts`, `instagramMessages.ts`) check Meta's limits and turn a spec into a request body;
 * every failed check is a MessageValidationError naming the node field the operator has to change.
 */
import { isHttpUrl, parseUrl } from '../url';
import { charCount } from './limits';

/** The kind of message, as the node's output reports it. */
export type MessageKind = 'text' | 'link' | 'buttons' | 'template';

export interface TextMessageSpec {
	kind: 'text';
	text: string;
	/** WhatsApp only: render a preview of the first URL in the text. */
	previewUrl?: boolean;
}

export interface LinkMessageSpec {
	kind: 'link';
	text: string;
	url: string;
	/** Button label (WhatsApp `display_text`, Instagram button `title`). */
	label: string;
	/** Send `text` + newline + `url` as a plain text message instead of a button. */
	asPlainText?: boolean;
}

export interface ReplyButtonSpec {
	title: string;
	/** WhatsApp reply id / Instagram quick-reply payload; the title when empty. */
	id?: string;
}

export interface ButtonsMessageSpec {
	kind: 'buttons';
	text: string;
	buttons: ReplyButtonSpec[];
}

export interface TemplateMessageSpec {
	kind: 'template';
	name: string;
	/** Meta language code, e.g. en_US (a hyphen is accepted and turned into an underscore). */
	language: string;
	/** Values for the body's {{1}}, {{2}}, … in order. */
	bodyParameters: string[];
}

export type MessageSpec = TextMessageSpec | LinkMessageSpec | ButtonsMessageSpec | TemplateMessageSpec;

/** A request body for the channel's send endpoint, and the kind of message it is. */
export interface BuiltMessage {
	kind: MessageKind;
	body: Record<string, unknown>;
}

/** Node field names used in validation errors; they match the node's display names. */
export const FIELD_LABELS = {
	text: 'Text',
	url: 'URL',
	label: 'Button Label',
	buttons: 'Buttons',
	buttonTitle: 'Buttons › Title',
	buttonId: 'Buttons › ID',
	buttonsJson: 'Buttons (JSON)',
	templateName: 'Template Name',
	templateLanguage: 'Template Language',
	templateParameters: 'Template Parameters',
	replyTo: 'Reply To Message ID',
	recipient: 'Recipient ID',
} as const;

/** Field labels of a template, so the 24-hour fallback template can name its own fields. */
export interface TemplateFieldLabels {
	name: string;
	language: string;
	parameters: string;
}

export const TEMPLATE_FIELDS: TemplateFieldLabels = {
	name: FIELD_LABELS.templateName,
	language: FIELD_LABELS.templateLanguage,
	parameters: FIELD_LABELS.templateParameters,
};

/** A message that breaks one of Meta's rules; `field` is the node field to fix. */
export class MessageValidationError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'MessageValidationError';
	}
}

export function requireText(field: string, value: string | undefined): string {
	const text = value ?? '';
	if (text.trim() === '') throw new MessageValidationError(field, `"${field}" is empty: enter the text to send.`);
	return text;
}

export function checkMaxChars(field: string, value: string, max: number, channelName: string): void {
	const length = charCount(value);
	if (length > max) {
		throw new MessageValidationError(
			field,
			`"${field}" is ${length} characters long; ${channelName} allows at most ${max}. Shorten it.`,
		);
	}
}

/** An absolute http(s) URL, returned trimmed. */
export function requireHttpUrl(field: string, value: string | undefined): string {
	const url = (value ?? '').trim();
	if (url === '') throw new MessageValidationError(field, `"${field}" is empty: enter the https:// link to open.`);
	const parsed = parseUrl(url);
	if (!parsed) {
		throw new MessageValidationError(
			field,
			`"${field}" is not a valid URL ("${truncate(url)}"): enter a full address starting with https://.`,
		);
	}
	if (!isHttpUrl(parsed)) {
		throw new MessageValidationError(
			field,
			`"${field}" must start with https:// or http:// (got "${parsed.protocol}").`,
		);
	}
	return url;
}

/** Buttons with their ids filled in (the title when empty), checked for count, emptiness and duplicates. */
export function normaliseButtons(
	buttons: ReplyButtonSpec[],
	max: number,
	channelName: string,
): Array<{ title: string; id: string }> {
	if (buttons.length === 0) {
		throw new MessageValidationError(FIELD_LABELS.buttons, `"${FIELD_LABELS.buttons}" is empty: add 1 to ${max} buttons.`);
	}
	if (buttons.length > max) {
		throw new MessageValidationError(
			FIELD_LABELS.buttons,
			`"${FIELD_LABELS.buttons}" has ${buttons.length} buttons; ${channelName} allows at most ${max} here. Remove some.`,
		);
	}
	const result = buttons.map((button, index) => {
		const title = (button.title ?? '').trim();
		if (title === '') {
			throw new MessageValidationError(
				FIELD_LABELS.buttonTitle,
				`"${FIELD_LABELS.buttonTitle}" of button ${index + 1} is empty: every button needs a title.`,
			);
		}
		const id = (button.id ?? '').trim() || title;
		return { title, id };
	});
	for (const key of ['title', 'id'] as const) {
		const seen = new Set<string>();
		for (const button of result) {
			if (seen.has(button[key])) {
				const field = key === 'title' ? FIELD_LABELS.buttonTitle : FIELD_LABELS.buttonId;
				throw new MessageValidationError(
					field,
					`Two buttons share the ${key} "${button[key]}": ${channelName} needs a different ${key} on every button ("${field}").`,
				);
			}
			seen.add(button[key]);
		}
	}
	return result;
}

/** What a link message's text + URL is called when sent as plain text. */
export const PLAIN_LINK_FIELD = `${FIELD_LABELS.text} + ${FIELD_LABELS.url}`;

/**
 * A link message's parts: text and URL (required), and for a button the label, checked against the channel's
 * limits. As plain text it is text + newline + URL, whose length the channel's builder checks in its own unit.
 */
export function checkedLink(
	spec: LinkMessageSpec,
	limits: { text: number; label: number },
	channelName: string,
): { plainText: string } | { text: string; url: string; label: string } {
	const text = requireText(FIELD_LABELS.text, spec.text);
	const url = requireHttpUrl(FIELD_LABELS.url, spec.url);
	if (spec.asPlainText) return { plainText: `${text}\n${url}` };
	checkMaxChars(FIELD_LABELS.text, text, limits.text, channelName);
	const label = requireText(FIELD_LABELS.label, spec.label).trim();
	checkMaxChars(FIELD_LABELS.label, label, limits.label, channelName);
	return { text, url, label };
}

/** A channel's limits for reply buttons: how many, and how long a title and an id may be. */
export interface ButtonLimits {
	max: number;
	title: number;
	id: number;
}

/** Buttons normalised and checked against one channel's limits (WhatsApp reply buttons, Instagram quick replies). */
export function checkedButtons(buttons: ReplyButtonSpec[], limits: ButtonLimits, channelName: string): Array<{ title: string; id: string }> {
	const result = normaliseButtons(buttons, limits.max, channelName);
	for (const button of result) {
		checkMaxChars(FIELD_LABELS.buttonTitle, button.title, limits.title, channelName);
		checkMaxChars(FIELD_LABELS.buttonId, button.id, limits.id, channelName);
	}
	return result;
}

export function truncate(value: string, max = 40): string {
	const chars = Array.from(value);
	return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/** JSON text → value, or `invalid` (kept apart from the throw below: n8n's lint wants no throw in a catch). */
function parseJsonText(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return INVALID_JSON;
	}
}
const INVALID_JSON = Symbol('invalid JSON');

/** "Buttons (JSON)": a list (or its JSON text) of { id, title } objects; anything else names the field. */
export function buttonsFromJson(value: unknown): Array<{ title?: unknown; id?: unknown }> {
	const list = typeof value === 'string' ? (value.trim() === '' ? [] : parseJsonText(value)) : value;
	if (list === INVALID_JSON) {
		throw new MessageValidationError(FIELD_LABELS.buttonsJson, `"${FIELD_LABELS.buttonsJson}" is not valid JSON: write a list such as [{ "id": "yes", "title": "Yes" }].`);
	}
	if (list === undefined || list === null) return [];
	if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
		throw new MessageValidationError(FIELD_LABELS.buttonsJson, `"${FIELD_LABELS.buttonsJson}" must be a list of { "id", "title" } objects.`);
	}
	return list as Array<{ title?: unknown; id?: unknown }>;
}
