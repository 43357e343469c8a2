/** Which function runs an item, by the node's Resource and Operation. */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkoutSessionOperations } from './checkoutSession';
import { customerPortalSessionOperations } from './customerPortalSession';
import type { StripeRun } from './stripeRun';

export type ItemOperation = (run: StripeRun, itemIndex: number, json: IDataObject) => Promise<IDataObject>;

/** Each resource's operations; a new resource is one more entry here and one option in description.ts. */
const OPERATIONS_BY_RESOURCE: Record<string, Record<string, ItemOperation>> = {
	checkoutSession: checkoutSessionOperations,
	customerPortalSession: customerPortalSessionOperations,
};

export function operationFor(run: StripeRun): ItemOperation {
	// Both are fixed per node (noDataExpression), so item 0 speaks for every item.
	const resource = run.ctx.getNodeParameter('resource', 0, 'checkoutSession') as string;
	const operation = run.ctx.getNodeParameter('operation', 0, 'create') as string;
	const operations = Object.hasOwn(OPERATIONS_BY_RESOURCE, resource) ? OPERATIONS_BY_RESOURCE[resource] : undefined;
	const chosen = operations && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
	if (!chosen) {
		throw new NodeOperationError(run.ctx.getNode(), `Unknown operation "${operation}" for resource "${resource}"`, {
			description: 'Open the node and choose an operation again.',
		});
	}
	return chosen;
}
