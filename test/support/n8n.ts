/**
 * Runs our nodes inside n8n-core's real execution contexts (ExecuteContext, WebhookContext), so that
 * parameters, credentials, `helpers.httpRequestWithAuthentication`, continueOnFail and paired items behave as
 * in n8n. Only the credential store is ours: it hands out plain test credentials and applies a credential
 * type's generic `authenticate` block (what n8n's CredentialsHelper does for these credential types).
 */
import { ExecuteContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { EventEmitter } from 'node:events';

import { forgetRememberedCredentials } from '../../nodes/shared/webhookCredentials';

export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

function resolveCredentialExpression(template: string, credentials: ICredentialDataDecryptedObject): string {
	if (!template.startsWith('=')) return template;
	return template
		.slice(1)
		.replace(/\{\{\s*\$credentials\.([A-Za-z0-9_]+)\s*\}\}/g, (_m, key: string) => String(credentials[key] ?? ''));
}

class TestCredentialsHelper {
	constructor(
		private readonly credentials: TestCredentials,
		private readonly credentialTypes: Record<string, ICredentialType>,
	) {}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string) {
		const data = this.credentials[type];
		if (!data) throw new Error(`test: no credentials of type ${type}`);
		return { ...data };
	}

	async preAuthentication() {
		return undefined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		type: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const auth = this.credentialTypes[type]?.authenticate;
		if (!auth || typeof auth === 'function' || auth.type !== 'generic') return requestOptions;
		const headers = { ...(requestOptions.headers ?? {}) } as IDataObject;
		for (const [name, value] of Object.entries(auth.properties.headers ?? {})) {
			headers[name] = resolveCredentialExpression(String(value), credentials);
		}
		const qs = { ...(requestOptions.qs ?? {}) } as IDataObject;
		for (const [name, value] of Object.entries(auth.properties.qs ?? {})) {
			qs[name] = resolveCredentialExpression(String(value), credentials);
		}
		return { ...requestOptions, headers, qs };
	}

	getCredentialsProperties(type: string) {
		return this.credentialTypes[type]?.properties ?? [];
	}
}

function nodeTypesOf(nodeType: INodeType, subNodes: SubNode[] = []): INodeTypes {
	const byType = new Map(subNodes.map((sub) => [`test.${sub.name}`, sub.nodeType]));
	const lookup = (type: string) => byType.get(type) ?? nodeType;
	return {
		getByName: lookup,
		getByNameAndVersion: lookup,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

/** A sub-node (e.g. a chat model) connected to the node under test through an AI connection. */
export interface SubNode {
	name: string;
	nodeType: INodeType;
	connectionType: string;
}

export interface NodeSetup {
	nodeType: INodeType;
	parameters: Record<string, unknown>;
	credentials?: TestCredentials;
	credentialTypes?: ICredentialType[];
	continueOnFail?: boolean;
	staticData?: IDataObject;
	name?: string;
	subNodes?: SubNode[];
	/** The node's typeVersion in the workflow (default: the first version the node declares). */
	typeVersion?: number;
	/** The run's execution id (default 'exec-test'): two runs of one workflow differ in it. */
	executionId?: string;
}

function buildWorkflow(setup: NodeSetup) {
	const description = setup.nodeType.description;
	const node: INode = {
		id: 'node-under-test',
		name: setup.name ?? description.defaults.name ?? description.displayName,
		type: `n8n-nodes-chat-checkout.${description.name}`,
		typeVersion: setup.typeVersion ?? (Array.isArray(description.version) ? description.version[0] : description.version),
		position: [0, 0],
		parameters: setup.parameters as INode['parameters'],
		credentials: Object.fromEntries(
			Object.keys(setup.credentials ?? {}).map((type) => [type, { id: `cred-${type}`, name: type }]),
		),
		continueOnFail: setup.continueOnFail,
		onError: setup.continueOnFail ? 'continueRegularOutput' : undefined,
		webhookId: 'test-webhook-id',
	};
	const subNodes = setup.subNodes ?? [];
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes: [
			node,
			...subNodes.map((sub, i) => ({
				id: `sub-node-${i}`,
				name: sub.name,
				type: `test.${sub.name}`,
				typeVersion: 1,
				position: [0, 200] as [number, number],
				parameters: {},
			})),
		],
		connections: Object.fromEntries(
			subNodes.map((sub) => [sub.name, { [sub.connectionType]: [[{ node: node.name, type: sub.connectionType, index: 0 }]] }]),
		) as Workflow['connectionsBySourceNode'],
		active: true,
		nodeTypes: nodeTypesOf(setup.nodeType, subNodes),
		staticData: setup.staticData ?? {},
	});
	const credentialTypes = Object.fromEntries((setup.credentialTypes ?? []).map((c) => [c.name, c]));
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(setup.credentials ?? {}, credentialTypes),
		webhookBaseUrl: 'https://n8n.example.test/webhook',
		webhookTestBaseUrl: 'https://n8n.example.test/webhook-test',
		webhookWaitingBaseUrl: 'https://n8n.example.test/webhook-waiting',
		formWaitingBaseUrl: 'https://n8n.example.test/form-waiting',
		instanceBaseUrl: 'https://n8n.example.test/',
		restApiUrl: 'https://n8n.example.test/rest',
		variables: {},
		executionId: setup.executionId ?? 'exec-test',
	} as unknown as IWorkflowExecuteAdditionalData;
	return { node, workflow, additionalData };
}

