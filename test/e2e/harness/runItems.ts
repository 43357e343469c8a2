/** Reading what the template's nodes did, from n8n's saved executions. */
import type { Sandbox } from './sandboxForFile';
import type { N8nJson } from '../../../tools/n8n/api';
import { UNFINISHED } from '../../../tools/wait';

/** The items `node` output in the finished runs of a workflow (the newest `limit` runs, newest first) that match. */
export async function finishedRunItems(
	sandbox: Sandbox,
	workflowId: string,
	node: string,
	matches: (item: N8nJson) => boolean,
	limit: number,
): Promise<N8nJson[]> {
	const found: N8nJson[] = [];
	for (const e of await sandbox.api.listExecutions(workflowId, { limit })) {
		if (UNFINISHED.includes(e.status)) continue;
		const execution = await sandbox.api.getExecution(e.id);
		for (const item of sandbox.api.nodeOutput(execution, node)) if (matches(item)) found.push(item);
	}
	return found;
}
