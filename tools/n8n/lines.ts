/**
 * Which n8n line the end-to-end harness runs: '2.40' (n8n 2.40.7, the default everywhere) or '1.123'
 * (n8n 1.123.81, the 1.x line many self-hosted instances still run).
 *
 * A test or script picks one with the sandbox's `line` option; without it, `E2E_N8N_LINE` decides
 * (e.g. `E2E_N8N_LINE=1.123 npm start`, or one e2e file against 1.123), and without that, 2.40.
 * Each line has its own pinned runtime folder, installed only when a run of that line asks for it:
 * `.n8n-runtime/` (tools/n8n/runtime-2x) and `.n8n-runtime-1x/` (tools/n8n/runtime-1x). Each line's modules load
 * only when that line is asked for (require inside lineRuntime), so a 2.40 run never loads the 1.x ones.
 */

import path from 'node:path';
import type { N8nHandle, StartN8nOptions } from './instance';
import type { WorkflowJson } from './api';

export type N8nLine = '2.40' | '1.123';
export const LINES: readonly N8nLine[] = Object.freeze(['2.40', '1.123'] as const);
export const DEFAULT_LINE: N8nLine = '2.40';

/** The line asked for (`line`, or undefined for E2E_N8N_LINE / the default). */
export function resolveLine(line?: string): N8nLine {
	const chosen = line ?? (process.env.E2E_N8N_LINE || DEFAULT_LINE);
	// '1.x' and '1' name the 1.123 line too; '2' and '2.x' the 2.40 one.
	const named = /^1(\.x|\.123(\.\d+)?)?$/.test(chosen) ? '1.123' : /^2(\.x|\.40(\.\d+)?)?$/.test(chosen) ? '2.40' : chosen;
	if (!LINES.includes(named as N8nLine)) {
		throw new Error(`unknown n8n line '${chosen}' (E2E_N8N_LINE or the sandbox's line option): use one of ${LINES.join(', ')}`);
	}
	return named as N8nLine;
}

export interface LineRuntime {
	line: N8nLine;
	/** e.g. 'n8n 1.123.81 (Node 22.23.5)' */
	label: string;
	/** installs its runtime when needed */
	ensure: (o: { log?: (line: string) => void }) => Promise<unknown>;
	verdaccioBin: string;
	/** startN8n of that line */
	start: (opts: StartN8nOptions) => Promise<N8nHandle>;
	/** the line's own template files (default: workflows/*.json) */
	templates?: { conversation: string; payments: string };
	/** what an operator of that line does after importing (1.x: paste the data table IDs) */
	prepareTemplate?: (workflow: WorkflowJson, tableIds: Record<string, string>) => void;
}

/** The runtime, registry and n8n launcher of a line (each line's modules load only when asked for). */
export function lineRuntime(line?: string): LineRuntime {
	const resolved = resolveLine(line);
	if (resolved === '1.123') {
		const { ensureRuntime1x, paths1x, NODE_1X_VERSION } = require('./runtime1x') as typeof import('./runtime1x');
		const { startN8n1x } = require('./instance1x') as typeof import('./instance1x');
		// A plain JS script (it also runs as `node scripts/template-1x.js`).
		const { fillDataTableIds, TARGET } = require('../../scripts/template-1x') as {
			fillDataTableIds: (workflow: WorkflowJson, tableIds: Record<string, string>) => void;
			TARGET: string;
		};
		return {
			line: resolved,
			label: `n8n 1.123.81 (Node ${NODE_1X_VERSION})`,
			ensure: ensureRuntime1x,
			verdaccioBin: paths1x.verdaccioBin,
			start: startN8n1x,
			// n8n 1.x finds data tables by ID only: its template variant reads them from one node (scripts/template-1x.js)
			templates: { conversation: path.join(TARGET, 'chat-checkout.json'), payments: path.join(TARGET, 'chat-checkout-payments.json') },
			prepareTemplate: fillDataTableIds,
		};
	}
	const { ensureRuntime, paths } = require('./runtime') as typeof import('./runtime');
	const { startN8n } = require('./instance') as typeof import('./instance');
	return { line: resolved, label: `n8n 2.40.7 (Node ${process.versions.node})`, ensure: ensureRuntime, verdaccioBin: paths.verdaccioBin, start: startN8n };
}
