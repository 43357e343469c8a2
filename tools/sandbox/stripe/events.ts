/**
 * Events as Stripe makes them, and their signature: a pretty-printed JSON body and `Stripe-Signature:
 * t=…,v1=…` (one v1 per secret while a secret is rolled).
 */
import { createHmac } from 'node:crypto';

import { randomId } from '../http';
import { clone, type SimContext } from './context';
import type { EventRecord, StripeObject } from './types';

/** API version of stripe-node 23.1.0 (its `apiVersion.js`). */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/** Who caused an event: the API request (id and Idempotency-Key) and, for updates, the fields before. */
export interface EventCause {
	requestId?: string | null;
	idempotencyKey?: string | null;
	previousAttributes?: StripeObject;
}

export interface SignOptions {
	timestamp?: number;
	secret?: string | string[];
}

export function createEvent(ctx: SimContext, type: string, object: StripeObject, cause: EventCause = {}): EventRecord {
	const data: StripeObject = { object: clone(object) };
	if (cause.previousAttributes) data.previous_attributes = clone(cause.previousAttributes);
	const event = {
		id: randomId('evt_1SIM', 20),
		object: 'event',
		api_version: STRIPE_API_VERSION,
		created: ctx.nowSec(),
		data,
		livemode: false,
		pending_webhooks: 1,
		request: { id: cause.requestId ?? null, idempotency_key: cause.idempotencyKey ?? null },
		type,
	};
	const record: EventRecord = {
		id: event.id,
		type,
		event,
		payload: JSON.stringify(event, null, 2),
		status: null,
		deliveries: [],
		delivered: false,
		autoRetries: 0,
		retryTimer: null,
	};
	ctx.events.push(record);
	return record;
}

function signatureHeader(payload: string, secrets: string[], timestamp: number): string {
	const sigs = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`);
	return `t=${timestamp},${sigs.join(',')}`;
}

/** The body and headers Stripe would POST for this event (or exact payload), signed now unless told otherwise. */
export function signed(ctx: SimContext, eventOrPayload: string | StripeObject, opts: SignOptions = {}): { body: string; headers: Record<string, string> } {
	const body = typeof eventOrPayload === 'string' ? eventOrPayload : JSON.stringify(eventOrPayload, null, 2);
	const secrets = opts.secret === undefined ? ctx.webhook.secrets : Array.isArray(opts.secret) ? opts.secret : [opts.secret];
	const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
	return {
		body,
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
			'Cache-Control': 'no-cache',
			Accept: '*/*; q=0.5, application/xml',
			'Stripe-Signature': signatureHeader(body, secrets, timestamp),
		},
	};
}
