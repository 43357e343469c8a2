/**
 * A throwaway npm registry (verdaccio 6.8.0 from `.n8n-runtime`) on 127.0.0.1:<free port>.
 *
 * - Own temp folder for config, storage and htpasswd; removed on stop() unless `keep: true`.
 * - No uplinks: nothing is proxied to any outside registry; a package that was not published here
 *   is simply a 404.
 * - Anyone may read and publish (`$all`). npm's client still wants a token before `npm publish`,
 *   so start() registers one user over verdaccio's adduser route and keeps its token for
 *   publishTarball().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFile } from 'node:child_process';
import { paths } from './runtime';
import type { N8nJson } from './api';
import { freePort, stopChild, waitForHttp } from './processes';
import { sleep } from '../wait';

export { freePort, stopChild, waitForHttp, sleep };

type LogFn = (line: string) => void;

export interface Registry {
	/** e.g. http://127.0.0.1:4873/ (trailing slash) */
	url: string;
	port: number;
	/** temp folder holding config.yaml, storage/, verdaccio.log */
	dir: string;
	logFile: string;
	/** token of the registered publisher user */
	token: string;
	/** a userconfig file pointing npm at this registry with that token */
	npmrc: string;
	publishTarball: (tgzPath: string) => Promise<{ name: string; version: string }>;
	/** GET /<name> (404 → null) */
	packument: (name: string) => Promise<N8nJson>;
	stop: () => Promise<void>;
}

export interface StartRegistryOptions {
	port?: number;
	dir?: string;
	keep?: boolean;
	log?: LogFn;
	timeoutMs?: number;
	/** verdaccio of another runtime folder (default: the 2.40 runtime's) */
	verdaccioBin?: string;
}

/** Starts verdaccio on loopback. */
export async function startRegistry(opts: StartRegistryOptions = {}): Promise<Registry> {
	const log = opts.log ?? (() => {});
	const verdaccioBin = opts.verdaccioBin ?? paths.verdaccioBin;
	if (!fs.existsSync(verdaccioBin)) {
		throw new Error(`verdaccio is not installed at ${verdaccioBin}: call ensureRuntime() first`);
	}
	const port = opts.port ?? (await freePort());
	const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-verdaccio-'));
	fs.mkdirSync(path.join(dir, 'storage'), { recursive: true });
	const configPath = path.join(dir, 'config.yaml');
	fs.writeFileSync(
		configPath,
		[
			'# Written by tools/n8n/registry.ts: loopback only, no uplinks.',
			`storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
			'auth:',
			'  htpasswd:',
			`    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
			'    max_users: 1000',
			'uplinks: {}',
			'packages:',
			"  '@*/*':",
			'    access: $all',
			'    publish: $all',
			'    unpublish: $all',
			"  '**':",
			'    access: $all',
			'    publish: $all',
			'    unpublish: $all',
			'publish:',
			'  allow_offline: true',
			'web:',
			'  enable: false',
			'server:',
			'  keepAliveTimeout: 60',
			'max_body_size: 100mb',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const logFile = path.join(dir, 'verdaccio.log');
	const out = fs.openSync(logFile, 'a');
	const child = spawn(
		process.execPath,
		[verdaccioBin, '--config', configPath, '--listen', `127.0.0.1:${port}`],
		{ cwd: dir, stdio: ['ignore', out, out], env: { ...process.env, VERDACCIO_APPDIR: dir } },
	);
	fs.closeSync(out);
	const url = `http://127.0.0.1:${port}/`;
	const t0 = Date.now();
	try {
		await waitForHttp(`${url}-/ping`, { timeoutMs: opts.timeoutMs ?? 60_000, child, what: 'verdaccio', logFile });
	} catch (e) {
		await stopChild(child, 2000);
		throw e;
	}
	log(`verdaccio up on ${url} in ${Date.now() - t0} ms (storage ${dir})`);

	// Register a publisher so npm's client has a token (reads and publishes are open to all anyway).
	const user = 'e2e';
	const res = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: user, password: 'e2e-password', email: 'e2e@example.invalid', type: 'user' }),
	});
	const body = (await res.json().catch(() => ({}))) as { token?: string };
	if (!res.ok || !body.token) {
		await stopChild(child, 2000);
		throw new Error(`verdaccio adduser failed: ${res.status} ${JSON.stringify(body)}`);
	}
	const token = String(body.token);
	const npmrc = path.join(dir, 'npmrc');
	fs.writeFileSync(
		npmrc,
		[`registry=${url}`, `//127.0.0.1:${port}/:_authToken=${token}`, 'audit=false', 'fund=false', 'update-notifier=false', ''].join('\n'),
	);

	const reg: Registry = {
		url,
		port,
		dir,
		logFile,
		token,
		npmrc,
		async publishTarball(tgzPath) {
			const abs = path.resolve(tgzPath);
			const manifest = await readTarballManifest(abs);
			await new Promise((resolve, reject) => {
				execFile(
					'npm',
					['publish', abs, '--registry', url, '--userconfig', npmrc, '--tag', 'latest', '--access', 'public', '--ignore-scripts'],
					{ cwd: dir, env: { ...process.env, npm_config_userconfig: npmrc }, timeout: 120_000 },
					(err, stdout, stderr) =>
						err ? reject(new Error(`npm publish ${abs} failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
				);
			});
			log(`published ${manifest.name}@${manifest.version} to ${url}`);
			return { name: manifest.name, version: manifest.version };
		},
		async packument(name) {
			const r = await fetch(`${url}${name.replace('/', '%2f')}`);
			if (r.status === 404) return null;
			if (!r.ok) throw new Error(`GET ${name} from verdaccio: ${r.status}`);
			return r.json();
		},
		async stop() {
			await stopChild(child, 5000);
			if (!opts.keep && !opts.dir) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	return reg;
}

/** package.json inside a packed tarball (package/package.json), read with the system tar. */
export function readTarballManifest(tgz: string): Promise<{ name: string; version: string; [k: string]: unknown }> {
	return new Promise((resolve, reject) => {
		execFile('tar', ['-xOzf', tgz, 'package/package.json'], { maxBuffer: 10 * 1024 * 1024 }, (err, stdout) => {
			if (err) return reject(new Error(`cannot read package/package.json from ${tgz}: ${err.message}`));
			try {
				resolve(JSON.parse(stdout));
			} catch (e) {
				reject(e);
			}
		});
	});
}
