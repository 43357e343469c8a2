/**
 * Fact a: what n8n's built-in Webhook answers in each response mode when the run behind it fails or is slow
 * (lastNode + failing run → status; onReceived → when the 200 goes out).
 */
import { check, post } from './report';
import { codeNode, mainConnection, webhookWorkflow } from './workflows';

// The n8n handle of tools/n8n/instance (JavaScript there, so untyped here).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type N8nHandle = any;

/** Imports, publishes and calls the three workflows; returns what it saw (printed under facts.a). */
export async function responseModeFacts(h: N8nHandle): Promise<Record<string, unknown>> {
	const failLast = webhookWorkflow(
		'fact lastNode fails',
		'fact-lastnode-fail',
		'lastNode',
		[codeNode('Boom', "throw new Error('boom from code node');", [220, 0])],
		mainConnection('Webhook', 'Boom'),
	);
	const failRecv = webhookWorkflow(
		'fact onReceived slow fail',
		'fact-onreceived-fail',
		'onReceived',
		[codeNode('SlowBoom', "await new Promise((r) => setTimeout(r, 3000)); throw new Error('late boom');", [220, 0])],
		mainConnection('Webhook', 'SlowBoom'),
	);
	const okSlowLast = webhookWorkflow(
		'fact lastNode slow ok',
		'fact-lastnode-slow',
		'lastNode',
		[codeNode('Slow', "await new Promise((r) => setTimeout(r, 3000)); return [{ json: { done: true } }];", [220, 0])],
		mainConnection('Webhook', 'Slow'),
	);
	const idFailLast = await h.api.importWorkflow(failLast);
	const idFailRecv = await h.api.importWorkflow(failRecv);
	const idSlowLast = await h.api.importWorkflow(okSlowLast);
	for (const id of [idFailLast, idFailRecv, idSlowLast]) await h.api.publishWorkflow(id);
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
