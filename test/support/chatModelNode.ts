/**
 * A chat-model sub-node for unit tests of Read Chat Order: it supplies, through the ai_languageModel connection
 * as n8n's model nodes do, an object with LangChain's `invoke(messages)`. (The HTTP side of a model — an
 * OpenAI-compatible server — is tools/sandbox/model, which the e2e tests and `npm start` use.)
 */
import type { INodeType, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export type InvokeModel = (messages: Array<[string, string]>) => Promise<{ content: string }>;

export function chatModelNode(invoke: InvokeModel, name = 'fakeChatModel'): INodeType {
	return {
		description: {
			displayName: 'Fake Chat Model',
			name,
			group: ['transform'],
			version: 1,
			description: 'test',
			defaults: { name: 'Fake Chat Model' },
			inputs: [],
			outputs: [NodeConnectionTypes.AiLanguageModel],
			properties: [],
		},
		async supplyData(this: ISupplyDataFunctions): Promise<SupplyData> {
			return { response: { invoke } };
		},
	};
}
