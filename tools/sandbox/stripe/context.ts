/**
 * Everything one running Stripe simulator holds: its stores, clock and webhook settings. Each part of the
 * simulator (sessions, delivery, pages, routes…) is a set of functions over this one object.
 */
import { randomId } from '../http';
import type { DeliveryOptions, EventRecord, RequestRecord, StoredSession, StripeFailSpec, StripeObject, StripeSimOptions } from './types';

export type SessionRecord = StoredSession & StripeObject;

/** A Checkout Session's line item as priced at creation. */
export interface ResolvedItem {
	name: string;
	quantity: number;
	unit_amount: number;
	currency: string;
	price: StripeObject;
	amount: number;
}

/** What an idempotent POST answered, kept under its Idempotency-Key. */
export interface IdempotentAnswer {
	method: string;
	path: string;
	/** The request's params in canonical JSON. */
	params: string;
	status: number;
	body: unknown;
	requestId: string;
}

export interface WebhookSettings {
	url: string | null;
	secrets: string[];
	timeoutMs: number;
	retryDelaysMs: number[];
	defaultDelivery: DeliveryOptions;
	/** Events with an automatic retry scheduled. */
	retrying: Set<EventRecord>;
	stopped: boolean;
}

export interface SimContext {
	nowSec: () => number;
	/** The address the server really listens on (set once it listens). */
	baseUrl: string;
	accountName: string;
	accountId: string;
	/** Loopback URL of the sandbox's chat page, without a trailing slash. */
	chatPageUrl: string | null;
	webhook: WebhookSettings;
	requests: RequestRecord[];
	events: EventRecord[];
	sessions: Map<string, SessionRecord>;
	/** Session id → its line items priced at creation. */
	resolvedItems: Map<string, ResolvedItem[]>;
	subscriptions: Map<string, StripeObject>;
	invoices: Map<string, StripeObject>;
	invoiceCount: number;
	paymentIntents: Map<string, StripeObject>;
	customers: Map<string, StripeObject>;
	prices: Map<string, StripeObject>;
	/** Ids of the prices made from a session's price_data: not listed by GET /v1/prices. */
	unlistedPrices: Set<string>;
	products: Map<string, StripeObject>;
	idempotency: Map<string, IdempotentAnswer>;
	failures: StripeFailSpec[];
	portal: { configured: boolean; planIds: string[]; sessions: Map<string, StripeObject> };
	charges: Map<string, StripeObject>;
	refunds: Map<string, StripeObject>;
}

export function createContext(options: StripeSimOptions): SimContext {
	const nowMs = options.now ?? (() => Date.now());
	return {
		nowSec: () => Math.floor(nowMs() / 1000),
		baseUrl: '',
		accountName: options.accountName ?? 'Sandbox Shop',
		accountId: randomId('acct_1SIM', 12),
		chatPageUrl: null,
		webhook: {
			url: null,
			secrets: [options.webhookSecret],
			timeoutMs: options.webhookTimeoutMs ?? 10000,
			retryDelaysMs: (options.retryDelaysMs ?? []).slice(),
			defaultDelivery: { order: 'sequential', duplicates: 0, deliver: true, ...(options.delivery ?? {}) },
			retrying: new Set(),
			stopped: false,
		},
		requests: [],
		events: [],
		sessions: new Map(),
		resolvedItems: new Map(),
		subscriptions: new Map(),
		invoices: new Map(),
		invoiceCount: 0,
		paymentIntents: new Map(),
		customers: new Map(),
		prices: new Map(),
		unlistedPrices: new Set(),
		products: new Map(),
		idempotency: new Map(),
		failures: [],
		portal: { configured: options.portalConfigured ?? true, planIds: [], sessions: new Map() },
		charges: new Map(),
		refunds: new Map(),
	};
}

/** Deep copy of a JSON value (what the API answers is never the stored object itself). */
export function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/** Cancels the automatic retries due (on stop and reset). */
export function cancelRetries(ctx: SimContext): void {
	for (const record of ctx.webhook.retrying) if (record.retryTimer) clearTimeout(record.retryTimer);
	ctx.webhook.retrying.clear();
}
