/**
 * Products: by key ("deluxe-room"), full name ("Grand Hotel Deluxe Room") or words of the key and name that are
 * not stop words ("deluxe", "hotel room", "the pro plan", "rooms" for "Room"). In that order of strength:
 *  1. a key or full name said names that product (the longest one said, if names contain each other);
 *  2. else a distinctive word (one only that product has) names it — distinctive words of two products → null
 *     ("3 deluxe and 2 pro plans": the customer asked for two things; the protocol has room for one);
 *  3. else words shared by several products: the product with the most of them, a tie → null ("a room" when
 *     the catalog has a deluxe and a standard room).
 * Descriptions are not read.
 */
import type { CatalogItem } from './promptContext';
import { normalize, stem, STOP_WORDS } from './text';

const words = (s: string): string[] => normalize(s).split(/[^a-z0-9]+/).filter((w) => w && !STOP_WORDS.has(w));

/** Stems of the item's distinctive words. */
export const productWords = (item: CatalogItem): Set<string> => new Set([...words(item.key), ...words(item.name)].map(stem));

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Hit {
	key: string;
	named: number;
	distinctive: number;
	shared: number;
}

/** The one hit that scores highest, or null on a tie. */
function best(list: Hit[], by: (h: Hit) => number): string | null {
	const top = Math.max(...list.map(by));
	const at = list.filter((h) => by(h) === top);
	return at.length === 1 ? at[0].key : null;
}

/**
 * @param s  normalized text
 * @returns mentioned: some product was named, even if unclear which
 */
export function readProduct(s: string, catalog: CatalogItem[]): { productKey: string | null; mentioned: boolean } {
	const said = new Set(s.split(/[^a-z0-9]+/).filter(Boolean).map(stem));
	const phrase = ` ${s.replace(/[^a-z0-9]+/g, ' ').trim()} `;
	const wordsOf = catalog.map(productWords);
	/** how many products have the word */
	const owners = new Map<string, number>();
	for (const ws of wordsOf) for (const w of ws) owners.set(w, (owners.get(w) ?? 0) + 1);
	const hits: Hit[] = catalog.map((item, i) => {
		const keyNorm = normalize(item.key);
		const name = normalize(item.name).replace(/[^a-z0-9]+/g, ' ').trim();
		const keySaid = new RegExp(`(?<![a-z0-9_-])${escape(keyNorm)}(?![a-z0-9_-])`).test(s) ? keyNorm.length : 0;
		const nameSaid = name && phrase.includes(` ${name} `) ? name.length : 0;
		const matched = [...wordsOf[i]].filter((w) => said.has(w));
		return {
			key: item.key,
			named: Math.max(keySaid, nameSaid),
			distinctive: matched.filter((w) => owners.get(w) === 1).length,
			shared: matched.filter((w) => (owners.get(w) ?? 0) > 1).length,
		};
	});
	const mentioned = hits.some((h) => h.named || h.distinctive || h.shared);
	const named = hits.filter((h) => h.named > 0);
	if (named.length) return { productKey: best(named, (h) => h.named), mentioned };
	const distinct = hits.filter((h) => h.distinctive > 0);
	if (distinct.length) return { productKey: distinct.length === 1 ? distinct[0].key : null, mentioned };
	const shared = hits.filter((h) => h.shared > 0);
	return { productKey: shared.length ? best(shared, (h) => h.shared) : null, mentioned };
}
