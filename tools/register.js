/**
 * Lets plain `node` load the TypeScript under tools/ (the simulators and the n8n harness), so `npm start`, the
 * bench and the scripts use the same modules as the tests (which ts-jest compiles). Transpile only, to CommonJS,
 * with TypeScript itself (a dev dependency already): types are checked by `npm run lint`'s `tsc --noEmit`.
 * Usage: `node -r ./tools/register.js script.js`, or `require('../tools/register')` first thing in a script.
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	inlineSourceMap: true,
	inlineSources: true,
};

if (!Module._extensions['.ts'] || !Module._extensions['.ts'].chatCheckout) {
	const load = function (module, filename) {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
		module._compile(outputText, filename);
	};
	load.chatCheckout = true;
	Module._extensions['.ts'] = load;
	// Error stacks point at the .ts lines.
	process.setSourceMapsEnabled(true);
}
