// @ts-check
'use strict';
/**
 * A throwaway PostgreSQL cluster (Debian's postgresql package) for n8n's queue mode, on 127.0.0.1:<free port>.
 *
 * PostgreSQL refuses to run as root, so when this runs as root the cluster lives in a fresh folder under the
 * temp dir owned by the `postgres` OS user and every server command runs as that user (runuser); as any
 * other user it runs as that user. The folder (data, socket, log) is removed on stop().
 * n8n connects over TCP with a password (scram-sha-256), as it would to a real server.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { freePort } = require('../registry');

/** The newest PostgreSQL server binaries Debian installed (`/usr/lib/postgresql/<major>/bin`). */
function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((d) => fs.existsSync(path.join(base, d, 'bin', 'pg_ctl'))) : [];
	if (majors.length === 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: run bash scripts/queue/ensure-services.sh (apt-get install postgresql)');
	majors.sort((a, b) => Number(b) - Number(a));
	return path.join(base, majors[0], 'bin');
}

/**
 * @typedef {object} Postgres
 * @property {string} host
 * @property {number} port
 * @property {string} user
 * @property {string} password
 * @property {string} database
 * @property {string} dir                 cluster folder (data/, socket, postgres.log)
 * @property {string} logFile
 * @property {Record<string, string>} n8nEnv   DB_* variables that point n8n at this database
 * @property {(sql: string) => string} psql    runs one statement over the local socket, returns unaligned rows
 * @property {(o?: { kill?: boolean }) => Promise<number>} restart  fast shutdown (or SIGKILL of the postmaster) and start; ms it was away
 * @property {() => Promise<void>} stop
 */

/**
 * @param {{ log?: (line: string) => void, database?: string }} [opts]
 * @returns {Promise<Postgres>}
 */
async function startPostgres(opts = {}) {
	const log = opts.log ?? (() => {});
	const bin = postgresBinDir();
	const asRoot = process.getuid?.() === 0;
	// The postgres user must be able to reach the folder: as root use /tmp itself (TMPDIR may sit under /root).
	const dir = fs.mkdtempSync(path.join(asRoot ? '/tmp' : os.tmpdir(), 'chat-checkout-pg-'));
	const data = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	const user = 'n8n';
	const password = `pg-${Math.random().toString(36).slice(2)}`;
	const database = opts.database ?? 'n8n';
	const port = await freePort();
	fs.writeFileSync(path.join(dir, 'pwfile'), `${password}\n`);
	if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	/** Runs a server binary as the cluster's owner. @param {string} tool @param {string[]} args */
	const run = (tool, args, { check = true } = {}) => {
		const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args;
		const result = spawnSync(asRoot ? 'runuser' : path.join(bin, tool), argv, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
		if (check && result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
		return result;
	};
	const serverOptions = [
		`-p ${port}`,
		`-k ${dir}`,
		"-c listen_addresses='127.0.0.1'",
		'-c max_connections=200',
		// A throwaway cluster: no fsync (a lost machine loses nothing that matters here).
		'-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
	].join(' ');
	const start = () => run('pg_ctl', ['-D', data, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
	const stopServer = (mode = 'fast') => run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], { check: false });
	try {
		run('initdb', ['-D', data, '-U', user, `--pwfile=${path.join(dir, 'pwfile')}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
		start();
	} catch (error) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	}
	/** @param {string} sql */
	const psql = (sql) => run('psql', ['-h', dir, '-p', String(port), '-U', user, '-d', database === 'postgres' ? 'postgres' : database, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', sql]).stdout;
	run('psql', ['-h', dir, '-p', String(port), '-U', user, '-d', 'postgres', '-XAtq', '-c', `CREATE DATABASE ${database}`]);
	log(`PostgreSQL up on 127.0.0.1:${port} (cluster ${dir})`);
	let stopped = false;
	// pg_ctl daemonizes the server: if the harness process ends without stop(), do not leave it behind.
	const onExit = () => {
		if (stopped) return;
		stopServer('immediate');
		fs.rmSync(dir, { recursive: true, force: true });
	};
	process.once('exit', onExit);
	return {
		host: '127.0.0.1',
		port,
		user,
		password,
		database,
		dir,
		logFile,
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
		},
		psql,
		async restart(o = {}) {
			const t0 = Date.now();
			if (o.kill) {
				const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
				try {
					process.kill(pid, 'SIGKILL');
				} catch {}
				// The postmaster's children leave once it is gone (they notice within a moment); start() is
				// retried until the old shared memory and port are free.
				for (let attempt = 0; ; attempt++) {
					await new Promise((r) => setTimeout(r, 300));
					try {
						start();
						break;
					} catch (error) {
						if (attempt >= 30) throw error;
					}
				}
				return Date.now() - t0;
			}
			stopServer();
			start();
			return Date.now() - t0;
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			process.off('exit', onExit);
			stopServer('immediate');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { startPostgres, postgresBinDir };
