/**
 * Stripe's checks of single request params: integers, booleans, metadata hashes, URLs.
 */
import { invalid } from './errors';

export function parseInteger(v: unknown, param: string, opts: { min?: number } = {}): number {
	const s = String(v ?? '').trim();
	if (!/^-?\d+$/.test(s)) throw invalid(param, `Invalid integer: ${s}`, 'parameter_invalid_integer');
	const n = Number(s);
	if (opts.min !== undefined && n < opts.min) {
		throw invalid(param, `This value must be greater than or equal to ${opts.min}.`, 'parameter_invalid_integer');
	}
	return n;
}

export function parseBool(v: unknown, param: string): boolean {
	if (v === true || v === 'true') return true;
	if (v === false || v === 'false') return false;
	throw invalid(param, `Invalid boolean: ${String(v)}`, 'parameter_invalid_boolean');
}

/** Validates a metadata hash like Stripe (≤50 keys, key ≤40 chars, value ≤500 chars). */
export function parseMetadata(v: unknown, param: string): Record<string, string> {
	if (v === undefined || v === '') return {};
	if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid(param, 'Invalid object', 'parameter_invalid_string');
	const out: Record<string, string> = {};
	const entries = Object.entries(v);
	if (entries.length > 50) throw invalid(param, `Invalid ${param}: metadata can have at most 50 keys, but you passed in ${entries.length}.`);
	for (const [k, val] of entries) {
		if (k.length > 40) throw invalid(`${param}[${k}]`, `Metadata keys can have up to 40 characters, but you passed in a key that is ${k.length} characters.`);
		if (typeof val !== 'string') throw invalid(`${param}[${k}]`, 'Metadata values must be strings.');
		if (val.length > 500) {
			throw invalid(`${param}[${k}]`, `Metadata values can have up to 500 characters, but you passed in a value that is ${val.length} characters.`);
		}
		if (val !== '') out[k] = val;
	}
	return out;
}

/** A URL param (success_url, return_url…), when given, must parse as a URL. */
export function checkUrl(v: unknown, param: string): void {
	if (v === undefined) return;
	try {
		new URL(String(v));
	} catch {
		throw invalid(param, 'Not a valid URL', 'url_invalid');
	}
}

/** The `expand` param as a list. */
export function expandList(params: Record<string, unknown>): string[] {
	const e = params.expand;
	if (Array.isArray(e)) return e.map(String);
	if (typeof e === 'string') return [e];
	return [];
}
