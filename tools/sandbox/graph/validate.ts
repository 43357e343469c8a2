/** The checks Meta makes on a send before it accepts it, answered with the errors Meta gives. */
import { metaError } from './errors';
import type { FailSpec, GraphJson } from './types';

/** Validation close to what the Cloud API enforces; returns a FailSpec for the first problem, or null. */
export function validateWhatsApp(body: GraphJson): FailSpec | null {
	const missing = (details: string) => metaError({ code: 131008, message: '(#131008) Required parameter is missing', details });
	const invalid = (details: string) => metaError({ code: 131009, message: '(#131009) Parameter value is not valid', details });
	if (body.messaging_product !== 'whatsapp') {
		return metaError({ code: 100, message: '(#100) The parameter messaging_product is required.' });
	}
	if (body.status === 'read') {
		if (typeof body.message_id !== 'string' || !body.message_id) return missing('message_id is required');
		return null;
	}
	if (typeof body.to !== 'string' || !body.to.trim()) {
		return metaError({ code: 100, message: '(#100) The parameter to is required.' });
	}
	const type = body.type ?? 'text';
	if (type === 'text') {
		if (!body.text || typeof body.text.body !== 'string' || body.text.body.length === 0) return missing('text.body is required');
		if (body.text.body.length > 4096) return invalid('text.body must be at most 4096 characters');
	} else if (type === 'interactive') {
		const it = body.interactive;
		if (!it || typeof it !== 'object') return missing('interactive is required');
		const kinds = ['button', 'list', 'cta_url', 'product', 'product_list', 'flow', 'location_request_message', 'address_message', 'call_permission_request'];
		if (!kinds.includes(it.type)) return invalid(`interactive.type must be one of ${kinds.join(', ')}`);
		if (it.type !== 'product' && (!it.body || typeof it.body.text !== 'string' || !it.body.text)) return missing('interactive.body.text is required');
		if (it.body && typeof it.body.text === 'string' && it.body.text.length > 1024) return invalid('interactive.body.text must be at most 1024 characters');
		if (it.footer && typeof it.footer.text === 'string' && it.footer.text.length > 60) return invalid('interactive.footer.text must be at most 60 characters');
		if (it.type === 'cta_url') {
			const a = it.action;
			if (!a || a.name !== 'cta_url' || !a.parameters) return missing('interactive.action.name "cta_url" with parameters is required');
			const p = a.parameters;
			if (typeof p.display_text !== 'string' || !p.display_text) return missing('interactive.action.parameters.display_text is required');
			if (p.display_text.length > 20) return invalid('interactive.action.parameters.display_text must be at most 20 characters');
			if (typeof p.url !== 'string' || !/^https?:\/\//i.test(p.url)) return invalid('interactive.action.parameters.url must be an http(s) URL');
		}
		if (it.type === 'button') {
			const buttons = it.action && it.action.buttons;
			if (!Array.isArray(buttons) || buttons.length < 1) return missing('interactive.action.buttons is required');
			if (buttons.length > 3) return invalid('interactive.action.buttons must have at most 3 buttons');
			for (const b of buttons) {
				if (!b || b.type !== 'reply' || !b.reply || typeof b.reply.id !== 'string' || typeof b.reply.title !== 'string') {
					return missing('each button needs type "reply" and reply.id / reply.title');
				}
				if (b.reply.title.length > 20) return invalid('button reply.title must be at most 20 characters');
				if (b.reply.id.length > 256) return invalid('button reply.id must be at most 256 characters');
			}
		}
	} else if (type === 'template') {
		const t = body.template;
		if (!t || typeof t.name !== 'string' || !t.name) return missing('template.name is required');
		if (!t.language || typeof t.language.code !== 'string') return missing('template.language.code is required');
	} else if (!['image', 'document', 'video', 'audio', 'sticker', 'location', 'contacts', 'reaction'].includes(type)) {
		return invalid(`Unsupported message type ${type}`);
	}
	if (body.context !== undefined && (!body.context || typeof body.context.message_id !== 'string')) {
		return invalid('context.message_id must be a string');
	}
	return null;
}

/** Validation close to what Instagram Messaging enforces; returns a FailSpec for the first problem, or null. */
export function validateInstagram(body: GraphJson): FailSpec | null {
	const bad = (message: string, subcode?: number) => metaError({ code: 100, message, subcode });
	if (!body.recipient || typeof body.recipient !== 'object' || (!body.recipient.id && !body.recipient.comment_id)) {
		return bad('(#100) The parameter recipient is required');
	}
	if (body.sender_action !== undefined) {
		if (!['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'].includes(body.sender_action)) {
			return bad('(#100) Param sender_action must be one of {typing_on, typing_off, mark_seen, react, unreact}');
		}
		return null;
	}
	const m = body.message;
	if (!m || typeof m !== 'object') return bad('(#100) The parameter message is required');
	if (m.text === undefined && m.attachment === undefined) return bad('(#100) Must send either message text or an attachment', 2018034);
	if (m.text !== undefined) {
		if (typeof m.text !== 'string' || !m.text) return bad('(#100) Param message[text] must be a non-empty UTF-8 encoded string');
		if (m.text.length > 1000) return bad('(#100) Length of param message[text] must be less than or equal to 1000');
	}
	const payload = m.attachment && m.attachment.payload;
	if (m.attachment && m.attachment.type === 'template' && payload) {
		if (payload.template_type === 'button') {
			if (typeof payload.text !== 'string' || !payload.text) return bad('(#100) Param message[attachment][payload][text] must be a non-empty string');
			if (payload.text.length > 640) return bad('(#100) Length of param message[attachment][payload][text] must be less than or equal to 640');
			if (!Array.isArray(payload.buttons) || payload.buttons.length < 1 || payload.buttons.length > 3) {
				return bad('(#100) param message[attachment][payload][buttons] must have between 1 and 3 elements');
			}
			for (const b of payload.buttons) {
				if (!b || typeof b.title !== 'string' || !b.title) return bad('(#100) Button title is required');
				if (b.title.length > 20) return bad('(#100) Length of button title must be less than or equal to 20');
				if (b.type === 'web_url' && (typeof b.url !== 'string' || !/^https?:\/\//i.test(b.url))) {
					return bad('(#100) Param message[attachment][payload][buttons][0][url] must be a valid URL');
				}
			}
		}
	}
	if (m.quick_replies !== undefined) {
		if (!Array.isArray(m.quick_replies) || m.quick_replies.length > 13) return bad('(#100) param message[quick_replies] must have at most 13 elements');
		for (const q of m.quick_replies) {
			if (q && typeof q.title === 'string' && q.title.length > 20) return bad('(#100) Length of quick reply title must be less than or equal to 20');
		}
	}
	return null;
}
