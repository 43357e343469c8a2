/**
 * Form parsing: Stripe's bracket syntax, as stripe-node and qs produce it.
 */
import type { StripeObject } from './types';

function formDecode(s: string): string {
	const plus = s.replace(/\+/g, ' ');
	try {
		return decodeURIComponent(plus);
	} catch {
		return plus;
	}
}

/** `a[b][0][c]` → ['a','b','0','c']; `a[]` → ['a','']. */
function splitKey(key: string): string[] {
	const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	if (!m) return [key];
	const segs = [m[1]];
	const re = /\[([^[\]]*)\]/g;
	let mm;
	while ((mm = re.exec(m[2])) !== null) segs.push(mm[1]);
	return segs;
}

/** Objects whose keys are all indexes become arrays (in index order). */
function normalizeArrays(value: unknown): unknown {
	if (!value || typeof value !== 'object') return value;
	const obj = value as Record<string, unknown>;
	const keys = Object.keys(obj);
	for (const k of keys) obj[k] = normalizeArrays(obj[k]);
	if (keys.length > 0 && keys.every((k) => /^(0|[1-9]\d*)$/.test(k))) {
		return keys
			.map((k) => Number(k))
			.sort((a, b) => a - b)
			.map((i) => obj[String(i)]);
	}
	return obj;
}

/** Parses Stripe form / query params: nested brackets, `[]` and `[0]` arrays, repeated keys (last wins). */
export function parseStripeForm(raw: string): StripeObject {
	const root: StripeObject = {};
	if (!raw) return root;
	for (const part of raw.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const key = formDecode(eq === -1 ? part : part.slice(0, eq));
		const value = formDecode(eq === -1 ? '' : part.slice(eq + 1));
		const segs = splitKey(key);
		let node: StripeObject = root;
		for (let i = 0; i < segs.length; i++) {
			let seg = segs[i];
			if (seg === '' && i > 0) seg = String(Object.keys(node).filter((k) => /^\d+$/.test(k)).length);
			if (i === segs.length - 1) {
				node[seg] = value;
			} else {
				if (!node[seg] || typeof node[seg] !== 'object') node[seg] = {};
				node = node[seg];
			}
		}
	}
	return normalizeArrays(root) as StripeObject;
}
