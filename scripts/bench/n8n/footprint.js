// @ts-check
'use strict';
/**
 * Section 4, footprint: what installing the pack costs an n8n.
 * - Installed size: the pack is packed (npm pack of the existing dist/, no rebuild), published with its
 *   runtime dependencies to a loopback registry, and installed by n8n itself (Settings → Community nodes,
 *   n8n's own npm install). Measured: everything under <user folder>/.n8n/nodes/node_modules, apparent
 *   bytes (file sizes) and on disk (allocated blocks), per package.
 * - Start time: spawn → /healthz/readiness of the same n8n, median of `boots` restarts, with the pack
 *   installed (and nothing else) vs. a user folder without it; the two alternate so a busy machine
 *   weighs on both alike. The first boot of each folder (database migrations, the install) is not counted.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startN8n } = require('../../../tools/n8n/instance');
const { startRegistry } = require('../../../tools/n8n/registry');
const { ensureRuntime } = require('../../../tools/n8n/runtime');
const { median, load } = require('./util');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Apparent and on-disk bytes of a tree (symlinks not followed), optionally without its node_modules.
 * @param {string} dir
 * @param {{ skipNodeModules?: boolean }} [o]
 */
function treeSize(dir, o = {}) {
	let apparent = 0;
	let disk = 0;
	let files = 0;
	const walk = (/** @type {string} */ d, /** @type {boolean} */ top) => {
		for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
			if (top && o.skipNodeModules && entry.name === 'node_modules') continue;
			const p = path.join(d, entry.name);
			const st = fs.lstatSync(p);
			disk += st.blocks * 512;
			if (entry.isDirectory()) walk(p, false);
			else {
				apparent += st.size;
				files += 1;
			}
		}
	};
	if (fs.existsSync(dir)) walk(dir, true);
	return { apparent, disk, files };
}

/**
 * Size of each installed package on its own (without the packages nested in its node_modules, which are
 * listed separately), scoped packages as @scope/name.
 * @param {string} nodeModules
 * @param {Record<string, { version: string, apparent: number, disk: number, files: number }>} [out]
 */
function packageSizes(nodeModules, out = {}) {
	if (!fs.existsSync(nodeModules)) return out;
	for (const name of fs.readdirSync(nodeModules)) {
		if (name.startsWith('.')) continue;
		const dirs = name.startsWith('@') ? fs.readdirSync(path.join(nodeModules, name)).map((n) => `${name}/${n}`) : [name];
		for (const pkg of dirs) {
			const dir = path.join(nodeModules, pkg);
			let version = '?';
			try {
				version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
			} catch {}
			const key = out[pkg] ? `${pkg}@${version}` : pkg;
			out[key] = { version, ...treeSize(dir, { skipNodeModules: true }) };
			packageSizes(path.join(dir, 'node_modules'), out);
		}
	}
	return out;
}

/**
 * @param {{ boots: number, log: (l: string) => void, cleanups?: Set<() => Promise<unknown>> }} o
 */
async function runFootprint(o) {
	await ensureRuntime({ log: () => {} });
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: build the pack first (npm run build); the bench does not rebuild it');
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-checkout-bench-footprint-'));
	/** @type {Array<() => Promise<unknown>>} */
	const stops = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
		stops.length = 0;
	};
	o.cleanups?.add(stopAll);
	try {
		const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }))[0];
		const tarball = path.join(work, packed.filename);
		const registry = await startRegistry({ dir: path.join(work, 'registry') });
		stops.push(() => registry.stop());
		await registry.publishTarball(tarball);
		for (const [dependency, version] of Object.entries(pkg.dependencies ?? {})) {
			const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, `${dependency}@${version}`], { cwd: work, encoding: 'utf8' });
			await registry.publishTarball(path.join(work, JSON.parse(out)[0].filename));
		}

		o.log('footprint: n8n installs the pack (its own install path) …');
		const withFolder = path.join(work, 'with');
		const withoutFolder = path.join(work, 'without');
		let withN8n = await startN8n({ userFolder: withFolder, registryUrl: registry.url });
		stops.push(() => withN8n.stop());
		const installStarted = Date.now();
		await withN8n.api.installCommunityPackage(pkg.name, pkg.version);
		const installMs = Date.now() - installStarted;
		const nodeModules = path.join(withFolder, '.n8n', 'nodes', 'node_modules');
		const packages = packageSizes(nodeModules);
		const total = treeSize(nodeModules);
		await withN8n.stop();

		let withoutN8n = await startN8n({ userFolder: withoutFolder, registryUrl: registry.url });
		stops.push(() => withoutN8n.stop());
		await withoutN8n.stop();

		/** @type {number[]} */
		const withMs = [];
		/** @type {number[]} */
		const withoutMs = [];
		const loadBefore = load();
		for (let i = 0; i < o.boots; i++) {
			withN8n = await withN8n.restart();
			withMs.push(withN8n.bootMs);
			await withN8n.stop();
			withoutN8n = await withoutN8n.restart();
			withoutMs.push(withoutN8n.bootMs);
			await withoutN8n.stop();
			o.log(`  boot ${i + 1}/${o.boots}: with the pack ${withMs[i]} ms, without ${withoutMs[i]} ms`);
		}
		return {
			tarball: { file: packed.filename, bytes: fs.statSync(tarball).size, unpackedBytes: packed.unpackedSize, files: packed.entryCount },
			installed: { where: '<N8N_USER_FOLDER>/.n8n/nodes/node_modules (installed by n8n)', total, packages, installMs },
			startup: {
				boots: o.boots,
				withPackMs: withMs,
				withoutPackMs: withoutMs,
				withPackMedianMs: median(withMs),
				withoutPackMedianMs: median(withoutMs),
				deltaMedianMs: withMs.length && withoutMs.length ? /** @type {number} */ (median(withMs)) - /** @type {number} */ (median(withoutMs)) : null,
				measure: 'spawn → /healthz/readiness 200, the same user folder restarted; first boot (migrations, install) not counted',
				load: { before: loadBefore, after: load() },
			},
		};
	} finally {
		o.cleanups?.delete(stopAll);
		await stopAll();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

module.exports = { runFootprint };
