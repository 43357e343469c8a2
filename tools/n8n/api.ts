/**
 * Authenticated client of n8n's internal REST API (`/rest/...`), driven the way the editor UI does:
 * owner setup and login, community packages, credentials, data tables, workflows, executions.
 */
import path from 'node:path';
import { paths } from './runtime';
import { eventually, UNFINISHED } from '../wait';

/**
 * JSON n8n owns and sends as it likes: REST answers, run data, workflow parameters. The harness passes it on and
 * the tests read it field by field (a field that is not there fails their assertion), so it stays open; said once, here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type N8nJson = any;

/** A workflow node as exported: the fields the harness reads by name; the rest is n8n's. */
export interface WorkflowNode {
	name: string;
	type: string;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
	parameters: Record<string, N8nJson>;
	[field: string]: N8nJson;
}

/** An exported workflow (`{ name, nodes, connections, settings?, pinData?, staticData?, meta? }`), or one n8n stored. */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: WorkflowNode[];
	[field: string]: N8nJson;
}

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const OWNER: Readonly<Owner> = Object.freeze({
	email: 'owner@e2e.example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-harness-Passw0rd',
});
export const BROWSER_ID = 'e2e-harness-browser';

export interface RequestOptions {
	body?: unknown;
	query?: Record<string, string | number | boolean | undefined>;
	timeoutMs?: number;
	raw?: boolean;
}

export interface DataTableColumn {
	name: string;
	type: 'string' | 'number' | 'boolean' | 'date';
}

export interface RowQuery {
	take?: number;
	skip?: number;
	filter?: { type?: 'and' | 'or'; filters: Array<{ columnName: string; condition?: string; value: unknown }> };
	sortBy?: string;
}

export interface Publication {
	status: string;
	liveVersionId: string | null;
	triggers?: Array<{ nodeId: string; status: string; errorMessage?: string }>;
}

export interface PublishResult {
	workflow: N8nJson;
	publication?: Publication;
	waitedMs: number;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt?: string;
	workflowId: string;
}

/** A REST call n8n answered with an error status; `body` is its parsed answer. */
export class N8nHttpError extends Error {
	readonly status: number;
	readonly body: N8nJson;

	constructor(message: string, status: number, body: unknown) {
		super(message);
		this.name = 'N8nHttpError';
		this.status = status;
		this.body = body;
	}
}

/** Authenticated client of n8n's internal REST API (`/rest/...`, as used by the editor UI). */
export class N8nApi {
	readonly baseUrl: string;
	readonly owner: Owner;
	cookie: string | undefined = undefined;
	_projectId: string | undefined = undefined;

	constructor(baseUrl: string, owner: Owner = OWNER) {
		this.baseUrl = baseUrl;
		this.owner = owner;
	}

