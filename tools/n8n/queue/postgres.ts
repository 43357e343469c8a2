/**
 * A throwaway PostgreSQL cluster (Debian's postgresql package) for n8n's queue mode, on 127.0.0.1:<free port>.
 *
 * PostgreSQL refuses to run as root, so when this runs as root the cluster lives in a fresh folder under the
 * temp dir owned by the `postgres` OS user and every server command runs as that user (runuser); as any
 * other user it runs as that user. The folder (data, socket, log) is removed on stop().
 * n8n connects over TCP with a password (scram-sha-256), as it would to a real server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { freePort } from '../processes';
import { eventually, sleep } from '../../wait';

/** The newest PostgreSQL server binaries Debian installed (`/usr/lib/postgresql/<major>/bin`). */
export function postgresBinDir(): string {
	const base = '/usr/lib/postgresql';
	const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((d) => fs.existsSync(path.join(base, d, 'bin', 'pg_ctl'))) : [];
	if (majors.length === 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: run bash scripts/queue/ensure-services.sh (apt-get install postgresql)');
	majors.sort((a, b) => Number(b) - Number(a));
	return path.join(base, majors[0], 'bin');
}

export interface Postgres {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	/** cluster folder (data/, socket, postgres.log) */
	dir: string;
	logFile: string;
	/** DB_* variables that point n8n at this database */
	n8nEnv: Record<string, string>;
	/** runs one statement over the local socket, returns unaligned rows */
	psql: (sql: string) => string;
	/** fast shutdown (or SIGKILL of the postmaster) and start; ms it was away */
	restart: (o?: { kill?: boolean }) => Promise<number>;
	stop: () => Promise<void>;
}

export async function startPostgres(opts: { log?: (line: string) => void; database?: string } = {}): Promise<Postgres> {
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
	/** Runs a server binary as the cluster's owner. */
	const run = (tool: string, args: string[], { check = true } = {}) => {
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
	const psql = (sql: string) => run('psql', ['-h', dir, '-p', String(port), '-U', user, '-d', database === 'postgres' ? 'postgres' : database, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', sql]).stdout;
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
		async restart(o: { kill?: boolean } = {}) {
			const t0 = Date.now();
			if (o.kill) {
				const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// already gone
				}
				// The postmaster's children leave once it is gone (they notice within a moment); start() is
				// retried, 300 ms apart, until the old shared memory and port are free. The bound is time, not tries (it was
				// 31 tries of pg_ctl start, each up to its own -t 60): a minute.
				await sleep(300);
				await eventually('PostgreSQL to start again after SIGKILL of its postmaster', () => Boolean(start()), { timeoutMs: 60_000, intervalMs: 300 });
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
