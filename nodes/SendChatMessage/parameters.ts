/** The message an item asks for, read from the node's fields into a channel-independent spec. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MessageKind, MessageSpec, TemplateMessageSpec } from '../shared/graph/messages';
import { buttonsFromJson } from '../shared/graph/messages';

/** A parameter as text: n8n hands over strings, numbers or nothing (empty). */
export function parameterText(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

function templateParameters(ctx: IExecuteFunctions, name: string, itemIndex: number): string[] {
	const entries = ctx.getNodeParameter(`${name}.parameter`, itemIndex, []) as Array<{ text?: unknown }>;
	return entries.map((entry) => parameterText(entry.text));
}

export function readMessageSpec(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject): MessageSpec {
	const kind = ctx.getNodeParameter('messageType', itemIndex, 'text') as MessageKind;
	const read = (name: string) => parameterText(ctx.getNodeParameter(name, itemIndex, ''));
	switch (kind) {
		case 'link': {
			const asPlainText = ctx.getNodeParameter('linkAsPlainText', itemIndex, false) as boolean;
			return { kind, text: read('text'), url: read('url'), label: asPlainText ? '' : read('buttonLabel'), asPlainText };
		}
		case 'buttons': {
			const fromJson = ctx.getNodeParameter('buttonsSource', itemIndex, 'fields') === 'json';
			const buttons = fromJson
				? buttonsFromJson(ctx.getNodeParameter('buttonsJson', itemIndex, []))
				: (ctx.getNodeParameter('buttons.button', itemIndex, []) as Array<{ title?: unknown; id?: unknown }>);
			// A per-item list may offer no choice at all: then the text is simply a text message.
			if (fromJson && buttons.length === 0) return { kind: 'text', text: read('text'), previewUrl: false };
			return {
				kind,
				text: read('text'),
				buttons: buttons.map((button) => ({ title: parameterText(button.title), id: parameterText(button.id) })),
			};
		}
		case 'template':
			return {
				kind,
				name: read('templateName'),
				language: read('templateLanguage'),
				bodyParameters: templateParameters(ctx, 'templateParameters', itemIndex),
			};
		default:
			return { kind: 'text', text: read('text'), previewUrl: options.previewUrl === true };
	}
}

/** The 24-hour fallback template, when the node has it turned on. */
export function readWindowFallback(ctx: IExecuteFunctions, itemIndex: number): Omit<TemplateMessageSpec, 'kind'> | undefined {
	if (!(ctx.getNodeParameter('windowClosedFallback', itemIndex, false) as boolean)) return undefined;
	return {
		name: parameterText(ctx.getNodeParameter('fallbackTemplateName', itemIndex, '')),
		language: parameterText(ctx.getNodeParameter('fallbackTemplateLanguage', itemIndex, '')),
		bodyParameters: templateParameters(ctx, 'fallbackTemplateParameters', itemIndex),
	};
}
