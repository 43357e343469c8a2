/**
 * Webhook delivery: each event POSTed to the loopback webhook URL in the order asked (sequential, reverse,
 * concurrent, with duplicates), recorded, and retried on the simulator's compressed schedule until a 2xx.
 */
import http from 'node:http';
import https from 'node:https';

import { eventually } from '../../wait';
import { isLoopbackUrl } from '../http';
import type { SimContext } from './context';
import { signed } from './events';
import type { DeliveryOptions, DeliveryRecord, EventRecord } from './types';

type DeliveryOutcome = Omit<DeliveryRecord, 'at' | 'durationMs' | 'signature'>;

function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<DeliveryOutcome> {
	return new Promise((resolve) => {
		const u = new URL(url);
		const lib = u.protocol === 'https:' ? https : http;
		const req = lib.request(
			u,
			{
				method: 'POST',
				headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
				timeout: timeoutMs,
				...(u.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? null, error: null, responseBody: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }));
				res.on('error', (err) => resolve({ status: res.statusCode ?? null, error: String(err), responseBody: '' }));
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
		req.on('error', (err) => resolve({ status: null, error: String(err.message ?? err), responseBody: '' }));
		req.end(body);
	});
}

/** One delivery of the event (same body, fresh signature), recorded on it. */
export async function deliverOnce(ctx: SimContext, record: EventRecord): Promise<DeliveryRecord> {
	const started = Date.now();
	const { body, headers } = signed(ctx, record.payload);
	const target = ctx.webhook.url;
	const outcome: DeliveryOutcome = !target
		? { status: null, error: 'no webhook URL set', responseBody: '' }
		: !isLoopbackUrl(target)
			? { status: null, error: 'refused: webhook URL is not loopback', responseBody: '' }
			: await post(target, body, headers, ctx.webhook.timeoutMs);
	const delivery: DeliveryRecord = { at: new Date(started).toISOString(), durationMs: Date.now() - started, signature: headers['Stripe-Signature'], ...outcome };
	record.deliveries.push(delivery);
	record.status = delivery.status;
	afterDelivery(ctx, record, delivery);
	return delivery;
}

/**
 * Stripe keeps retrying an event until one delivery gets a 2xx; the sim does the same on its compressed
 * schedule. Each failure schedules at most one next attempt.
 */
function afterDelivery(ctx: SimContext, record: EventRecord, delivery: DeliveryRecord): void {
	const { webhook } = ctx;
	const ok = delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
	if (ok) record.delivered = true;
	if (record.delivered) {
		if (record.retryTimer) clearTimeout(record.retryTimer);
		record.retryTimer = null;
		webhook.retrying.delete(record);
		return;
	}
	if (record.retryTimer || record.autoRetries >= webhook.retryDelaysMs.length) return;
	const delay = webhook.retryDelaysMs[record.autoRetries];
	webhook.retrying.add(record);
	record.retryTimer = setTimeout(() => {
		record.retryTimer = null;
		webhook.retrying.delete(record);
		if (record.delivered || webhook.stopped) return;
		record.autoRetries += 1;
		void deliverOnce(ctx, record);
	}, delay);
}

/** Delivers an action's events as the options (over the simulator's defaults) say. */
export async function deliverAll(ctx: SimContext, records: EventRecord[], opts: DeliveryOptions = {}): Promise<void> {
	const o = { ...ctx.webhook.defaultDelivery, ...opts };
	if (o.deliver === false) return;
	const times = 1 + Math.max(0, o.duplicates ?? 0);
	const queue: EventRecord[] = [];
	for (const r of records) for (let i = 0; i < times; i++) queue.push(r);
	if (o.order === 'concurrent') {
		await Promise.all(queue.map((r) => deliverOnce(ctx, r)));
		return;
	}
	if (o.order === 'reverse') queue.reverse();
	for (const r of queue) await deliverOnce(ctx, r);
}

export function findEvent(ctx: SimContext, eventId: string): EventRecord {
	const rec = ctx.events.find((e) => e.id === eventId);
	if (!rec) throw new Error(`stripe-sim: no such event ${eventId}`);
	return rec;
}

/** Resolves once a delivery of the event got a 2xx; rejects after timeoutMs (default 60000) with its deliveries. */
export async function waitForDelivered(ctx: SimContext, eventId: string, opts: { timeoutMs?: number } = {}): Promise<EventRecord> {
	const rec = findEvent(ctx, eventId);
	const deliveries = () => JSON.stringify(rec.deliveries.map((d) => ({ at: d.at, status: d.status, error: d.error })));
	await eventually(`stripe-sim: event ${eventId} delivered`, () => rec.delivered, {
		timeoutMs: opts.timeoutMs ?? 60_000,
		intervalMs: 100,
		describe: () => `not delivered; deliveries: ${deliveries()}`,
	});
	return rec;
}
