import * as workflow from 'n8n-workflow';

type SleepWithAbort = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * Waits `ms`, or rejects as soon as the execution is cancelled. n8n-workflow 2.x's `sleep` takes the cancel signal;
 * 1.x's `sleep` ignores a second argument (a stopped execution would wait out the backoff and then send anyway)
 * and offers `sleepWithAbort` instead, which 2.x no longer exports.
 */
export async function cancellableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	const sleepWithAbort = (workflow as unknown as { sleepWithAbort?: SleepWithAbort }).sleepWithAbort;
	if (signal && typeof sleepWithAbort === 'function') return await sleepWithAbort(ms, signal);
	return await workflow.sleep(ms, signal);
}