	/**
	 * One REST call to `route` (e.g. '/workflows'; prefixed with /rest). Returns the `data` field of n8n's
	 * `{ data }` envelope (or the whole body if none, or with `raw`).
	 */
	async request(method: string, route: string, o: RequestOptions = {}): Promise<N8nJson> {
		const url = new URL(`rest${route}`, this.baseUrl);
		for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
		const headers: Record<string, string> = { accept: 'application/json', 'browser-id': BROWSER_ID };
		if (this.cookie) headers.cookie = this.cookie;
		if (o.body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(url, {
			method,
			headers,
			body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
			signal: AbortSignal.timeout(o.timeoutMs ?? 60_000),
		});
		const setCookies = res.headers.getSetCookie?.() ?? [];
		for (const c of setCookies) {
			const m = /^n8n-auth=([^;]*)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
		const text = await res.text();
		let body: N8nJson = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: keep the text
		}
		if (!res.ok) {
			const msg = (body && typeof body === 'object' && (body.message || body.error)) || text.slice(0, 500);
			throw new N8nHttpError(`${method} ${url.pathname}${url.search} → ${res.status}: ${msg}`, res.status, body);
		}
		if (o.raw) return body;
		return body && typeof body === 'object' && 'data' in body ? body.data : body;
	}

	/** Owner setup on a fresh instance, else log in. Keeps the auth cookie. */
	async ensureOwnerSession(): Promise<'setup' | 'login'> {
		try {
			await this.request('POST', '/owner/setup', { body: this.owner });
			return 'setup';
		} catch (e) {
			if (!(e instanceof N8nHttpError) || e.status !== 400) throw e;
		}
		await this.login();
		return 'login';
	}

	/** POST /rest/login as the owner. */
	async login(email = this.owner.email, password = this.owner.password) {
		return this.request('POST', '/login', { body: { emailOrLdapLoginId: email, password } });
	}

	/** The owner's personal project id (GET /rest/projects/personal). */
	async projectId(): Promise<string> {
		if (!this._projectId) this._projectId = String((await this.request('GET', '/projects/personal')).id);
		return this._projectId;
	}

	// ---- community packages (Settings → Community nodes) ----

	/**
	 * POST /rest/community-packages { name, version } — what the UI's "Install" does.
	 * Node types of the package become `<name>.<nodeType>`.
	 */
	async installCommunityPackage(name: string, version?: string) {
		return this.request('POST', '/community-packages', { body: { name, version }, timeoutMs: 300_000 });
	}
	/** GET /rest/community-packages */
	async listCommunityPackages() {
		return this.request('GET', '/community-packages', { timeoutMs: 120_000 });
	}
	/** PATCH /rest/community-packages { name, version } */
	async updateCommunityPackage(name: string, version?: string) {
		return this.request('PATCH', '/community-packages', { body: { name, version }, timeoutMs: 300_000 });
	}
	/** DELETE /rest/community-packages?name= */
	async uninstallCommunityPackage(name: string) {
		return this.request('DELETE', '/community-packages', { query: { name }, timeoutMs: 120_000 });
	}
	/** Node type descriptions known to the instance (GET /types/nodes.json, as the editor loads them). */
	async nodeTypes(): Promise<N8nJson[]> {
		const res = await fetch(new URL('types/nodes.json', this.baseUrl), {
			headers: { 'browser-id': BROWSER_ID, ...(this.cookie ? { cookie: this.cookie } : {}) },
		});
		if (!res.ok) throw new N8nHttpError(`GET /types/nodes.json → ${res.status}`, res.status, await res.text());
		return (await res.json()) as N8nJson[];
	}

	// ---- credentials ----

	/** POST /rest/credentials → id (`type`: credential type name, e.g. 'httpHeaderAuth' or a package's own type) */
	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string> {
		const c = await this.request('POST', '/credentials', { body: { name, type, data } });
		return String(c.id);
	}

	// ---- data tables (n8n 2.x; live under a project) ----

	/** POST /rest/projects/:projectId/data-tables → id */
	async createDataTable(name: string, columns: DataTableColumn[]): Promise<string> {
		const pid = await this.projectId();
		const t = await this.request('POST', `/projects/${pid}/data-tables`, { body: { name, columns } });
		return String(t.id);
	}
	/** POST /rest/projects/:projectId/data-tables/:id/insert → inserted rows (returnType 'all') */
	async insertRows(tableId: string, rows: Array<Record<string, string | number | boolean | null>>) {
		const pid = await this.projectId();
		return this.request('POST', `/projects/${pid}/data-tables/${tableId}/insert`, { body: { data: rows, returnType: 'all' } });
	}
	/** GET /rest/projects/:projectId/data-tables/:id/rows → { count, data } */
	async listRows(tableId: string, q: RowQuery = {}) {
		const pid = await this.projectId();
		return this.request('GET', `/projects/${pid}/data-tables/${tableId}/rows`, {
			query: { take: q.take ?? 250, skip: q.skip, sortBy: q.sortBy, filter: q.filter ? JSON.stringify(q.filter) : undefined },
		});
	}
	/** PATCH /rest/projects/:projectId/data-tables/:id/rows: rows matching every `where` column get `data`. */
	async updateRows(tableId: string, where: Record<string, string | number>, data: Record<string, unknown>) {
		const pid = await this.projectId();
		const filters = Object.entries(where).map(([columnName, value]) => ({ columnName, condition: 'eq', value }));
		return this.request('PATCH', `/projects/${pid}/data-tables/${tableId}/rows`, { body: { filter: { type: 'and', filters }, data, returnData: true } });
	}
	/** GET /rest/projects/:projectId/data-tables */
	async listDataTables() {
		const pid = await this.projectId();
		return this.request('GET', `/projects/${pid}/data-tables`);
	}

	// ---- workflows ----

	/** POST /rest/workflows (an exported workflow JSON { name, nodes, connections, settings?, pinData?, staticData?, meta? }; unpublished, like an import) → id */
	async importWorkflow(json: WorkflowJson): Promise<string> {
		const body = {
			name: json.name ?? 'e2e workflow',
			nodes: json.nodes,
			connections: json.connections ?? {},
			settings: json.settings ?? { executionOrder: 'v1' },
			...(json.pinData ? { pinData: json.pinData } : {}),
			...(json.staticData ? { staticData: json.staticData } : {}),
			...(json.meta ? { meta: json.meta } : {}),
			active: false,
		};
		const w = await this.request('POST', '/workflows', { body });
		return String(w.id);
	}
	/** GET /rest/workflows/:id */
	async getWorkflow(id: string): Promise<N8nJson> {
		return this.request('GET', `/workflows/${id}`);
	}
	/**
	 * "Publish" (n8n 2.x; was "activate"): POST /rest/workflows/:id/activate { versionId } with the
	 * workflow's current versionId.
	 *
	 * In 2.40 publishing goes through an outbox (N8N_USE_WORKFLOW_PUBLICATION_SERVICE, on by default):
	 * the call returns `active: true` at once, and the triggers/webhooks are registered a moment later
	 * by the outbox consumer. Unless `wait: false`, this polls GET /rest/workflows/:id/publication-status
	 * until it is 'published' and throws when it ends 'failed' / 'partial' (with the trigger errors).
	 */
	async publishWorkflow(id: string, o: { wait?: boolean; timeoutMs?: number } = {}): Promise<PublishResult> {
		const w = await this.getWorkflow(id);
		const workflow = await this.request('POST', `/workflows/${id}/activate`, { body: { versionId: w.versionId } });
		const t0 = Date.now();
		if (o.wait === false) return { workflow, waitedMs: 0 };
		let st: Publication | undefined;
		const probe = async (): Promise<PublishResult | undefined> => {
			try {
				st = (await this.request('GET', `/workflows/${id}/publication-status`)) as Publication;
			} catch (e) {
				// N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false: activation was synchronous, nothing to wait for.
				if (e instanceof N8nHttpError && e.status === 404) return { workflow, waitedMs: Date.now() - t0 };
				throw e;
			}
			if (st.status === 'published' && st.liveVersionId === w.versionId) return { workflow, publication: st, waitedMs: Date.now() - t0 };
			if (st.status === 'failed' || st.status === 'partial') {
				const errs = (st.triggers ?? []).filter((t) => t.status === 'failed').map((t) => `${t.nodeId}: ${t.errorMessage}`);
				throw new Error(`publishing workflow ${id} ended '${st.status}': ${errs.join('; ')}`);
			}
			return undefined;
		};
		return await eventually(`workflow ${id} to be published`, probe, {
			timeoutMs: o.timeoutMs ?? 30_000,
			intervalMs: 100,
			retryErrors: false,
			describe: () => `still '${st?.status}'`,
		});
	}
	/** POST /rest/workflows/:id/deactivate */
	async unpublishWorkflow(id: string) {
		return this.request('POST', `/workflows/${id}/deactivate`, { body: {} });
	}
	/** GET /rest/workflows */
	async listWorkflows() {
		return this.request('GET', '/workflows');
	}

	// ---- executions ----

	/** GET /rest/executions?filter={"workflowId":…} → summaries, newest first (at most `limit`, ≤ 100) */
	async listExecutions(workflowId: string, o: { limit?: number; status?: string[] } = {}): Promise<ExecutionSummary[]> {
		const filter = { workflowId: String(workflowId), ...(o.status ? { status: o.status } : {}) };
		const r = await this.request('GET', '/executions', { query: { filter: JSON.stringify(filter), limit: o.limit ?? 100 } });
		return r.results ?? r;
	}
	/**
	 * GET /rest/executions/:id with its run data decoded (n8n sends it `flatted`-encoded):
	 * `execution.data.resultData.runData[nodeName][0].data.main[0]` are a node's output items.
	 */
	async getExecution(id: string): Promise<N8nJson> {
		const e = await this.request('GET', `/executions/${id}`);
		if (e && typeof e.data === 'string') {
			const { parse } = require(path.join(paths.nodeModules, 'flatted'));
			e.data = parse(e.data);
		}
		return e;
	}
	/** Output items (json) of `nodeName` in an execution (a result of getExecution; first run, first output by default). */
	nodeOutput(execution: N8nJson, nodeName: string, o: { run?: number; output?: number } = {}): N8nJson[] {
		const run = execution?.data?.resultData?.runData?.[nodeName]?.[o.run ?? 0];
		if (!run) return [];
		return (run.data?.main?.[o.output ?? 0] ?? []).map((i: { json: unknown }) => i.json);
	}
	/** Polls until the workflow has at least `count` executions that are no longer running. */
	async waitForExecutions(workflowId: string, count: number, o: { timeoutMs?: number } = {}): Promise<ExecutionSummary[]> {
		let list: ExecutionSummary[] = [];
		return await eventually(
			`workflow ${workflowId} to have ${count} finished executions`,
			async () => {
				list = await this.listExecutions(workflowId);
				const done = list.filter((e) => !UNFINISHED.includes(e.status));
				return done.length >= count ? done : undefined;
			},
			{ timeoutMs: o.timeoutMs ?? 30_000, intervalMs: 200, retryErrors: false, describe: () => `${list.length} executions (${list.map((e) => e.status).join(',')})` },
		);
	}
}
