import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/**
 * Recognises Meta redeliveries (same message id) so they do not start a second run.
 *
 * Two layers, because n8n loads a workflow's static data from the database for every webhook call and
 * saves it after the call:
 * - the node's static data (`getWorkflowStaticData('node')`), saved in n8n's database with the workflow:
 *   survives restarts and is seen by every n8n process that shares the database (queue mode);
 * - a process-wide memory of recent keys, for deliveries that arrive while an earlier copy's static data
 *   is not yet saved (Meta sometimes delivers the same event twice within milliseconds).
 * Guarantee: a message id starts at most one run per trigger node, unless two copies reach two different
 * n8n processes within the same few milliseconds, or the copy arrives after the retention window.
 * Both layers are in memory during the call: nothing here waits on I/O before Meta gets its answer.
 */
export const DEDUPE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000; // Meta retries failed deliveries for up to 7 days
export const DEDUPE_MAX_KEYS = 2000;
const RECENT_RETENTION_MS = 15 * 60 * 1000;
const RECENT_MAX_KEYS = 10000;
const STATIC_DATA_FIELD = 'seenEvents';

/** Stored form: [key digest, first seen (Unix seconds)], oldest first. */
type SeenEntry = [string, number];

const recentKeys = new Map<string, number>();

/**
 * n8n writes the whole static data to its database on every change, so each key is stored as a short
 * digest (80 bits; Instagram message ids alone run to ~160 characters) in a flat array, which is also
 * far cheaper to rebuild than an object with thousands of properties.
 */
export function keyDigest(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, 14);
}

function forgetOldRecentKeys(now: number): void {
	for (const [key, seenAt] of recentKeys) {
		if (recentKeys.size <= RECENT_MAX_KEYS && now - seenAt < RECENT_RETENTION_MS) break;
		recentKeys.delete(key);
	}
}

function storedEntries(value: unknown, oldestKeptSeconds: number): SeenEntry[] {
	if (!Array.isArray(value)) return [];
	return value.filter(
		(entry): entry is SeenEntry =>
			Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number' && entry[1] >= oldestKeptSeconds,
	);
}

/**
 * Returns the keys not seen before, in order, and records them as seen (a key repeated within `keys`
 * counts once). `scope` separates trigger nodes that share this process.
 */
export function claimUnseenKeys(staticData: IDataObject, scope: string, keys: string[], now = Date.now()): Set<string> {
	const nowSeconds = Math.floor(now / 1000);
	const stored = staticData[STATIC_DATA_FIELD];
	const kept = storedEntries(stored, Math.floor((now - DEDUPE_RETENTION_MS) / 1000));
	const known = new Set(kept.map(([digest]) => digest));
	forgetOldRecentKeys(now);

	const claimed = new Set<string>();
	for (const key of keys) {
		const scoped = `${scope}\u0000${key}`;
		const digest = keyDigest(key);
		if (known.has(digest) || recentKeys.has(scoped) || claimed.has(key)) continue;
		claimed.add(key);
		known.add(digest);
		recentKeys.set(scoped, now);
		kept.push([digest, nowSeconds]);
	}
	const storedLength = Array.isArray(stored) ? stored.length : -1;
	if (claimed.size > 0 || kept.length !== storedLength) {
		// Assigning a new array marks static data as changed, so n8n saves it.
		staticData[STATIC_DATA_FIELD] = kept.length > DEDUPE_MAX_KEYS ? kept.slice(-DEDUPE_MAX_KEYS) : kept;
	}
	return claimed;
}

/** Forgets the process-wide memory, as a restart of n8n would (tests only). */
export function forgetRecentKeysForTests(): void {
	recentKeys.clear();
}
