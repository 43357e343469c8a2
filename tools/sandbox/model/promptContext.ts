/**
 * The context the model reads from the node's system message. The tags stand each on their own lines:
 *   <today>2026-11-28 (Saturday)</today>
 *   <catalog>[{"key":"deluxe-room","name":"Grand Hotel Deluxe Room","kind":"per_night"}, …]</catalog>
 *   <order_so_far>{"productKey":"deluxe-room","checkIn":null, …}</order_so_far>
 */

/** A catalog entry as the prompt lists it (see catalogForModel in nodes/shared/order/catalog.ts). */
export interface CatalogItem {
	key: string;
	name: string;
	/** per_night | one_off | subscription */
	kind?: string;
	/** Not read: only the key and the name name a product. */
	description?: string;
}

export interface PromptContext {
	/** YYYY-MM-DD, the shop's local date. */
	today: string;
	/** Entries without a string key are dropped. */
	catalog: CatalogItem[];
	/** `{}` when there is none. */
	orderSoFar: Record<string, unknown>;
}

function tagBody(text: string, tag: string): string | null {
	const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text);
	return m ? m[1].trim() : null;
}

function parseJson(body: string | null): unknown {
	if (body === null) return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads `<today>`, `<catalog>` and `<order_so_far>` from the system message(s). A missing or broken tag gives
 * `fallbackToday` / an empty catalog / `{}`: the model then simply understands less.
 * @param fallbackToday  YYYY-MM-DD
 */
export function readPromptContext(systemText: string, fallbackToday: string): PromptContext {
	const text = String(systemText ?? '');
	const todayMatch = /^\s*(\d{4}-\d{2}-\d{2})/.exec(tagBody(text, 'today') ?? '');
	const catalog = parseJson(tagBody(text, 'catalog'));
	const orderSoFar = parseJson(tagBody(text, 'order_so_far'));
	return {
		today: todayMatch ? todayMatch[1] : fallbackToday,
		catalog: Array.isArray(catalog)
			? catalog
					.filter((e): e is Record<string, unknown> & { key: string } => isObject(e) && typeof e.key === 'string' && e.key !== '')
					.map((e) => ({ ...e, name: typeof e.name === 'string' ? e.name : '' }))
			: [],
		orderSoFar: isObject(orderSoFar) ? orderSoFar : {},
	};
}
