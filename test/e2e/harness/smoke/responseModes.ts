/**
 * Fact a: what n8n's built-in Webhook answers in each response mode when the run behind it fails or is slow
 * (lastNode + failing run → status; onReceived → when the 200 goes out).
 */
import { check, post } from './report';
import { codeNode, mainConnection, webhookWorkflow } from './workflows';
import type { N8nHandle } from '../../../../tools/n8n/instance';

/** Imports, publishes and calls the three workflows; returns what it saw (printed under facts.a). */
export async function responseModeFacts(h: N8nHandle): Promise<Record<string, unknown>> {
	// [workflow name, webhook path, response mode, Code node name, its code]: a Webhook with one Code node behind it
	const workflows: Array<[string, string, 'lastNode' | 'onReceived', string, string]> = [
		['fact lastNode fails', 'fact-lastnode-fail', 'lastNode', 'Boom', "throw new Error('boom from code node');"],
		['fact onReceived slow fail', 'fact-onreceived-fail', 'onReceived', 'SlowBoom', "await new Promise((r) => setTimeout(r, 3000)); throw new Error('late boom');"],
		['fact lastNode slow ok', 'fact-lastnode-slow', 'lastNode', 'Slow', "await new Promise((r) => setTimeout(r, 3000)); return [{ json: { done: true } }];"],
	];
	const ids: string[] = [];
	for (const [name, webhookPath, responseMode, codeName, jsCode] of workflows) {
		ids.push(await h.api.importWorkflow(webhookWorkflow(name, webhookPath, responseMode, [codeNode(codeName, jsCode, [220, 0])], mainConnection('Webhook', codeName))));
	}
	const [, idFailRecv] = ids;
	for (const id of ids) await h.api.publishWorkflow(id);
	const aLast = await post(h.webhookUrl('fact-lastnode-fail'), { x: 1 });
	const aRecv = await post(h.webhookUrl('fact-onreceived-fail'), { x: 1 });
	const aSlow = await post(h.webhookUrl('fact-lastnode-slow'), { x: 1 });
	const recvExecs = await h.api.waitForExecutions(idFailRecv, 1, { timeoutMs: 30_000 });
	check(aLast.status === 500, `lastNode + failing run → ${aLast.status} ${JSON.stringify(aLast.body)}`);
	check(aRecv.status === 200 && aRecv.ms < 2500, `onReceived → ${aRecv.status} after ${aRecv.ms} ms (run takes 3 s and ends ${recvExecs[0]?.status})`);
	return {
		lastNode_failingRun: { status: aLast.status, body: aLast.body, ms: aLast.ms },
		onReceived_runThatFailsAfter3s: { status: aRecv.status, body: aRecv.body, ms: aRecv.ms, executionStatus: recvExecs[0]?.status },
		lastNode_runThatTakes3s: { status: aSlow.status, body: aSlow.body, ms: aSlow.ms },
	};
}
