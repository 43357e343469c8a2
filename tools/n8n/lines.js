// @ts-check
'use strict';
/**
 * Which n8n line the end-to-end harness runs: '2.40' (n8n 2.40.7, the default everywhere) or '1.123'
 * (n8n 1.123.81, the 1.x line many self-hosted instances still run).
 *
 * A test or script picks one with the sandbox's `line` option; without it, `E2E_N8N_LINE` decides
 * (e.g. `E2E_N8N_LINE=1.123 npm start`, or one e2e file against 1.123), and without that, 2.40.
 * Each line has its own pinned runtime folder, installed only when a run of that line asks for it:
 * `.n8n-runtime/` (test/e2e/runtime) and `.n8n-runtime-1x/` (test/e2e/runtime-1x).
 */

const path = require('node:path');

/** @typedef {'2.40' | '1.123'} N8nLine */
/** @type {readonly N8nLine[]} */
const LINES = Object.freeze(['2.40', '1.123']);
const DEFAULT_LINE = '2.40';

/**
 * @param {string | undefined} [line]  a line, or undefined for E2E_N8N_LINE / the default
 * @returns {N8nLine}
 */
function resolveLine(line) {
	const chosen = line ?? (process.env.E2E_N8N_LINE || DEFAULT_LINE);
	// '1.x' and '1' name the 1.123 line too; '2' and '2.x' the 2.40 one.
	const named = /^1(\.x|\.123(\.\d+)?)?$/.test(chosen) ? '1.123' : /^2(\.x|\.40(\.\d+)?)?$/.test(chosen) ? '2.40' : chosen;
	if (!LINES.includes(/** @type {N8nLine} */ (named))) {
		throw new Error(`unknown n8n line '${chosen}' (E2E_N8N_LINE or the sandbox's line option): use one of ${LINES.join(', ')}`);
	}
	return /** @type {N8nLine} */ (named);
}

/**
 * @typedef {object} LineRuntime
 * @property {N8nLine} line
 * @property {string} label                  e.g. 'n8n 1.123.81 (Node 22.23.5)'
 * @property {(o: { log?: (line: string) => void }) => Promise<unknown>} ensure   installs its runtime when needed
 * @property {string} verdaccioBin
 * @property {(opts: import('./instance').StartN8nOptions) => Promise<import('./instance').N8nHandle>} start   startN8n of that line
 * @property {{ conversation: string, payments: string }} [templates]   the line's own template files (default: workflows/*.json)
 * @property {(workflow: any, tableIds: Record<string, string>) => void} [prepareTemplate]   what an operator of that line
 *           does after importing (1.x: paste the data table IDs)
 */

/**
 * The runtime, registry and n8n launcher of a line (each line's modules load only when asked for).
 * @param {string | undefined} [line]
 * @returns {LineRuntime}
 */
function lineRuntime(line) {
	const resolved = resolveLine(line);
	if (resolved === '1.123') {
		const { ensureRuntime1x, paths1x, NODE_1X_VERSION } = require('./runtime1x');
		const { startN8n1x } = require('./instance1x');
		const { fillDataTableIds, TARGET } = require('../../scripts/template-1x');
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
	const { ensureRuntime, paths } = require('./runtime');
	const { startN8n } = require('./instance');
	return { line: resolved, label: `n8n 2.40.7 (Node ${process.versions.node})`, ensure: ensureRuntime, verdaccioBin: paths.verdaccioBin, start: startN8n };
}

module.exports = { LINES, DEFAULT_LINE, resolveLine, lineRuntime };
