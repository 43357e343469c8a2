/** What the smoke run prints and collects: timings, failed checks, facts, and the one HTTP call it makes. */
// A webhook's answer is whatever JSON the workflow under test returns: n8n's open JSON.
import type { N8nJson } from '../../../../tools/n8n/api';

export const timings: Array<[string, number]> = [];
export const failures: string[] = [];
export const facts: Record<string, unknown> = {};

export const say = (line: string): void => {
	process.stdout.write(`[smoke] ${line}\n`);
};

export async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
	const t = Date.now();
	const r = await fn();
	const ms = Date.now() - t;
	timings.push([label, ms]);
	say(`${label}: ${ms} ms`);
	return r;
}

export function check(ok: boolean, what: string): void {
	say(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
	if (!ok) failures.push(what);
}

/** POST JSON, return status, body and elapsed ms. */
export async function post(url: string, body: unknown): Promise<{ status: number; body: N8nJson; ms: number }> {
	const t = Date.now();
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(60_000),
	});
	const text = await res.text();
	let json: N8nJson;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: res.status, body: json, ms: Date.now() - t };
}
