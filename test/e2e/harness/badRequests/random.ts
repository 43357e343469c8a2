/** Seeded randomness for the bad-request model: the same seed gives the same list. */
import crypto from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:/\\"\'{}[]<>&%$#@!?é漢字🙂\u0000\u001f\u2028\ufeff';

/** mulberry32: small, fast, good enough to pick cases. */
export function prng(seed: number) {
	let a = seed >>> 0;
	const next = (): number => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	/** `hi` inclusive */
	const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
	const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
	const bytes = (n: number): Buffer => {
		const out = Buffer.allocUnsafe(n);
		for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
		return out;
	};
	const text = (n: number): string => {
		const chars = [...ALPHABET];
		let s = '';
		for (let i = 0; i < n; i++) s += chars[Math.floor(next() * chars.length)];
		return s;
	};
	const digits = (n: number): string => {
		let s = String(int(1, 9));
		while (s.length < n) s += String(int(0, 9));
		return s;
	};
	/** A random JSON value, at most `depth` deep; never an object with a key a payload reads. */
	const json = (depth = 2): unknown => {
		const r = next();
		if (depth <= 0 || r < 0.5) {
			return pick([null, true, false, int(-1e6, 1e6), next() * 1e300, -0.5, text(int(0, 24)), '', digits(15)]);
		}
		if (r < 0.75) return Array.from({ length: int(0, 4) }, () => json(depth - 1));
		const o: Record<string, unknown> = {};
		for (let i = int(0, 3); i > 0; i--) o[`zz_${text(int(1, 6))}`] = json(depth - 1);
		return o;
	};
	return { next, int, pick, bytes, text, digits, json };
}

export type Rng = ReturnType<typeof prng>;

export function seedOf(s: string): number {
	return crypto.createHash('sha256').update(s).digest().readUInt32LE(0);
}