/**
 * Executes an action node over input items, as n8n's WorkflowExecute would for one run. `inputs` gives each
 * main input its items (for nodes with several inputs); `items` is the first input's.
 */
export async function executeNode(
	setup: NodeSetup & { items: INodeExecutionData[]; inputs?: INodeExecutionData[][]; mode?: WorkflowExecuteMode },
): Promise<INodeExecutionData[][]> {
	return (await executeNodeWithRun(setup)).output;
}

/** As executeNode, also returning the run's data (execution custom data lives in `resultData.metadata`). */
export async function executeNodeWithRun(
	setup: NodeSetup & { items: INodeExecutionData[]; inputs?: INodeExecutionData[][]; mode?: WorkflowExecuteMode },
): Promise<{ output: INodeExecutionData[][]; runExecutionData: IRunExecutionData }> {
	const { node, workflow, additionalData } = buildWorkflow(setup);
	const runExecutionData = {
		resultData: { runData: {} },
		executionData: { nodeExecutionStack: [], waitingExecution: {}, waitingExecutionSource: null },
	} as unknown as IRunExecutionData;
	const inputData = { main: setup.inputs ?? [setup.items] };
	const executeData: IExecuteData = { node, data: inputData, source: { main: [{ previousNode: 'Previous' }] } };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		setup.mode ?? 'manual',
		runExecutionData,
		0,
		setup.items,
		inputData,
		executeData,
		[],
	);
	if (!setup.nodeType.execute) throw new Error('node has no execute()');
	const result = await setup.nodeType.execute.call(context);
	return { output: result as INodeExecutionData[][], runExecutionData };
}

/** A captured HTTP answer written by a webhook method through the Express response object. */
export interface CapturedResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
	ended: boolean;
}

function fakeResponse(): { res: unknown; captured: CapturedResponse } {
	const captured: CapturedResponse = { statusCode: 200, headers: {}, body: undefined, ended: false };
	const res = Object.assign(new EventEmitter(), {
		status(code: number) {
			captured.statusCode = code;
			return res;
		},
		setHeader(name: string, value: string) {
			captured.headers[name.toLowerCase()] = value;
			return res;
		},
		header(name: string, value: string) {
			captured.headers[name.toLowerCase()] = value;
			return res;
		},
		type(value: string) {
			captured.headers['content-type'] = value;
			return res;
		},
		send(body?: unknown) {
			captured.body = body;
			captured.ended = true;
			return res;
		},
		json(body: unknown) {
			captured.headers['content-type'] ??= 'application/json';
			captured.body = body;
			captured.ended = true;
			return res;
		},
		end(body?: unknown) {
			if (body !== undefined) captured.body = body;
			captured.ended = true;
			return res;
		},
		get headersSent() {
			return captured.ended;
		},
	});
	return { res, captured };
}

