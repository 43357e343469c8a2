/**
 * The model's reading of a customer's messages (see prompt.ts for what it is asked). The model only reads:
 * everything here is re-checked against the catalog and the rules before it becomes an order.
 */
import type { OrderFields } from './orderFields';
import { NO_ORDER_FIELDS } from './orderFields';
export type Intent = 'order' | 'greeting' | 'cancel' | 'status' | 'subscription' | 'human' | 'other';

export const INTENTS: readonly Intent[] = ['order', 'greeting', 'cancel', 'status', 'subscription', 'human', 'other'];

export interface ModelReading extends OrderFields {
	intent: Intent;
	/** The answer was not a JSON object the node could read. */
	unreadable: boolean;
}

export const NOTHING_READ: ModelReading = Object.freeze({ intent: 'other', ...NO_ORDER_FIELDS, unreadable: false });

/** The first balanced JSON object in a text (models wrap answers in fences or sentences). */
export function firstJsonObject(content: string): Record<string, unknown> | undefined {
	for (let start = content.indexOf('{'); start !== -1; start = content.indexOf('{', start + 1)) {
		let depth = 0;
		let inString = false;
		for (let i = start; i < content.length; i++) {
			const c = content[i];
			if (inString) {
				if (c === '\\') i++;
				else if (c === '"') inString = false;
			} else if (c === '"') inString = true;
			else if (c === '{') depth++;
			else if (c === '}' && --depth === 0) {
				try {
					const parsed: unknown = JSON.parse(content.slice(start, i + 1));
					if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
				} catch {
					// not JSON after all: try the next opening brace
				}
				break;
			}
		}
	}
	return undefined;
}

/** LangChain message content: a string, or parts of which the text ones count. */
export function contentText(message: unknown): string {
	const content = typeof message === 'object' && message !== null && 'content' in message ? (message as { content: unknown }).content : message;
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content.map((part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : '')).join('');
	}
	return '';
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' && v.trim().toLowerCase() !== 'null' ? v.trim() : null);

function number(v: unknown): number | null {
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
	return null;
}

export function readModelAnswer(content: string): ModelReading {
	const answer = firstJsonObject(content);
	if (!answer) return { ...NOTHING_READ, unreadable: true };
	const intent = text(answer.intent)?.toLowerCase() as Intent | undefined;
	return {
		intent: intent && INTENTS.includes(intent) ? intent : 'other',
		productKey: text(answer.productKey),
		quantity: number(answer.quantity),
		nights: number(answer.nights),
		checkIn: text(answer.checkIn),
		checkOut: text(answer.checkOut),
		email: text(answer.email),
		unreadable: false,
	};
}

/** Whether the reading carries anything about an order, whatever intent the model chose. */
export function mentionsOrder(reading: ModelReading): boolean {
	return [reading.productKey, reading.quantity, reading.nights, reading.checkIn, reading.checkOut].some((v) => v !== null);
}
