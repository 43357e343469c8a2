import type { ChatReference } from '../chatReference';
import { chatReferenceOf } from '../chatReference';

/**
 * "Where is my order?": a chat's order rows (the template's orders table) as one message. Only rows of the
 * asking chat are ever listed — rows of any other chat that reach the node are dropped, whatever the
 * workflow's filter did.
 */
export const DEFAULT_STATUS_TEXTS = {
	header: 'Your recent orders:',
	none: 'You have no orders with us yet. Write what you would like and I will prepare it.',
	open: 'waiting for payment: {url}',
	openNoLink: 'waiting for payment',
	paid: 'paid',
	failed: 'payment did not go through',
	expired: 'link expired',
	cancelled: 'cancelled',
	active: 'active until {periodEnd}',
	past_due: 'payment due — please update your payment method',
	refunded: 'refunded',
	partially_refunded: 'paid, {refunded} refunded',
};

export type StatusTexts = Record<keyof typeof DEFAULT_STATUS_TEXTS, string>;

/** States that are not an order of their own: a link the customer replaced by a changed order. */
const NOT_SHOWN = new Set(['replaced']);

export interface ListedOrder {
	sessionId: string;
	summary: string;
	total: string;
	status: string;
	statusText: string;
	createdAt: string | null;
}

export interface ChatOrderList {
	chatRef: ChatReference;
	reply: string;
	orders: ListedOrder[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
/** A row's date column: Data Table version 1.1 gives an ISO string, version 1 (the only one on n8n 1.x) a Date. */
const dateText = (v: unknown): string => (v instanceof Date ? (Number.isNaN(v.getTime()) ? '' : v.toISOString()) : text(v));

function fill(template: string, values: Record<string, string>): string {
	return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? values[name] : match));
}

function statusText(row: Record<string, unknown>, texts: StatusTexts): string {
	const status = text(row.status);
	const values = { url: text(row.checkoutUrl), periodEnd: text(row.periodEnd).slice(0, 10), refunded: text(row.refunded) };
	if (status === 'open') return fill(values.url ? texts.open : texts.openNoLink, values);
	const template = (texts as Record<string, string>)[status];
	return template === undefined ? status : fill(template, values);
}

function sameChat(a: ChatReference, b: ChatReference): boolean {
	return a.channel === b.channel && a.accountId === b.accountId && a.userId === b.userId;
}

/**
 * One message per asking chat. `rows` are the items' json, `asking` each item's chat (the turn that asked);
 * an item without an order (no sessionId) only says who asked.
 */
export function listChatOrders(
	items: Array<{ row: Record<string, unknown>; asking: ChatReference | undefined }>,
	options: { max: number; texts: StatusTexts },
): ChatOrderList[] {
	const lists = new Map<string, { chatRef: ChatReference; rows: Array<Record<string, unknown>> }>();
	for (const { row, asking } of items) {
		const chat = asking ?? chatReferenceOf(row);
		if (!chat) continue;
		const key = `${chat.channel}\n${chat.accountId}\n${chat.userId}`;
		if (!lists.has(key)) lists.set(key, { chatRef: chat, rows: [] });
		const owner = chatReferenceOf(row);
		if (text(row.sessionId) === '' || !owner || !sameChat(owner, chat)) continue; // not an order of this chat
		lists.get(key)?.rows.push(row);
	}
	return [...lists.values()].map(({ chatRef, rows }) => {
		const orders = rows
			.filter((row) => !NOT_SHOWN.has(text(row.status)))
			.sort((a, b) => Number(b.id ?? 0) - Number(a.id ?? 0))
			.slice(0, Math.max(1, options.max))
			.map((row) => ({
				sessionId: text(row.sessionId),
				summary: text(row.summary) || text(row.product),
				total: text(row.total),
				status: text(row.status),
				statusText: statusText(row, options.texts),
				createdAt: dateText(row.createdAt) || null,
			}));
		const lines = orders.map((o) => `• ${o.summary}${o.total ? `: ${o.total}` : ''} — ${o.statusText}`);
		return { chatRef, orders, reply: orders.length === 0 ? options.texts.none : [options.texts.header, ...lines].join('\n') };
	});
}
