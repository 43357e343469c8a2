// @ts-check
'use strict';
/**
 * Regenerates the .d.ts files next to the simulators from their JSDoc, so TypeScript tests can
 * `import { startStripeSim } from '../sandbox/stripe-sim'` with types. Run after changing a simulator:
 *
 *   node test/sandbox/gen-types.js
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const here = __dirname;
const root = path.resolve(here, '..', '..');
const sources = ['http-util.js', 'graph-sim.js', 'stripe-sim.js', 'stripe-sim-aftersale.js', 'meta-webhooks.js', 'read-chat-order.js', 'llm-sim.js'];
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-dts-'));
try {
	execFileSync(
		process.execPath,
		[
			require.resolve('typescript/bin/tsc', { paths: [root] }),
			'--allowJs', '--checkJs', '--declaration', '--emitDeclarationOnly', '--strict', '--skipLibCheck',
			'--target', 'es2022', '--module', 'commonjs', '--moduleResolution', 'node', '--types', 'node',
			'--rootDir', here, '--outDir', out,
			...sources.map((s) => path.join(here, s)),
		],
		{ cwd: root, stdio: 'inherit' },
	);
	for (const s of sources) {
		const name = s.replace(/\.js$/, '.d.ts');
		const text = fs.readFileSync(path.join(out, name), 'utf8');
		const header =
			`// Generated from ${s}'s JSDoc by test/sandbox/gen-types.js — edit the JSDoc, not this file.\n` +
			(/\bany\b/.test(text) ? '/* eslint-disable @typescript-eslint/no-explicit-any */\n' : '');
		fs.writeFileSync(path.join(here, name), header + text);
		console.log(`wrote test/sandbox/${name}`);
	}
} finally {
	fs.rmSync(out, { recursive: true, force: true });
}
