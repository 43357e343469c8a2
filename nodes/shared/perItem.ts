/**
 * The item loop every action node runs: one output item per input item, paired with it; a failure becomes an
 * n8n error that names the item, and with Continue On Fail an error item that keeps what the workflow needs
 * to still answer the customer (its chat reference).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { MessageValidationError } from './graph/messages';
import { CheckoutInputError } from './stripe/inputError';

/**
 * Each failure family's own error as n8n shows it. Errors already made for n8n pass through, with the item
 * set; input errors name their field and say nothing was sent.
 */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof CheckoutInputError) return new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
	if (error instanceof MessageValidationError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: `Field: "${error.field}". Checked before sending, so nothing was sent.`,
		});
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

export interface PerItemOptions {
	/** The item's own work; its result is the output item's json. */
	run: (itemIndex: number, json: IDataObject) => Promise<IDataObject>;
	/** Fields an error item keeps besides `error` and `description` (with Continue On Fail). */
	keepOnError: (json: IDataObject) => IDataObject;
}

export async function runForEachItem(ctx: IExecuteFunctions, options: PerItemOptions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json = items[itemIndex].json;
		try {
			output.push({ json: await options.run(itemIndex, json), pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = toNodeError(ctx, error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			output.push({
				json: {
					error: nodeError.message,
					...(nodeError.description ? { description: nodeError.description } : {}),
					...options.keepOnError(json),
				},
				// `error` on the item is what routes it to the error output under "On Error: Continue (using error output)".
				error: nodeError,
				pairedItem: { item: itemIndex },
			});
		}
	}
	return output;
}
