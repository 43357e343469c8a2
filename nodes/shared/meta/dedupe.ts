import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Recognises Meta redeliveries (same message id) so they do not start a second run.
 *
 * Why not the workflow's static data: n8n saves static data changed in `webhook()` only when the call
 * starts no run; once a run starts, n8n re-wraps the data and the change is dropped (seen in n8n 2.40).
 * So seen ids live in memory, per trigger node, and in a small file under the n8n user folder
 * (`<user folder>/.n8n/chat-checkout/seen-events/`), written after the answer has gone out:
 * - survives restarts (the file is read back on the first delivery after start);
 * - shared by every n8n process on the same host (a process re-reads the file when another wrote it);
 * - n8n processes on different hosts (queue mode with several webhook hosts) each keep their own.
 * Guarantee: a message id starts at most one run per trigger node for 7 days (at most 5000 ids),
 * except when copies reach different hosts, or two processes within the same few milliseconds.
 * Nothing here waits on I/O for a write before Meta gets its answer. The file holds the whole store (up to 5000
 * ids), so claims are written together: at most one write per WRITE_COALESCE_MS per trigger node, however many
 * messages arrive meanwhile (a busy trigger would otherwise rewrite the file for every message).
 */
export const DEDUPE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000; // Meta retries failed deliveries for up to 7 days
export const DEDUPE_MAX_KEYS = 5000;
/** How long claims wait to be written together. */
export const WRITE_COALESCE_MS = 200;

/** [key digest, first seen (Unix seconds)], oldest first. */
type SeenEntry = [string, number];

interface ScopeState {
	file: string;
	entries: SeenEntry[];
	known: Set<string>;
	/** mtime of the file as we last read or wrote it; another value means another process wrote it. */
	fileMtimeMs: number;
	dirty: boolean;
	writing: Promise<void> | undefined;
	/** Ends the wait before the next write early (flushSeenEventWrites). */
	hurry: (() => void) | undefined;
}

const scopes = new Map<string, ScopeState>();

/** Ids are stored as short digests (80 bits): Instagram message ids alone run to ~160 characters. */
export function keyDigest(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, 14);
}

/** Where n8n keeps its own files: `$N8N_USER_FOLDER/.n8n`, else `~/.n8n`. */
export function dedupeDirectory(env: NodeJS.ProcessEnv = process.env): string {
	return join(env.N8N_USER_FOLDER || homedir(), '.n8n', 'chat-checkout', 'seen-events');
}

function fileMtime(file: string): number {
	try {
		return statSync(file).mtimeMs;
	} catch {
		return 0; // no file yet
	}
}

function readEntries(file: string): SeenEntry[] {
	try {
		const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
		if (!Array.isArray(parsed)) return [];
		return parsed.filter(
			(entry): entry is SeenEntry =>
				Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number',
		);
	} catch {
		return []; // missing or damaged: start empty rather than fail the webhook
	}
}

function mergeFromFile(state: ScopeState, mtimeMs: number): void {
	for (const entry of readEntries(state.file)) {
		if (!state.known.has(entry[0])) {
			state.known.add(entry[0]);
			state.entries.push(entry);
		}
	}
	state.entries.sort((a, b) => a[1] - b[1]);
	state.fileMtimeMs = mtimeMs;
}

function stateFor(scope: string, directory: string): ScopeState {
	const file = join(directory, `${createHash('sha256').update(scope).digest('hex').slice(0, 24)}.json`);
	let state = scopes.get(scope);
	if (!state || state.file !== file) {
		state = { file, entries: [], known: new Set(), fileMtimeMs: -1, dirty: false, writing: undefined, hurry: undefined };
		scopes.set(scope, state);
	}
	const mtimeMs = fileMtime(file);
	if (mtimeMs !== state.fileMtimeMs && mtimeMs !== 0) mergeFromFile(state, mtimeMs);
	return state;
}

function prune(state: ScopeState, oldestKeptSeconds: number): void {
	let drop = 0;
	while (drop < state.entries.length && state.entries[drop][1] < oldestKeptSeconds) drop++;
	drop = Math.max(drop, state.entries.length - DEDUPE_MAX_KEYS);
	if (drop <= 0) return;
	for (const [digest] of state.entries.slice(0, drop)) state.known.delete(digest);
	state.entries = state.entries.slice(drop);
}

function scheduleWrite(state: ScopeState, onError: (error: Error) => void): void {
	state.dirty = true;
	if (state.writing) return;
	state.writing = (async () => {
		try {
			while (state.dirty) {
				// let the claims of the next moment join this write
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, WRITE_COALESCE_MS);
					state.hurry = () => {
						clearTimeout(timer);
						resolve();
					};
				});
				state.hurry = undefined;
				state.dirty = false;
				const directory = join(state.file, '..');
				await mkdir(directory, { recursive: true });
				const temporary = `${state.file}.${process.pid}.tmp`;
				await writeFile(temporary, JSON.stringify(state.entries));
				await rename(temporary, state.file); // atomic: a reader never sees half a file
				state.fileMtimeMs = (await stat(state.file)).mtimeMs;
			}
		} catch (error) {
			onError(error as Error);
		} finally {
			state.writing = undefined;
		}
	})();
}

export interface ClaimOptions {
	now?: number;
	directory?: string;
	/** Called when the file cannot be written (memory still deduplicates until a restart). */
	onStoreError?: (error: Error) => void;
}

/**
 * Returns the keys not seen before, in order, and records them as seen (a key repeated within `keys`
 * counts once). `scope` identifies the trigger node (workflow id + node id).
 */
export function claimUnseenKeys(scope: string, keys: string[], options: ClaimOptions = {}): Set<string> {
	const now = options.now ?? Date.now();
	const state = stateFor(scope, options.directory ?? dedupeDirectory());
	prune(state, Math.floor((now - DEDUPE_RETENTION_MS) / 1000));
	const claimed = new Set<string>();
	for (const key of keys) {
		const digest = keyDigest(key);
		if (state.known.has(digest) || claimed.has(key)) continue;
		claimed.add(key);
		state.known.add(digest);
		state.entries.push([digest, Math.floor(now / 1000)]);
	}
	if (claimed.size > 0) {
		prune(state, Math.floor((now - DEDUPE_RETENTION_MS) / 1000));
		scheduleWrite(state, options.onStoreError ?? (() => undefined));
	}
	return claimed;
}

/**
 * Forgets keys that `claimUnseenKeys` recorded a moment ago when their delivery started no run after all (queue
 * mode: another host was starting the same message, or n8n did not answer 2xx), so Meta's retry is let through.
 */
export function forgetSeenKeys(scope: string, keys: string[], options: Pick<ClaimOptions, 'directory' | 'onStoreError'> = {}): void {
	const state = stateFor(scope, options.directory ?? dedupeDirectory());
	const forget = new Set(keys.map(keyDigest));
	const before = state.entries.length;
	state.entries = state.entries.filter(([digest]) => !forget.has(digest));
	for (const digest of forget) state.known.delete(digest);
	if (state.entries.length !== before) scheduleWrite(state, options.onStoreError ?? (() => undefined));
}

/** Writes what is waiting now, and waits until every pending file write has finished (tests, benchmarks). */
export async function flushSeenEventWrites(): Promise<void> {
	await Promise.all(
		[...scopes.values()].map(async (state) => {
			state.hurry?.();
			await state.writing;
		}),
	);
}

/** Forgets everything held in memory, as a restart of n8n does; the files stay (tests only). */
export function forgetInMemoryStateForTests(): void {
	scopes.clear();
}
