/** Which function runs an item, by the node's Resource and Operation. */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CheckoutSessionOperation } from './checkoutSession';
import { checkoutSessionOperations } from './checkoutSession';
import type { StripeRun } from './stripeRun';

export type ItemOperation = (run: StripeRun, itemIndex: number, json: IDataObject) => Promise<IDataObject>;

export function operationFor(run: StripeRun): ItemOperation {
	// Both are fixed per node (noDataExpression), so item 0 speaks for every item.
	const resource = run.ctx.getNodeParameter('resource', 0, 'checkoutSession') as string;
	const operation = run.ctx.getNodeParameter('operation', 0, 'create') as string;
	const chosen =
		resource === 'checkoutSession' && Object.hasOwn(checkoutSessionOperations, operation)
			? checkoutSessionOperations[operation as CheckoutSessionOperation]
			: undefined;
	if (!chosen) {
		throw new NodeOperationError(run.ctx.getNode(), `Unknown operation "${operation}" for resource "${resource}"`, {
			description: 'Open the node and choose an operation again.',
		});
	}
	return chosen;
}
