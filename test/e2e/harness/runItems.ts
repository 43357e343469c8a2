/** Reading what the template's nodes did, from n8n's saved executions. */
import type { Sandbox } from './sandboxForFile';

// tools/wait is JavaScript here (being converted to TypeScript): required, so untyped.
import { UNFINISHED } from '../../../tools/wait';

/* eslint-disable @typescript-eslint/no-explicit-any -- a node's output items are untyped JSON */

/** The items `node` output in the finished runs of a workflow (the newest `limit` runs, newest first) that match. */
export async function finishedRunItems(
	sandbox: Sandbox,
	workflowId: string,
	node: string,
	matches: (item: any) => boolean,
	limit: number,
): Promise<any[]> {
	const found: any[] = [];
	for (const e of await sandbox.api.listExecutions(workflowId, { limit })) {
		if (UNFINISHED.includes(e.status)) continue;
		const execution = await sandbox.api.getExecution(e.id);
		for (const item of sandbox.api.nodeOutput(execution, node)) if (matches(item)) found.push(item);
	}
	return found;
}
