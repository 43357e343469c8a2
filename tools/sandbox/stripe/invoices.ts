/**
 * A subscription's invoices, as Stripe's invoice.paid / invoice.payment_failed events carry them (with the
 * pre-2025 field names much code still reads).
 */
import { randomId } from '../http';
import type { SimContext } from './context';
import type { StripeObject } from './types';

export interface InvoiceOptions {
	billingReason: string;
	paid: boolean;
	periodStart: number;
	periodEnd: number;
}

function invoiceLine(ctx: SimContext, sub: StripeObject, invoiceId: string, item: StripeObject, opts: InvoiceOptions): StripeObject {
	return {
		id: randomId('il_1SIM', 20),
		object: 'line_item',
		amount: Number(item.price.unit_amount) * Number(item.quantity),
		currency: sub.currency,
		description: `${item.quantity} × ${ctx.products.get(item.price.product)?.name ?? 'Item'}`,
		invoice: invoiceId,
		livemode: false,
		metadata: { ...sub.metadata },
		parent: {
			type: 'subscription_item_details',
			invoice_item_details: null,
			subscription_item_details: {
				invoice_item: null,
				proration: false,
				proration_details: { credited_items: null },
				subscription: sub.id,
				subscription_item: item.id,
			},
		},
		period: { start: opts.periodStart, end: opts.periodEnd },
		pricing: { type: 'price_details', price_details: { price: item.price.id, product: item.price.product }, unit_amount_decimal: String(item.price.unit_amount) },
		quantity: item.quantity,
	};
}

/** Makes the subscription's next invoice (its latest_invoice). */
export function createInvoice(ctx: SimContext, sub: StripeObject, opts: InvoiceOptions): StripeObject {
	const items: StripeObject[] = sub.items.data;
	const amount = items.reduce((sum, it) => sum + Number(it.price.unit_amount) * Number(it.quantity), 0);
	const created = ctx.nowSec();
	const id = randomId('in_1SIM', 20);
	ctx.invoiceCount += 1;
	const customer = ctx.customers.get(sub.customer);
	// Stripe's invoice period is the one billed in arrears: both equal `created` for the first invoice.
	const period = opts.billingReason === 'subscription_create' ? created : opts.periodStart;
	const invoice = {
		id,
		object: 'invoice',
		account_country: 'US',
		account_name: ctx.accountName,
		amount_due: amount,
		amount_overpaid: 0,
		amount_paid: opts.paid ? amount : 0,
		amount_remaining: opts.paid ? 0 : amount,
		amount_shipping: 0,
		attempt_count: 1,
		attempted: true,
		auto_advance: !opts.paid,
		billing_reason: opts.billingReason,
		collection_method: 'charge_automatically',
		created,
		currency: sub.currency,
		customer: sub.customer,
		customer_email: customer?.email ?? null,
		customer_name: null,
		description: null,
		hosted_invoice_url: null,
		invoice_pdf: null,
		lines: {
			object: 'list',
			data: items.map((it) => invoiceLine(ctx, sub, id, it, opts)),
			has_more: false,
			total_count: items.length,
			url: `/v1/invoices/${id}/lines`,
		},
		livemode: false,
		metadata: {},
		next_payment_attempt: opts.paid ? null : created + 3 * 24 * 3600,
		number: `SIM-${String(ctx.invoiceCount).padStart(4, '0')}`,
		parent: {
			type: 'subscription_details',
			quote_details: null,
			subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id },
		},
		period_end: period,
		period_start: period,
		status: opts.paid ? 'paid' : 'open',
		status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: opts.paid ? created : null, voided_at: null },
		// Pre-2025 field names, still read by much code:
		subscription: sub.id,
		subscription_details: { metadata: { ...sub.metadata } },
		paid: opts.paid,
		subtotal: amount,
		total: amount,
	};
	ctx.invoices.set(id, invoice);
	sub.latest_invoice = id;
	return invoice;
}
