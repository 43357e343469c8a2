import type { IExecuteFunctions, IWorkflowExecutionCustomData } from 'n8n-workflow';

/**
 * The execution's custom data (shown and filterable in n8n's executions list). n8n 2.x hands it to a node as
 * `this.customData`; n8n 1.x has no such property on a node's context, only `$execution.customData` of the
 * workflow data proxy (what its own Execution Data node uses). Both keep the values in the same place.
 */
export function executionCustomData(ctx: IExecuteFunctions, itemIndex = 0): IWorkflowExecutionCustomData {
	const direct = (ctx as { customData?: IWorkflowExecutionCustomData }).customData;
	if (direct) return direct;
	return (ctx.getWorkflowDataProxy(itemIndex).$execution as { customData: IWorkflowExecutionCustomData }).customData;
}
