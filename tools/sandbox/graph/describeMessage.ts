/** What a send says, as a person reading the chat would see it: the sandbox's chat page and the tests read this. */
import type { GraphChannel, GraphJson } from './types';

const URL_RE = /https?:\/\/[^\s"'<>]+/g;

/** The human-readable text of a send (body, header, footer, button titles, template parameters…) and every URL in it. */
export function describeMessage(body: GraphJson, channel: GraphChannel): { text: string; urls: string[] } {
	const texts: string[] = [];
	const urls: string[] = [];
	if (channel === 'whatsapp') {
		if (body.text && typeof body.text.body === 'string') texts.push(body.text.body);
		const it = body.interactive;
		if (it && typeof it === 'object') {
			if (it.header && typeof it.header.text === 'string') texts.push(it.header.text);
			if (it.body && typeof it.body.text === 'string') texts.push(it.body.text);
			if (it.footer && typeof it.footer.text === 'string') texts.push(it.footer.text);
			const params = it.action && it.action.parameters;
			if (params && typeof params.url === 'string') urls.push(params.url);
			if (params && typeof params.display_text === 'string') texts.push(params.display_text);
			const buttons = it.action && Array.isArray(it.action.buttons) ? it.action.buttons : [];
			for (const b of buttons) if (b && b.reply && typeof b.reply.title === 'string') texts.push(b.reply.title);
		}
		if (body.template && typeof body.template.name === 'string') {
			texts.push(`[template ${body.template.name}]`);
			const comps = Array.isArray(body.template.components) ? body.template.components : [];
			for (const c of comps) {
				for (const p of Array.isArray(c && c.parameters) ? c.parameters : []) {
					if (p && typeof p.text === 'string') texts.push(p.text);
				}
			}
		}
		for (const kind of ['image', 'document', 'video', 'audio']) {
			const media = body[kind];
			if (media && typeof media.caption === 'string') texts.push(media.caption);
		}
	} else {
		const m = body.message;
		if (m && typeof m === 'object') {
			if (typeof m.text === 'string') texts.push(m.text);
			const payload = m.attachment && m.attachment.payload;
			if (payload && typeof payload.text === 'string') texts.push(payload.text);
			const buttons = payload && Array.isArray(payload.buttons) ? payload.buttons : [];
			for (const b of buttons) {
				if (b && typeof b.title === 'string') texts.push(b.title);
				if (b && typeof b.url === 'string') urls.push(b.url);
			}
			const elements = payload && Array.isArray(payload.elements) ? payload.elements : [];
			for (const el of elements) {
				if (el && typeof el.title === 'string') texts.push(el.title);
				if (el && typeof el.subtitle === 'string') texts.push(el.subtitle);
				for (const b of Array.isArray(el && el.buttons) ? el.buttons : []) {
					if (b && typeof b.url === 'string') urls.push(b.url);
				}
			}
		}
	}
	const text = texts.join('\n');
	for (const u of text.match(URL_RE) ?? []) if (!urls.includes(u)) urls.push(u);
	return { text, urls };
}
