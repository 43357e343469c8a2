/**
 * The pages around the checkout: the session list (/), the success page (/thanks) and the cancel page
 * (/cancelled), each linking back to the customer's chat on the sandbox's chat page when one is set.
 */
import type { ServerResponse } from 'node:http';

import { escapeHtml, sendHtml } from '../http';
import type { SessionRecord, SimContext } from './context';
import { formatAmount } from './money';

/** The customer's chat on the sandbox's chat page, from the chat reference Create Stripe Checkout put in the metadata. */
function chatLinkOf(ctx: SimContext, s: SessionRecord | undefined): string | null {
	if (!ctx.chatPageUrl) return null;
	const md = s?.metadata ?? {};
	if (!md.chat_channel || !md.chat_user_id) return `${ctx.chatPageUrl}/`;
	return `${ctx.chatPageUrl}/?${new URLSearchParams({ channel: String(md.chat_channel), customer: String(md.chat_user_id) })}`;
}

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0;padding:24px}
.card{max-width:880px;margin:0 auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:24px}
h1{font-size:22px;margin:8px 0}.muted{color:#697386;font-size:13px}p{line-height:1.5}
table{width:100%;border-collapse:collapse;margin:16px 0}td,th{padding:6px 4px;border-bottom:1px solid #e3e8ee;text-align:left;font-size:13px}
.test{background:#ffde92;color:#663c00;font-size:12px;padding:2px 6px;border-radius:4px}
.status{display:inline-block;padding:2px 8px;border-radius:10px;background:#e3e8ee;font-size:12px}
.status.complete{background:#d7f7c2;color:#05690d}.status.expired{background:#fde2e1;color:#a41c1c}
a.button{display:inline-block;background:#635bff;color:#fff;text-decoration:none;border-radius:6px;padding:10px 16px;margin:8px 8px 0 0}
a.button.secondary{background:#e3e8ee;color:#1a1f36}`;

function sitePageHtml(ctx: SimContext, title: string, body: string): string {
	const shop = escapeHtml(ctx.accountName);
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – ${shop} (sandbox)</title>
<style>
${STYLE}
</style></head><body><div class="card"><p><span class="test">TEST MODE</span> <span class="muted">${shop} · sandbox Stripe on 127.0.0.1 — no real payment, no card data</span></p>
${body}</div></body></html>`;
}

const ALL_SESSIONS = '<a class="button secondary" href="/">All checkout sessions</a>';

function totalOf(s: SessionRecord): string {
	return s.amount_total !== null && s.currency ? formatAmount(s.amount_total, s.currency) : '—';
}

function itemsOf(ctx: SimContext, s: SessionRecord): string {
	return (ctx.resolvedItems.get(s.id) ?? []).map((it) => `${it.name} × ${it.quantity}`).join(', ');
}

function backToChat(ctx: SimContext, s: SessionRecord | undefined): string {
	const chat = chatLinkOf(ctx, s);
	return chat ? `<a class="button" id="back-to-chat" href="${escapeHtml(chat)}">Back to the chat</a>` : '';
}

function thanksPage(ctx: SimContext, res: ServerResponse, s: SessionRecord | undefined, sessionId: string | null): void {
	if (!s) {
		const body = `<h1>We could not find this checkout</h1><p>No session <code>${escapeHtml(sessionId ?? '(none)')}</code> on this sandbox Stripe (sessions live in memory: a restart of the sandbox forgets them).</p>${backToChat(ctx, undefined)} ${ALL_SESSIONS}`;
		return sendHtml(res, 404, sitePageHtml(ctx, 'Unknown checkout', body));
	}
	const paid = s.payment_status === 'paid' || s.payment_status === 'no_payment_required';
	const headline = s.status !== 'complete' ? 'This checkout is not finished' : paid ? 'Thank you — payment received' : 'Payment submitted — waiting for the bank';
	const detail =
		s.status !== 'complete'
			? `The session is <b>${escapeHtml(s.status)}</b>: nothing was charged. Open the link in the chat to pay.`
			: paid
				? `${escapeHtml(itemsOf(ctx, s))} · <b>${escapeHtml(totalOf(s))}</b>. Stripe told the shop with a signed <code>checkout.session.completed</code> event; the shop confirms in the chat.`
				: 'Stripe tells the shop when the payment succeeds or fails (<code>checkout.session.async_payment_*</code>); the shop answers in the chat.';
	const body = `<h1 id="headline">${escapeHtml(headline)}</h1><p id="detail">${detail}</p><p class="muted">Session <code>${escapeHtml(s.id)}</code> · <span class="status ${escapeHtml(s.status)}">${escapeHtml(s.status)} / ${escapeHtml(s.payment_status)}</span></p>${backToChat(ctx, s)} ${ALL_SESSIONS}`;
	return sendHtml(res, 200, sitePageHtml(ctx, headline, body));
}

function cancelledPage(ctx: SimContext, res: ServerResponse, s: SessionRecord | undefined): void {
	const detail =
		s && s.status === 'open'
			? `Nothing was charged. The link in the chat stays valid until ${escapeHtml(new Date(s.expires_at * 1000).toISOString().slice(0, 16).replace('T', ' '))} UTC: tap it again to pay.`
			: 'Nothing was charged. Ask the shop in the chat for a new link when you are ready.';
	return sendHtml(res, 200, sitePageHtml(ctx, 'Checkout cancelled', `<h1 id="headline">Checkout cancelled</h1><p id="detail">${detail}</p>${backToChat(ctx, s)} ${ALL_SESSIONS}`));
}

function sessionListPage(ctx: SimContext, res: ServerResponse): void {
	const list = [...ctx.sessions.values()].reverse();
	const rows = list
		.map((x) => {
			const chat = chatLinkOf(ctx, x);
			const who = x.metadata?.chat_channel ? `${escapeHtml(x.metadata.chat_channel)} ${escapeHtml(x.metadata.chat_user_id ?? '')}` : '—';
			return `<tr><td><a href="/pay/${escapeHtml(x.id)}"><code>${escapeHtml(x.id.slice(0, 24))}…</code></a></td><td>${escapeHtml(new Date(x.created * 1000).toISOString().slice(11, 19))}</td><td>${escapeHtml(itemsOf(ctx, x))}</td><td>${escapeHtml(totalOf(x))}</td><td><span class="status ${escapeHtml(x.status)}">${escapeHtml(x.status)} / ${escapeHtml(x.payment_status)}</span></td><td>${chat ? `<a href="${escapeHtml(chat)}">${who}</a>` : who}</td></tr>`;
		})
		.join('');
	const deliveredEvents = ctx.events.filter((e) => e.delivered).length;
	const webhook = ctx.webhook.url ? ` · webhook <code>${escapeHtml(ctx.webhook.url)}</code>` : '';
	return sendHtml(
		res,
		200,
		sitePageHtml(
			ctx,
			'Checkout sessions',
			`<h1>Checkout sessions</h1>
<p class="muted">${list.length} session(s) since this sandbox started (kept in memory) · ${ctx.events.length} event(s) sent to n8n, ${deliveredEvents} answered 2xx${webhook}</p>
${list.length ? `<table id="sessions"><thead><tr><th>Session (opens its checkout page)</th><th>Created (UTC)</th><th>Items</th><th>Total</th><th>Status</th><th>Chat</th></tr></thead><tbody>${rows}</tbody></table>` : '<p id="empty">No checkout yet: order something in the chat and the shop creates one.</p>'}
${ctx.chatPageUrl ? `<a class="button" href="${escapeHtml(ctx.chatPageUrl)}/">Open the chat page</a>` : ''}`,
		),
	);
}

/** @param which '' (the list), 'thanks' or 'cancelled' */
export function sitePage(ctx: SimContext, res: ServerResponse, which: string, sessionId: string | null): void {
	const s = sessionId ? ctx.sessions.get(sessionId) : undefined;
	if (which === 'thanks') return thanksPage(ctx, res, s, sessionId);
	if (which === 'cancelled') return cancelledPage(ctx, res, s);
	return sessionListPage(ctx, res);
}