export interface WebhookCall {
	method?: 'GET' | 'POST';
	webhookName?: 'default' | 'setup';
	headers?: Record<string, string>;
	/** Exact bytes as received; for POSTs the JSON body is parsed from them, as n8n's body parser does. */
	rawBody?: Buffer | string;
	query?: Record<string, string>;
	mode?: WorkflowExecuteMode;
	/**
	 * Whether n8n read the body before the node ran (default true: `rawBody` is set). False: the request carries
	 * n8n's `readRawBody()` instead, which sets `rawBody` (or rejects with `readError`), as n8n 2.x leaves the bodies
	 * it does not parse to a version-2 webhook node.
	 */
	bodyReadByN8n?: boolean;
	readError?: Error;
	/** The request's parsed content type, as n8n sets `req.contentType` (type only, lower case). */
	contentType?: string;
	/** Keep the credentials webhook nodes remembered from earlier calls (default: forgotten, as after a restart). */
	keepRememberedCredentials?: boolean;
}

export interface WebhookOutcome {
	result: IWebhookResponseData;
	response: CapturedResponse;
	/** The items the run would start with (empty when the webhook starts no execution). */
	items: INodeExecutionData[];
	staticData: IDataObject;
	/** The response object the node was given (an EventEmitter: a test can emit 'finish' as Express does). */
	res: EventEmitter & { statusCode?: number };
	/** How often the node called n8n's `readRawBody()` (with `bodyReadByN8n: false`). */
	readRawBodyCalls: number;
}

/** Calls a trigger's webhook() inside n8n-core's WebhookContext with an Express-like request/response. */
export async function callWebhook(setup: NodeSetup, call: WebhookCall): Promise<WebhookOutcome> {
	if (!call.keepRememberedCredentials) forgetRememberedCredentials();
	const { node, workflow, additionalData } = buildWorkflow(setup);
	const raw = call.rawBody === undefined ? undefined : Buffer.from(call.rawBody);
	let body: unknown = {};
	if (raw && raw.length > 0) {
		try {
			body = JSON.parse(raw.toString('utf8'));
		} catch {
			body = {};
		}
	}
	const headers = Object.fromEntries(Object.entries(call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
	const req: Record<string, unknown> = { method: call.method ?? 'POST', headers, query: call.query ?? {}, params: {}, body, contentType: call.contentType };
	if (call.bodyReadByN8n === false) {
		req.readRawBody = async () => {
			req.readRawBodyCalls = Number(req.readRawBodyCalls ?? 0) + 1;
			if (call.readError) throw call.readError;
			req.rawBody = raw ?? Buffer.alloc(0);
		};
	} else {
		req.rawBody = raw;
	}
	const { res, captured } = fakeResponse();
	(additionalData as unknown as IDataObject).httpRequest = req as unknown as IDataObject;
	(additionalData as unknown as IDataObject).httpResponse = res as IDataObject;
	const webhookName = call.webhookName ?? (call.method === 'GET' ? 'setup' : 'default');
	const description = setup.nodeType.description.webhooks?.find((w) => w.name === webhookName);
	if (!description) throw new Error(`node has no ${webhookName} webhook`);
	const webhookData = {
		httpMethod: call.method ?? 'POST',
		node: node.name,
		path: 'test',
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	} as unknown as IWebhookData;
	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		call.mode ?? 'webhook',
		webhookData,
		[],
		null,
	);
	const methods = setup.nodeType as INodeType & { webhook?: (this: unknown) => Promise<IWebhookResponseData> };
	if (!methods.webhook) throw new Error('node has no webhook()');
	const result = await methods.webhook.call(context);
	const items = result.workflowData?.flat() ?? [];
	return { result, response: captured, items, staticData: workflow.staticData as IDataObject, res: res as EventEmitter & { statusCode?: number }, readRawBodyCalls: Number(req.readRawBodyCalls ?? 0) };
}

/** Node type of a class-based node, for when a test wants the description or methods alone. */
export function instantiate<T extends INodeType>(NodeClass: new () => T): T {
	return new NodeClass();
}
