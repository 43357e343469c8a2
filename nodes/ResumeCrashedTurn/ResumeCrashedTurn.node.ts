import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resumeCrashedTurn } from '../shared/turns/resumeTurn';
import { announcePackProcess } from '../shared/redis/packProcesses';

// In queue mode every n8n process with this pack says so in n8n's Redis (see packProcesses.ts).
announcePackProcess();

// Not offered as an AI agent tool: it only makes sense after the workflow's own Error Trigger.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class ResumeCrashedTurn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Resume Crashed Turn',
		name: 'resumeCrashedTurn',
		icon: { light: 'file:../../icons/resume.svg', dark: 'file:../../icons/resume.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'After the Error Trigger (queue mode)',
		description:
			'In queue mode, starts a customer\'s turn again when n8n lost its run (the worker died): put it after an Error Trigger in the conversation workflow and connect "Resumed Turn" to where the chat triggers lead',
		defaults: { name: 'Resume Crashed Turn' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Resumed Turn' },
			{ type: NodeConnectionTypes.Main, displayName: 'Not Resumed' },
		],
		properties: [
			{
				displayName:
					'Queue mode only. n8n never runs a job again whose worker died: it marks the run failed and starts this workflow\'s Error Trigger. Put this node after that Error Trigger (in this same workflow, with no Error Workflow set in its settings) and connect "Resumed Turn" to the node the WhatsApp and Instagram triggers lead to: the customer\'s messages go through the workflow again, unless they were answered already. "Not Resumed" says why not (a run that failed in the workflow itself is never resumed).',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resumed: INodeExecutionData[] = [];
		const notResumed: INodeExecutionData[] = [];
		const context = { workflowId: String(this.getWorkflow().id ?? ''), executionId: this.getExecutionId() };
		const items = this.getInputData();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const result = await resumeCrashedTurn(items[itemIndex].json, context);
			if (result.resumed) {
				this.logger.warn(`Resume Crashed Turn: execution ${result.crashedExecutionId} was lost (${result.why}); its customer's turn runs again in this execution`);
				this.customData.set('resumedFrom', result.crashedExecutionId);
				for (const json of result.items) resumed.push({ json, pairedItem: { item: itemIndex } });
			} else {
				this.logger.info(`Resume Crashed Turn: execution ${result.crashedExecutionId ?? '?'} not resumed: ${result.reason}`);
				const json: IDataObject = { resumed: false, executionId: result.crashedExecutionId, reason: result.reason };
				notResumed.push({ json, pairedItem: { item: itemIndex } });
			}
		}
		return [resumed, notResumed];
	}
}
