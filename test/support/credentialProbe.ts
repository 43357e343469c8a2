/**
 * A bare node that uses one credential type and runs `execute` in n8n-core's real execution context: how a unit
 * test makes n8n apply a pack credential (its authenticate block, its test request) the way a node would.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

export function credentialProbe(credentialName: string, execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>): INodeType {
	return {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'probe',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialName, required: true }],
			properties: [],
		} as unknown as INodeTypeDescription,
		execute,
	};
}
