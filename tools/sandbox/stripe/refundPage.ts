/**
 * The refund part of the checkout page: what is refunded so far, and buttons to refund in full or in part.
 */
import { escapeHtml } from '../http';
import type { SessionRecord, SimContext } from './context';
import { formatAmount, minorUnitsOf } from './money';

export function refundHtml(ctx: SimContext, s: SessionRecord): string {
	if (s.mode !== 'payment' || s.status !== 'complete' || s.payment_status !== 'paid') return '';
	const pi = s.payment_intent ? ctx.paymentIntents.get(s.payment_intent) : undefined;
	const charge = pi?.latest_charge ? ctx.charges.get(pi.latest_charge) : undefined;
	const refunded = charge?.amount_refunded ?? 0;
	const total = Number(s.amount_total ?? 0);
	const line = refunded > 0 ? `<p class="muted" id="refunded">Refunded ${escapeHtml(formatAmount(refunded, s.currency))} of ${escapeHtml(formatAmount(total, s.currency))}</p>` : '';
	if (refunded >= total) return line;
	return `${line}<form method="post" action="/pay/${escapeHtml(s.id)}/refund"><button type="submit" class="expire" id="btn-refund">Refund in full</button></form>
<form method="post" action="/pay/${escapeHtml(s.id)}/refund"><input name="amount" id="refund-amount" size="8" placeholder="e.g. 10.00" aria-label="Amount to refund (${escapeHtml(String(s.currency).toUpperCase())})"> <button type="submit" class="expire" id="btn-refund-part">Refund part</button></form>`;
}

/**
 * The minor units the amount typed on the page means (major units, the currency's decimals); undefined for an
 * empty field (refund in full).
 */
export function amountFromForm(body: string, currency: string): number | undefined {
	return minorUnitsOf((new URLSearchParams(body).get('amount') ?? '').trim(), currency);
}
