/**
 * The hosted test checkout page at /pay/:id: the items and total, and buttons that pay, expire, fail or
 * complete a delayed payment, or refund (each sending the events Stripe sends). No card data, no external assets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { escapeHtml, isLoopbackUrl, readBody, sendHtml } from '../http';
import type { SessionRecord, SimContext } from './context';
import { formatAmount } from './money';
import { answerPageAction, eventSummaries, pageRequest, sendPlainPage } from './pageActions';
import { asyncSucceed, expire, failAsync, pay, payAsyncPending } from './payments';
import { refund } from './refunds';
import { amountFromForm, refundHtml } from './refundPage';
import type { ActionResult, EventRecord } from './types';

const NOTICES: Record<string, string> = {
	pay: 'Payment succeeded.',
	expire: 'Session expired.',
	'fail-async': 'Async payment failed.',
	'pay-async-pending': 'Payment submitted; awaiting the async result.',
	'async-succeed': 'Async payment succeeded.',
	refund: 'Refund sent.',
};

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0;padding:24px}
.card{max-width:560px;margin:0 auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:24px}
h1{font-size:20px;margin:0 0 4px}.muted{color:#697386;font-size:13px}
table{width:100%;border-collapse:collapse;margin:16px 0}td,th{padding:6px 4px;border-bottom:1px solid #e3e8ee;text-align:left;font-size:14px}
.n{text-align:right}.total{font-weight:600;font-size:16px}
.status{display:inline-block;padding:2px 8px;border-radius:10px;background:#e3e8ee;font-size:12px}
form{display:inline-block;margin:4px 8px 4px 0}button{border:0;border-radius:6px;padding:10px 16px;font-size:14px;cursor:pointer}
.pay{background:#635bff;color:#fff}.expire{background:#e3e8ee}.fail{background:#fde2e1;color:#a41c1c}
.notice{background:#eef9f1;border:1px solid #b7e4c7;border-radius:6px;padding:8px 12px;margin:12px 0}
.test{background:#ffde92;color:#663c00;font-size:12px;padding:2px 6px;border-radius:4px}`;

function itemRows(ctx: SimContext, s: SessionRecord): string {
	return (ctx.resolvedItems.get(s.id) ?? [])
		.map((it) => {
			const r = it.price.recurring;
			const every = r ? ` / ${r.interval_count > 1 ? `${r.interval_count} ` : ''}${r.interval}` : '';
			return `<tr><td>${escapeHtml(it.name)}</td><td class="n">${it.quantity}</td><td class="n">${escapeHtml(formatAmount(it.unit_amount, it.currency))}${escapeHtml(every)}</td><td class="n">${escapeHtml(formatAmount(it.amount, it.currency))}</td></tr>`;
		})
		.join('');
}

/** The success or cancel URL as a link (loopback) or as text (anything else: the sandbox links nowhere else). */
function returnLink(url: string | null, label: string): string {
	if (!url) return '';
	return `<p class="ret">${isLoopbackUrl(url) ? `<a href="${escapeHtml(url)}" title="${escapeHtml(url)}">${escapeHtml(label)}</a>` : `${escapeHtml(label)}: <code>${escapeHtml(url)}</code>`}</p>`;
}

