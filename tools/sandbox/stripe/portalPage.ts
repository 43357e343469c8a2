/**
 * The Customer Portal page at /portal/:id: the customer's own subscriptions with buttons to cancel (at the
 * period end or now), keep, switch plan, and update the card (see portalActions.ts). No card data.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { escapeHtml, isLoopbackUrl, readBody, sendHtml } from '../http';
import type { SimContext } from './context';
import { formatAmount } from './money';
import { answerPageAction, eventSummaries, pageRequest, sendPlainPage } from './pageActions';
import { portalCancel, portalChangePlan, portalKeepSubscription, portalUpdateCard } from './portalActions';
import type { ActionResult, StripeObject } from './types';

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0;padding:24px}
.card{max-width:560px;margin:0 auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:24px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 4px}.muted{color:#697386;font-size:13px}.sub{border-top:1px solid #e3e8ee;padding:8px 0}
form{display:inline-block;margin:4px 8px 4px 0}button{border:0;border-radius:6px;padding:8px 14px;font-size:14px;cursor:pointer;background:#e3e8ee}
.notice{background:#eef9f1;border:1px solid #b7e4c7;border-radius:6px;padding:8px 12px;margin:12px 0}
.test{background:#ffde92;color:#663c00;font-size:12px;padding:2px 6px;border-radius:4px}`;

function planLine(ctx: SimContext, sub: StripeObject): string {
	const item = sub.items.data[0];
	if (!item) return '—';
	const name = ctx.products.get(item.price.product)?.name ?? item.price.id;
	const every = item.price.recurring ? ` / ${item.price.recurring.interval}` : '';
	return `${name} × ${item.quantity} · ${formatAmount(Number(item.price.unit_amount), item.price.currency)}${every}`;
}

const day = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000).toISOString().slice(0, 10) : '—');

function subscriptionRow(ctx: SimContext, sub: StripeObject, button: (action: string, label: string, id: string) => string): string {
	const scheduled = sub.cancel_at_period_end || sub.cancel_at;
	const plans = ctx.portal.planIds
		.map((id) => ctx.prices.get(id))
		.filter((p) => p && p.currency === sub.currency && p.id !== sub.items.data[0]?.price.id)
		.map((p) => button(`switch/${sub.id}/${p?.id}`, `Switch to ${ctx.products.get(p?.product)?.name ?? p?.id}`, `switch-${p?.id}`))
		.join('');
	const actions = scheduled
		? button(`keep/${sub.id}`, "Don't cancel", `keep-${sub.id}`)
		: `${button(`cancel/${sub.id}`, 'Cancel at period end', `cancel-${sub.id}`)}${button(`cancel-now/${sub.id}`, 'Cancel now', `cancel-now-${sub.id}`)}`;
	const state = scheduled ? `cancels on ${day(sub.cancel_at)}` : `renews on ${day(sub.items.data[0]?.current_period_end)}`;
	return `<div class="sub" id="sub-${escapeHtml(sub.id)}"><p><b>${escapeHtml(planLine(ctx, sub))}</b><br><span class="muted">${escapeHtml(sub.status)} · ${escapeHtml(state)}</span></p>${actions}${plans}</div>`;
}

function portalHtml(ctx: SimContext, portal: StripeObject, notice?: string): string {
	const customer = ctx.customers.get(portal.customer);
	const subs = [...ctx.subscriptions.values()].filter((sub) => sub.customer === portal.customer && sub.status !== 'canceled');
	const button = (action: string, label: string, id: string) =>
		`<form method="post" action="/portal/${escapeHtml(portal.id)}/${action}"><button type="submit" id="${escapeHtml(id)}">${escapeHtml(label)}</button></form>`;
	const rows = subs.map((sub) => subscriptionRow(ctx, sub, button)).join('');
	const back = portal.return_url
		? `<p>${isLoopbackUrl(portal.return_url) ? `<a href="${escapeHtml(portal.return_url)}">Return to ${escapeHtml(ctx.accountName)}</a>` : `Return link: <code>${escapeHtml(portal.return_url)}</code>`}</p>`
		: '';
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(ctx.accountName)} – Sandbox customer portal</title>
<style>
${STYLE}
</style></head>
<body><div class="card">
<p><span class="test">TEST MODE</span> <span class="muted">Sandbox customer portal – no card data</span></p>
<h1>${escapeHtml(ctx.accountName)}</h1>
<p class="muted">Customer <code id="customer-id">${escapeHtml(portal.customer)}</code>${customer?.email ? ` · ${escapeHtml(customer.email)}` : ''}</p>
${notice ? `<div class="notice" id="notice">${escapeHtml(notice)}</div>` : ''}
<h2>Subscriptions</h2>
${rows || '<p id="no-subscriptions">No active subscription.</p>'}
<h2>Payment method</h2>
<p class="muted">${customer?.invoice_settings?.default_payment_method ? `Default: <code>${escapeHtml(customer.invoice_settings.default_payment_method)}</code>` : 'None on file'}</p>
${button('update-card', 'Update card', 'update-card')}
${back}
</div></body></html>`;
}

/** GET /portal/:id (the page), POST /portal/:id/:action[/:subscription[/:price]] (a button). */
export async function handlePortalPage(ctx: SimContext, req: IncomingMessage, res: ServerResponse, segs: string[]): Promise<void> {
	const request = pageRequest(req);
	const portal = ctx.portal.sessions.get(segs[0] ?? '');
	if (!portal) return sendPlainPage(res, 404, 'Portal session not found');
	if (segs.length === 1 && request.method === 'GET') return sendHtml(res, 200, portalHtml(ctx, portal));
	if (request.method !== 'POST') return sendPlainPage(res, 405, 'Method not allowed', { Allow: 'POST' });
	await readBody(req);
	const [, action, subId, priceId] = segs;
	/** The page acts on its own customer's subscriptions only. */
	const own = () => {
		const sub = ctx.subscriptions.get(subId ?? '');
		if (!sub || sub.customer !== portal.customer) throw Object.assign(new Error('not a subscription of this customer'), { status: 403 });
		return sub.id as string;
	};
	const actions: Record<string, [() => Promise<ActionResult>, string]> = {
		cancel: [() => portalCancel(ctx, own()), 'Your subscription will be cancelled at the end of the period.'],
		'cancel-now': [() => portalCancel(ctx, own(), { atPeriodEnd: false }), 'Your subscription is cancelled.'],
		keep: [() => portalKeepSubscription(ctx, own()), 'Your subscription will continue.'],
		switch: [() => portalChangePlan(ctx, own(), priceId ?? ''), 'Your plan is changed.'],
		'update-card': [() => portalUpdateCard(ctx, portal.customer), 'Your card is updated.'],
	};
	const chosen = action && Object.hasOwn(actions, action) ? actions[action] : undefined;
	if (!chosen) return sendPlainPage(res, 404, 'Unknown action');
	return answerPageAction(res, request, chosen[0], {
		json: (result) => ({ events: eventSummaries(result) }),
		html: () => portalHtml(ctx, portal, chosen[1]),
		failedHtml: (message) => portalHtml(ctx, portal, message),
	});
}
