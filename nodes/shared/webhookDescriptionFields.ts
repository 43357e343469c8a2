/**
 * A webhook description field that reads a node parameter, declared the way n8n's own Webhook node declares
 * its fields (n8n-workflow `webhookDescriptionFields` + `fromParameter`): the editor still gets the expression
 * `={{$parameter["<name>"]}}`, and n8n ≥ 2.40 resolves it from the node's parameters without its expression engine
 * (no isolate per request) whenever those parameters hold no expression. An n8n whose n8n-workflow lacks these
 * helpers gets the plain expression, as before.
 */
import * as n8nWorkflow from 'n8n-workflow';
import type { IWebhookDescription } from 'n8n-workflow';

export function responseModeFromParameter(parameter: string): Pick<IWebhookDescription, 'responseMode'> {
	const { webhookDescriptionFields, fromParameter } = n8nWorkflow as Partial<typeof n8nWorkflow>;
	if (typeof webhookDescriptionFields !== 'function' || typeof fromParameter !== 'function') {
		return { responseMode: `={{$parameter["${parameter}"]}}` };
	}
	return webhookDescriptionFields({ responseMode: fromParameter(parameter) });
}
