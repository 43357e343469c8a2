// The sandbox chat page's message rendering: one bubble per conversation entry, from the exact Graph API body
// the shop sent (WhatsApp Cloud API or Instagram Messaging) or from what the customer typed / tapped.
// Plain browser script, no build step; everything is built with DOM calls (no HTML from messages is parsed).
'use strict';
(function (global) {
	const URL_RE = /https?:\/\/[^\s<>"']+/g;

	/** @param {string} tag @param {string} [cls] @param {string} [text] */
	function el(tag, cls, text) {
		const node = document.createElement(tag);
		if (cls) node.className = cls;
		if (text !== undefined) node.textContent = text;
		return node;
	}

	/** Text with clickable http(s) links and WhatsApp's *bold* / _italic_, built as DOM nodes. @param {string} text */
	function richText(text) {
		const span = el('span', 'text');
		let last = 0;
		const push = (/** @type {string} */ plain) => {
			// *bold* and _italic_ as WhatsApp shows them: markers at word edges only (cs_test_… stays as it is).
			const re = /(^|[^\w*])\*(\S(?:[^*\n]*\S)?)\*(?=$|[^\w*])|(^|[^\w_])_(\S(?:[^_\n]*\S)?)_(?=$|[^\w_])/g;
			let at = 0;
			let m;
			while ((m = re.exec(plain)) !== null) {
				const lead = m[1] ?? m[3] ?? '';
				const start = m.index + lead.length;
				if (start > at) span.appendChild(document.createTextNode(plain.slice(at, start)));
				span.appendChild(el(m[2] !== undefined ? 'b' : 'i', undefined, m[2] ?? m[4]));
				at = m.index + m[0].length;
			}
			if (at < plain.length) span.appendChild(document.createTextNode(plain.slice(at)));
		};
		for (const match of text.matchAll(URL_RE)) {
			push(text.slice(last, match.index));
			const a = el('a', 'inline-link', match[0]);
			a.href = match[0];
			a.target = '_blank';
			a.rel = 'noopener';
			span.appendChild(a);
			last = (match.index ?? 0) + match[0].length;
		}
		push(text.slice(last));
		return span;
	}

	/** A button that opens a URL, as a phone's chat app shows a CTA / web_url button. @param {string} label @param {string} url */
	function linkButton(label, url) {
		const a = el('a', 'link-button');
		a.dataset.testid = 'link-button';
		a.href = /^https?:\/\//i.test(url) ? url : '#';
		a.target = '_blank';
		a.rel = 'noopener';
		a.appendChild(el('span', 'icon', '↗'));
		a.appendChild(el('span', 'label', label));
		return a;
	}

	/**
	 * A tappable answer: a WhatsApp reply button or an Instagram quick reply.
	 * @param {'reply-button' | 'quick-reply'} kind @param {{ id: string, title: string }} reply @param {(reply: { id: string, title: string }) => void} onTap
	 */
	function tapButton(kind, reply, onTap) {
		const b = el('button', kind, reply.title);
		b.type = 'button';
		b.dataset.testid = kind;
		b.dataset.id = reply.id;
		b.addEventListener('click', () => onTap(reply));
		return b;
	}

	/** @param {string} iso */
	function clock(iso) {
		const d = new Date(iso);
		return Number.isNaN(d.getTime()) ? '' : d.toTimeString().slice(0, 5);
	}

	/** What a WhatsApp body shows. @param {any} body @param {(reply: any) => void} onTap */
	function whatsAppContent(body, onTap) {
		const parts = { main: el('div', 'content'), below: el('div', 'below'), kind: body.type ?? 'text' };
		const main = parts.main;
		const type = body.type ?? 'text';
		if (type === 'text') {
			main.appendChild(richText(String(body.text?.body ?? '')));
			const url = body.text?.preview_url ? (String(body.text?.body ?? '').match(URL_RE) ?? [])[0] : undefined;
			if (url) {
				const preview = el('a', 'preview');
				preview.href = url;
				preview.target = '_blank';
				preview.rel = 'noopener';
				preview.appendChild(el('span', 'preview-host', new URL(url).host));
				preview.appendChild(el('span', 'preview-path', new URL(url).pathname));
				main.appendChild(preview);
			}
		} else if (type === 'interactive') {
			const it = body.interactive ?? {};
			parts.kind = `interactive:${it.type}`;
			if (it.header?.text) main.appendChild(el('div', 'header', it.header.text));
			main.appendChild(richText(String(it.body?.text ?? '')));
			if (it.footer?.text) main.appendChild(el('div', 'footer', it.footer.text));
			if (it.type === 'cta_url') {
				parts.below.appendChild(linkButton(String(it.action?.parameters?.display_text ?? 'Open'), String(it.action?.parameters?.url ?? '')));
			} else if (it.type === 'button') {
				for (const b of it.action?.buttons ?? []) {
					if (b?.reply) parts.below.appendChild(tapButton('reply-button', { id: String(b.reply.id), title: String(b.reply.title) }, onTap));
				}
			} else if (it.type === 'list') {
				const list = el('div', 'list');
				list.appendChild(el('div', 'list-title', `☰ ${it.action?.button ?? 'Options'}`));
				for (const section of it.action?.sections ?? []) {
					for (const row of section.rows ?? []) list.appendChild(el('div', 'list-row', row.title));
				}
				parts.below.appendChild(list);
			}
		} else if (type === 'template') {
			const t = body.template ?? {};
			const card = el('div', 'template');
			card.appendChild(el('div', 'template-name', `Template “${t.name}” (${t.language?.code ?? '?'})`));
			const params = [];
			for (const c of t.components ?? []) for (const p of c.parameters ?? []) if (typeof p.text === 'string') params.push(p.text);
			params.forEach((p, i) => card.appendChild(el('div', 'template-param', `{{${i + 1}}} ${p}`)));
			card.appendChild(el('div', 'template-note', 'WhatsApp shows the approved template text here, filled with these values.'));
			main.appendChild(card);
		} else {
			const media = body[type] ?? {};
			main.appendChild(el('div', 'media', `[${type}]`));
			if (media.caption) main.appendChild(richText(String(media.caption)));
		}
		return parts;
	}

	/** What an Instagram body shows. @param {any} body @param {(reply: any) => void} onTap @param {boolean} latest */
	function instagramContent(body, onTap, latest) {
		const parts = { main: el('div', 'content'), below: el('div', 'below'), kind: 'text' };
		const m = body.message ?? {};
		if (typeof m.text === 'string') parts.main.appendChild(richText(m.text));
		const payload = m.attachment?.payload;
		if (m.attachment?.type === 'template' && payload?.template_type === 'button') {
			parts.kind = 'button_template';
			parts.main.appendChild(richText(String(payload.text ?? '')));
			for (const b of payload.buttons ?? []) {
				if (b.type === 'web_url') parts.below.appendChild(linkButton(String(b.title), String(b.url)));
				else parts.below.appendChild(el('span', 'postback', `${b.title} (postback)`));
			}
		} else if (m.attachment?.type === 'template' && payload?.template_type === 'generic') {
			parts.kind = 'generic_template';
			for (const e of payload.elements ?? []) {
				const card = el('div', 'card');
				card.appendChild(el('b', undefined, e.title ?? ''));
				if (e.subtitle) card.appendChild(el('div', 'subtitle', e.subtitle));
				for (const b of e.buttons ?? []) if (b.type === 'web_url') card.appendChild(linkButton(String(b.title), String(b.url)));
				parts.main.appendChild(card);
			}
		} else if (m.attachment) {
			parts.kind = m.attachment.type;
			parts.main.appendChild(el('div', 'media', `[${m.attachment.type}]`));
		}
		if (Array.isArray(m.quick_replies)) {
			parts.kind = 'quick_replies';
			// Instagram shows quick replies under the latest message only, and drops them once the customer answers.
			if (latest) {
				for (const q of m.quick_replies) {
					if (q.content_type === 'text') parts.below.appendChild(tapButton('quick-reply', { id: String(q.payload), title: String(q.title) }, onTap));
				}
			}
		}
		return parts;
	}

	/**
	 * One bubble for a conversation entry.
	 * @param {any} entry  { key, from: 'customer' | 'shop', channel, at, text?, reply?, status?, messageId?, body? }
	 * @param {{ onTap: (reply: { id: string, title: string }, entry: any) => void, latest: boolean, quoted?: (messageId: string) => string | undefined }} o
	 */
	function renderEntry(entry, o) {
		const row = el('div', `row ${entry.from}`);
		const bubble = el('div', `bubble ${entry.from}`);
		bubble.dataset.testid = 'bubble';
		bubble.dataset.from = entry.from;
		bubble.dataset.key = entry.key;
		if (entry.from === 'customer') {
			if (entry.reply) bubble.classList.add('tapped');
			bubble.appendChild(richText(String(entry.text ?? '')));
			if (entry.status !== undefined && entry.status !== 200) {
				bubble.appendChild(el('div', 'delivery-error', `n8n answered HTTP ${entry.status}: the shop did not get this`));
			}
		} else {
			const onTap = (/** @type {any} */ reply) => o.onTap(reply, entry);
			const quotedId = entry.body?.context?.message_id;
			if (quotedId && o.quoted) {
				const text = o.quoted(quotedId);
				if (text) bubble.appendChild(el('div', 'quote', text));
			}
			const parts = entry.channel === 'whatsapp' ? whatsAppContent(entry.body ?? {}, onTap) : instagramContent(entry.body ?? {}, onTap, o.latest);
			bubble.dataset.kind = parts.kind;
			bubble.appendChild(parts.main);
			if (parts.below.childNodes.length > 0) bubble.appendChild(parts.below);
		}
		bubble.appendChild(el('span', 'time', clock(entry.at)));
		row.appendChild(bubble);
		return row;
	}

	global.ChatRender = { renderEntry, richText };
})(window);
