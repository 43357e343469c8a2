import { isIsoDate } from './dates';
import type { OrderFields } from './orderFields';
import { NO_ORDER_FIELDS } from './orderFields';

/**
 * What the shop has understood so far in one chat, kept between messages (the template stores it as JSON
 * text in the chat's Data Table row). `sessionId`/`url` are the checkout link already sent for it, if any.
 */
export interface PendingOrder extends OrderFields {
	sessionId: string | null;
	url: string | null;
	/** ISO time of the last change: an order idle for longer than the operator's setting is forgotten. */
	updatedAt: string | null;
}

export const EMPTY_ORDER: PendingOrder = Object.freeze({ ...NO_ORDER_FIELDS, sessionId: null, url: null, updatedAt: null });

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const whole = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

export function isEmptyOrder(order: PendingOrder): boolean {
	return order.productKey === null && order.sessionId === null && order.quantity === null && order.checkIn === null && order.nights === null;
}

/**
 * Reads a stored pending order (JSON text or object) and the open link kept beside it. Anything unreadable,
 * or idle for longer than `idleHours`, is no order.
 */
export function readPendingOrder(
	stored: unknown,
	openLink: { sessionId: unknown; url: unknown },
	now: Date,
	idleHours: number,
): { order: PendingOrder; expired: boolean } {
	const link = { sessionId: str(openLink.sessionId), url: str(openLink.url) };
	const read = readStored(stored);
	const order: PendingOrder = { ...read, ...link };
	const changed = read.updatedAt ? Date.parse(read.updatedAt) : NaN;
	if (idleHours > 0 && Number.isFinite(changed) && now.getTime() - changed > idleHours * 3_600_000) {
		return { order: { ...EMPTY_ORDER, ...link }, expired: !isEmptyOrder(read) };
	}
	return { order, expired: false };
}

function readStored(stored: unknown): PendingOrder {
	let value: unknown = stored;
	if (typeof stored === 'string') {
		if (stored.trim() === '') return EMPTY_ORDER;
		try {
			value = JSON.parse(stored);
		} catch {
			return EMPTY_ORDER;
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return EMPTY_ORDER;
	const o = value as Record<string, unknown>;
	return {
		productKey: str(o.productKey),
		quantity: whole(o.quantity),
		nights: whole(o.nights),
		checkIn: isIsoDate(o.checkIn) ? o.checkIn : null,
		checkOut: isIsoDate(o.checkOut) ? o.checkOut : null,
		email: str(o.email),
		sessionId: null,
		url: null,
		updatedAt: str(o.updatedAt),
	};
}

/**
 * JSON text to store; '' for no order, so the table shows an empty cell rather than a JSON skeleton.
 * The open link (sessionId, url) is not part of it: the template keeps it in columns of its own, written
 * from Create Stripe Checkout's output.
 */
export function serialisePendingOrder(order: PendingOrder, now: Date): string {
	const { productKey, quantity, nights, checkIn, checkOut, email } = order;
	if (productKey === null && quantity === null && nights === null && checkIn === null) return '';
	return JSON.stringify({ productKey, quantity, nights, checkIn, checkOut, email, updatedAt: now.toISOString() });
}