function pageHtml(ctx: SimContext, s: SessionRecord, notice?: string, recs?: EventRecord[]): string {
	const total = s.amount_total !== null && s.currency ? formatAmount(s.amount_total, s.currency) : '—';
	const open = s.status === 'open';
	const pendingAsync = s.status === 'complete' && s.payment_status === 'unpaid';
	const successUrl = s.success_url ? String(s.success_url).replace('{CHECKOUT_SESSION_ID}', s.id) : null;
	const cancelUrl = s.cancel_url ? String(s.cancel_url).replace('{CHECKOUT_SESSION_ID}', s.id) : null;
	const button = (action: string, label: string, cls: string) =>
		`<form method="post" action="/pay/${escapeHtml(s.id)}/${action}"><button type="submit" class="${cls}" id="btn-${action}">${escapeHtml(label)}</button></form>`;
	const eventsHtml =
		recs && recs.length
			? `<ul class="events">${recs.map((r) => `<li><code>${escapeHtml(r.type)}</code> → ${r.status === null ? 'not delivered' : `HTTP ${r.status}`}</li>`).join('')}</ul>`
			: '';
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(ctx.accountName)} – Sandbox Checkout</title>
<style>
${STYLE}
</style></head>
<body><div class="card">
<p><span class="test">TEST MODE</span> <span class="muted">Sandbox checkout – no real payment, no card data</span></p>
<h1>${escapeHtml(ctx.accountName)}</h1>
<p class="muted">Session <code id="session-id">${escapeHtml(s.id)}</code> · mode ${escapeHtml(s.mode)} · <span class="status" id="status">${escapeHtml(s.status)} / ${escapeHtml(s.payment_status)}</span></p>
${notice ? `<div class="notice" id="notice">${escapeHtml(notice)}</div>${eventsHtml}` : ''}
<table><thead><tr><th>Item</th><th class="n">Qty</th><th class="n">Unit</th><th class="n">Amount</th></tr></thead>
<tbody>${itemRows(ctx, s)}</tbody>
<tfoot><tr><td colspan="3" class="total">Total</td><td class="n total" id="total">${escapeHtml(total)}</td></tr></tfoot></table>
${s.customer_email ? `<p class="muted">Email: ${escapeHtml(s.customer_email)}</p>` : ''}
${open ? `${button('pay', 'Pay', 'pay')}${button('expire', 'Expire session', 'expire')}${s.mode === 'payment' ? button('fail-async', 'Fail (async payment)', 'fail') : ''}` : ''}
${pendingAsync ? `${button('async-succeed', 'Async payment succeeds', 'pay')}${button('fail-async', 'Async payment fails', 'fail')}` : ''}
${refundHtml(ctx, s)}
${s.status === 'complete' ? returnLink(successUrl, 'Return to merchant') : ''}${open ? returnLink(cancelUrl, 'Cancel and return to merchant') : ''}
</div></body></html>`;
}

/** GET /pay/:id (the page), POST /pay/:id/:action (a button). */
export async function handleCheckoutPage(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[]): Promise<void> {
	const request = pageRequest(req);
	const s = ctx.sessions.get(segs[0] ?? '');
	if (!s) return sendPlainPage(res, 404, 'Checkout session not found');
	if (segs.length === 1 && request.method === 'GET') {
		const notice =
			s.status === 'expired' ? 'This Checkout Session is no longer available (expired).' : s.status === 'complete' ? `This Checkout Session is complete (${s.payment_status}).` : undefined;
		return sendHtml(res, 200, pageHtml(ctx, s, notice));
	}
	if (segs.length !== 2 || request.method !== 'POST') return sendPlainPage(res, 405, 'Method not allowed', { Allow: segs.length === 1 ? 'GET' : 'POST' });
	const form = await readBody(req);
	const actions: Record<string, (id: string) => Promise<ActionResult>> = {
		refund: (id) => refund(ctx, id, { amount: amountFromForm(form, String(s.currency)) }),
		pay: (id) => pay(ctx, id),
		expire: (id) => expire(ctx, id),
		'fail-async': (id) => failAsync(ctx, id),
		'pay-async-pending': (id) => payAsyncPending(ctx, id),
		'async-succeed': (id) => asyncSucceed(ctx, id),
	};
	const action = Object.hasOwn(actions, segs[1]) ? actions[segs[1]] : undefined;
	if (!action) return sendPlainPage(res, 404, 'Unknown action');
	return answerPageAction(res, request, () => action(s.id), {
		json: (result) => ({ session: result.session, events: eventSummaries(result) }),
		html: (result) => pageHtml(ctx, s, NOTICES[segs[1]], result.events),
		failedHtml: (message) => pageHtml(ctx, s, message),
	});
}
