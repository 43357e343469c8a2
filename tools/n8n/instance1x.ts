/**
 * n8n 1.123.81 (from `.n8n-runtime-1x`, under its pinned Node 22) on 127.0.0.1, driven like the 2.40 one:
 * `startN8n1x(opts)` takes startN8n's options and returns the same handle. Only what differs on 1.123 lives here.
 *
 * What 1.123 does the same way as 2.40 (read in its compiled sources, then seen at boot):
 * - owner setup POST /rest/owner/setup, login POST /rest/login { emailOrLdapLoginId, password };
 * - community packages: POST|PATCH|GET|DELETE /rest/community-packages with { name, version }; a registry other than
 *   registry.npmjs.org needs the same licence feature (License.isCustomNpmRegistryEnabled), so the same preload;
 * - data tables under /rest/projects/:projectId/data-tables (insert, rows, PATCH rows);
 * - executions: GET /rest/executions?filter=…, GET /rest/executions/:id (run data `flatted`-encoded);
 * - activation: POST /rest/workflows/:id/activate { versionId } exists in 1.123 too, and is synchronous there
 *   (no publication outbox, so GET …/publication-status is a 404 and publishWorkflow returns at once).
 *
 * What differs:
 * - /healthz/readiness is 200 before the REST API is mounted: the client waits for GET /rest/settings first;
 * - the public webhook base URL is WEBHOOK_URL (N8N_WEBHOOK_URL is 2.x only);
 * - N8N_DISABLED_MODULES=mcp-registry (2.40's call home for the MCP server list) is an unknown module there, and
 *   n8n 1.123 will not start with it;
 * - Code nodes run in-process unless N8N_RUNNERS_ENABLED=true (the template has none; left as 1.123 ships);
 * - SQLite runs on one legacy connection unless DB_SQLITE_POOL_SIZE > 0: set to 2.x's default, 3 (see below);
 * - flatted (for run data) is read from this runtime's node_modules, not the 2.40 one's.
 */
import path from 'node:path';
import { startN8n, N8nApi, type N8nHandle, type StartN8nOptions } from './instance';
import type { N8nJson } from './api';
import { ensureRuntime1x, paths1x, NODE_1X_BIN } from './runtime1x';
import { freePort } from './processes';
import { eventually, WaitTimeoutError } from '../wait';

/** The REST client with 1.123's differences. */
export class N8nApi1x extends N8nApi {
	/**
	 * 1.123's /healthz/readiness says 200 once the database is migrated, which is before its REST controllers are
	 * mounted (for a moment /rest/* answers Express's 404): wait until GET /rest/settings answers, then as 2.40.
	 */
	async ensureOwnerSession(): Promise<'setup' | 'login'> {
		let status = 0;
		try {
			await eventually(
				`n8n 1.123's REST API at ${this.baseUrl}`,
				async () => {
					status = await fetch(new URL('rest/settings', this.baseUrl), { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
					return status === 200;
				},
				{ timeoutMs: 60_000 },
			);
		} catch (error) {
			if (!(error instanceof WaitTimeoutError)) throw error;
			throw new Error(`n8n 1.123 at ${this.baseUrl}: its REST API did not come up within 60 s after /healthz/readiness (GET /rest/settings → ${status})`);
		}
		return super.ensureOwnerSession();
	}

	/** GET /rest/executions/:id with its run data decoded (flatted from the 1.x runtime). */
	async getExecution(id: string): Promise<N8nJson> {
		const e = await this.request('GET', `/executions/${id}`);
		if (e && typeof e.data === 'string') {
			const { parse } = require(path.join(paths1x.nodeModules, 'flatted'));
			e.data = parse(e.data);
		}
		return e;
	}
}

/** startN8n for n8n 1.123.81. Installs the 1.x runtime first when it is missing or out of date. */
export async function startN8n1x(opts: StartN8nOptions): Promise<N8nHandle> {
	await ensureRuntime1x({ log: opts.log });
	const port = opts.port ?? (await freePort());
	const baseUrl = `http://127.0.0.1:${port}/`;
	return startN8n({
		...opts,
		port,
		runtime: { n8nBin: paths1x.n8nBin, nodeBin: NODE_1X_BIN, Api: N8nApi1x },
		env: {
			WEBHOOK_URL: baseUrl,
			N8N_DISABLED_MODULES: undefined, // 1.123 has no mcp-registry module, and refuses to start on an unknown name
			// SQLite with a pool, as 2.x always runs it (its default is 3) and as 1.123 itself asks at start ("running
			// without a pool of read connections is deprecated"): with 1.123's default legacy single connection,
			// concurrent Data Table updates can fail ("Transaction is not started yet"), seen as a 500 to 1 of 12
			// concurrent Stripe redeliveries (README, "n8n versions").
			DB_SQLITE_POOL_SIZE: '3',
			...opts.env,
		},
	});
}
