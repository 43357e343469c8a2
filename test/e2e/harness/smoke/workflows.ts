/** The workflows the smoke run imports: n8n's Webhook in front of other nodes, or the probe's own trigger. */
import crypto from 'node:crypto';
import { PKG } from './probePackage';

const uuid = () => crypto.randomUUID();

type Connections = Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
}

/** `from` → `to` on the main output. */
export const mainConnection = (from: string, to: string): Connections => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });

export function webhookWorkflow(name: string, pathSeg: string, responseMode: string, rest: WorkflowNode[], connections: Connections) {
	return {
		name,
		nodes: [
			{
				id: uuid(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: uuid(),
				parameters: { httpMethod: 'POST', path: pathSeg, responseMode, options: {} },
			},
			...rest,
		],
		connections,
		settings: { executionOrder: 'v1' },
	};
}

/** The probe package's node. */
export const probeNode = (tag: string): WorkflowNode => ({
	id: uuid(),
	name: 'Probe',
	type: `${PKG}.probe`,
	typeVersion: 1,
	position: [220, 0],
	parameters: { tag },
});

export const codeNode = (name: string, jsCode: string, position: [number, number]): WorkflowNode => ({
	id: uuid(),
	name,
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position,
	parameters: { jsCode },
});

/** The probe package's trigger (webhook path `<webhookId>/probe`), then `rest` behind it. */
export function probeTriggerWorkflow(name: string, responseMode: 'lastNode' | 'onReceived', rest: WorkflowNode[] = []) {
	const webhookId = uuid();
	const trigger: WorkflowNode = {
		id: uuid(),
		name: 'Probe Trigger',
		type: `${PKG}.probeTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: { responseMode },
	};
	return {
		webhookId,
		workflow: {
			name,
			nodes: [trigger, ...rest],
			connections: rest.length ? mainConnection(trigger.name, rest[0].name) : {},
			settings: { executionOrder: 'v1' },
		},
	};
}
