/**
 * startStripeSim: the simulator's stores and server, and the handle tests drive it with.
 */
import type Stripe from 'stripe';

import { assertLoopbackUrl, listenLoopback } from '../http';
import { handleRequest } from './apiServer';
import { addPrice } from './catalog';
import { publicSession } from './sessionView';
import { cancelRetries, createContext } from './context';
import { deliverAll, deliverOnce, findEvent, waitForDelivered } from './delivery';
import { stripeErrors } from './errors';
import { createEvent, signed } from './events';
import { asyncSucceed, expire, failAsync, pay, payAsyncPending } from './payments';
import { portalCancel, portalChangePlan, portalKeepSubscription, portalUpdateCard } from './portalActions';
import { setPortalPlans } from './portalSessions';
import { refund } from './refunds';
import { cancelSubscription, failInvoice, renewSubscription } from './subscriptions';
import type { StripeSim, StripeSimOptions } from './types';

/** Starts the Stripe simulator on 127.0.0.1. */
export async function startStripeSim(options: StripeSimOptions): Promise<StripeSim> {
	if (!options || !Array.isArray(options.secretKeys) || options.secretKeys.length === 0) {
		throw new Error('startStripeSim: secretKeys (non-empty string[]) is required');
	}
	if (typeof options.webhookSecret !== 'string' || !options.webhookSecret) throw new Error('startStripeSim: webhookSecret is required');
	if (options.webhookUrl) assertLoopbackUrl(options.webhookUrl, 'webhookUrl');
	const ctx = createContext(options);
	if (options.webhookUrl) ctx.webhook.url = options.webhookUrl;
	const secretKeys = new Set(options.secretKeys);
	for (const p of options.prices ?? []) addPrice(ctx, p);
	if (options.portalPlans) setPortalPlans(ctx, options.portalPlans);

	const listening = await listenLoopback((req, res) => handleRequest(ctx, secretKeys, req, res), options.port ?? 0);
	// Session URLs name the address the server really listens on (a Host header could say anything).
	ctx.baseUrl = listening.url;

	const sim: StripeSim = {
		url: listening.url,
		port: listening.port,
		clientOptions: { host: '127.0.0.1', port: listening.port, protocol: 'http' },
		stop: async () => {
			ctx.webhook.stopped = true;
			cancelRetries(ctx);
			await listening.stop();
		},
		requests: ctx.requests,
		events: ctx.events,
		sessions: ctx.sessions,
		subscriptions: ctx.subscriptions,
		invoices: ctx.invoices,
		getSession: (id) => {
			const s = ctx.sessions.get(id);
			return s ? publicSession(ctx, s) : null;
		},
		setWebhookUrl: (url) => {
			if (url !== null) assertLoopbackUrl(url, 'webhookUrl');
			ctx.webhook.url = url;
		},
		setWebhookSecret: (secret) => {
			const list = Array.isArray(secret) ? secret : [secret];
			if (list.length === 0 || list.some((s) => typeof s !== 'string' || !s)) throw new Error('setWebhookSecret: non-empty secret(s) required');
			ctx.webhook.secrets = list;
		},
		setDelivery: (o) => {
			ctx.webhook.defaultDelivery = { ...ctx.webhook.defaultDelivery, ...o };
		},
		addPrice: (spec) => addPrice(ctx, spec),
		failNext: (spec, count = 1) => {
			if (!spec || typeof spec.status !== 'number') throw new Error('failNext: { status } is required');
			for (let i = 0; i < count; i++) ctx.failures.push(spec);
		},
		// Drops queued failures nobody consumed (a test that queued more than the client retried).
		clearFailures: () => {
			ctx.failures.length = 0;
		},
		errors: stripeErrors,
		pay: (id, opts) => pay(ctx, id, opts),
		expire: (id, opts) => expire(ctx, id, opts),
		failAsync: (id, opts) => failAsync(ctx, id, opts),
		payAsyncPending: (id, opts) => payAsyncPending(ctx, id, opts),
		asyncSucceed: (id, opts) => asyncSucceed(ctx, id, opts),
		failInvoice: (id, opts) => failInvoice(ctx, id, opts),
		renewSubscription: (id, opts) => renewSubscription(ctx, id, opts),
		cancelSubscription: (id, opts) => cancelSubscription(ctx, id, opts),
		emit: async (type, object, opts) => {
			const rec = createEvent(ctx, type, object);
			await deliverAll(ctx, [rec], opts);
			return rec;
		},
		redeliver: async (eventId) => deliverOnce(ctx, findEvent(ctx, eventId)),
		setRetryDelays: (delaysMs) => {
			if (!Array.isArray(delaysMs) || delaysMs.some((d) => typeof d !== 'number' || d < 0)) throw new Error('setRetryDelays: non-negative numbers required');
			ctx.webhook.retryDelaysMs = delaysMs.slice();
		},
		waitForDelivered: (eventId, opts) => waitForDelivered(ctx, eventId, opts),
		signedRequest: (event, opts) => signed(ctx, event, opts),
		setChatPageUrl: (url) => {
			if (url !== null) assertLoopbackUrl(url, 'chatPageUrl');
			ctx.chatPageUrl = url === null ? null : url.replace(/\/+$/, '');
		},
		refund: (id, opts) => refund(ctx, id, opts),
		portalCancel: (id, opts) => portalCancel(ctx, id, opts),
		portalKeepSubscription: (id, opts) => portalKeepSubscription(ctx, id, opts),
		portalChangePlan: (id, priceId, opts) => portalChangePlan(ctx, id, priceId, opts),
		portalUpdateCard: (id, opts) => portalUpdateCard(ctx, id, opts),
		setPortalConfigured: (configured) => {
			ctx.portal.configured = configured;
		},
		setPortalPlans: (specs) => setPortalPlans(ctx, specs),
		portalSessions: ctx.portal.sessions,
		charges: ctx.charges,
		refunds: ctx.refunds,
		stripeClient: (key) => {
			// Loaded when asked for: the simulator itself needs no SDK.
			const StripeClient = require('stripe') as typeof Stripe;
			return new StripeClient(key ?? options.secretKeys[0], { ...sim.clientOptions, maxNetworkRetries: 0 });
		},
		reset: () => {
			cancelRetries(ctx);
			ctx.requests.length = 0;
			ctx.events.length = 0;
			ctx.sessions.clear();
			ctx.subscriptions.clear();
			ctx.invoices.clear();
			ctx.paymentIntents.clear();
			ctx.customers.clear();
			ctx.idempotency.clear();
			ctx.failures.length = 0;
			ctx.resolvedItems.clear();
			ctx.portal.sessions.clear();
			ctx.charges.clear();
			ctx.refunds.clear();
		},
	};
	return sim;
}
