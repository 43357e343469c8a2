/**
 * The one way the harness, the tests and the scripts wait for a condition: poll a probe until it yields a
 * value, within a bound. n8n answers webhooks before its runs end, processes take a while to listen, a
 * publication is registered a moment after it is asked for.
 */

export const UNFINISHED = ['running', 'new', 'waiting', 'queued'];

/** What a probe yields while the condition does not hold yet. */
type NotYet = undefined | false;
export type Probe<T> = () => Promise<T | NotYet> | T | NotYet;

export interface PollOptions {
	/** How long to keep probing (default 30 s). */
	timeoutMs?: number;
	/** Pause between two probes (default 250 ms). */
	intervalMs?: number;
	/**
	 * Asked before every probe: an error ends the wait at once with it (e.g. the process being waited for
	 * exited). Undefined: go on.
	 */
	abort?: () => Error | undefined;
	/** A probe that throws is retried (default) and its last error named on timeout; false: the error ends the wait. */
	retryErrors?: boolean;
	/** The state seen last, named in the timeout message (e.g. `still 'pending'`). */
	describe?: () => string;
}

/** A wait that ran out of time: names what was awaited and the last state or error seen. */
export class WaitTimeoutError extends Error {
	readonly what: string;
	readonly waitedMs: number;
	readonly lastError: unknown;

	constructor(what: string, waitedMs: number, lastError: unknown, lastSeen: string | undefined) {
		const seen = [lastSeen, lastError ? String(lastError) : undefined].filter(Boolean).join('; ');
		super(`timed out waiting for ${what} (${waitedMs} ms)${seen ? `: ${seen}` : ''}`);
		this.name = 'WaitTimeoutError';
		this.what = what;
		this.waitedMs = waitedMs;
		this.lastError = lastError;
	}
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns something other than undefined/false, and returns that. Throws a
 * WaitTimeoutError after `timeoutMs` (a number, or the options' timeoutMs; default 30 s).
 */
export async function eventually<T>(what: string, probe: Probe<T>, options: number | PollOptions = {}): Promise<T> {
	const o = typeof options === 'number' ? { timeoutMs: options } : options;
	const started = Date.now();
	const deadline = started + (o.timeoutMs ?? 30_000);
	let lastError: unknown;
	while (Date.now() < deadline) {
		const stop = o.abort?.();
		if (stop) throw stop;
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			if (o.retryErrors === false) throw error;
			lastError = error;
		}
		await sleep(o.intervalMs ?? 250);
	}
	throw new WaitTimeoutError(what, Date.now() - started, lastError, o.describe?.());
}

/** Like eventually, but a timeout is an answer, not an error: undefined when the condition never held. */
export async function eventuallyOrUndefined<T>(what: string, probe: Probe<T>, options: number | PollOptions = {}): Promise<T | undefined> {
	try {
		return await eventually(what, probe, options);
	} catch (error) {
		if (error instanceof WaitTimeoutError) return undefined;
		throw error;
	}
}

/** Waits until every execution of the workflow(s) has finished, then returns how many there are. */
export async function settledExecutionCount(
	api: { listExecutions: (workflowId: string) => Promise<Array<{ status: string }>> },
	workflowIds: string | string[] | Record<string, string>,
): Promise<number> {
	const ids = typeof workflowIds === 'string' ? [workflowIds] : Object.values(workflowIds);
	return await eventually('executions to finish', async () => {
		const lists = await Promise.all(ids.map((id) => api.listExecutions(id)));
		const all = lists.flat();
		return all.every((e) => !UNFINISHED.includes(e.status)) ? all.length : undefined;
	});
}
