import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * A deliberately tiny Redis client (RESP2 over node:net / node:tls): just enough for short commands such as
 * `SET key 1 NX PX ttl`, so the pack needs no Redis library. Commands on one connection are pipelined (Redis
 * answers in order); a cluster's MOVED/ASK redirections are followed. Every call is bounded by a timeout, after
 * which the connection is dropped (a late reply could otherwise be taken for the next command's).
 */
export type RespReply = string | number | null | RespError | RespReply[];

/** An error reply from Redis (`-ERR …`, `-MOVED …`, `-NOAUTH …`): a value, not a failure of the connection. */
export class RespError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RespError';
	}
}

export interface RespEndpoint {
	host: string;
	port: number;
}

export interface RespConnectionOptions extends RespEndpoint {
	tls?: false | { servername?: string; rejectUnauthorized: boolean };
	username?: string;
	password?: string;
	/** SELECT this database after connecting (not in a cluster). */
	db?: number;
	timeoutMs: number;
}

export function encodeCommand(args: Array<string | number>): Buffer {
	const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
	for (const arg of args) {
		const value = Buffer.from(String(arg), 'utf8');
		parts.push(Buffer.from(`$${value.length}\r\n`), value, Buffer.from('\r\n'));
	}
	return Buffer.concat(parts);
}

/** Parses one reply from `buffer` at `offset`; undefined when the buffer does not hold all of it yet. */
export function parseReply(buffer: Buffer, offset = 0): { reply: RespReply; next: number } | undefined {
	if (offset >= buffer.length) return undefined;
	const lineEnd = buffer.indexOf('\r\n', offset);
	if (lineEnd < 0) return undefined;
	const type = String.fromCharCode(buffer[offset]);
	const line = buffer.toString('utf8', offset + 1, lineEnd);
	const afterLine = lineEnd + 2;
	switch (type) {
		case '+':
			return { reply: line, next: afterLine };
		case '-':
			return { reply: new RespError(line), next: afterLine };
		case ':':
			return { reply: Number(line), next: afterLine };
		case '$': {
			const length = Number(line);
			if (length < 0) return { reply: null, next: afterLine };
			if (buffer.length < afterLine + length + 2) return undefined;
			return { reply: buffer.toString('utf8', afterLine, afterLine + length), next: afterLine + length + 2 };
		}
		case '*': {
			const count = Number(line);
			if (count < 0) return { reply: null, next: afterLine };
			const items: RespReply[] = [];
			let next = afterLine;
			for (let i = 0; i < count; i++) {
				const item = parseReply(buffer, next);
				if (!item) return undefined;
				items.push(item.reply);
				next = item.next;
			}
			return { reply: items, next };
		}
		default:
			throw new Error(`unexpected reply from Redis (type byte ${JSON.stringify(type)})`);
	}
}

interface Pending {
	resolve: (reply: RespReply) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
}

/** One connection to one Redis server. */
export class RespConnection {
	private buffer = Buffer.alloc(0);
	private readonly pending: Pending[] = [];
	private closedWith: Error | undefined;

	private constructor(
		private readonly socket: Socket,
		private readonly timeoutMs: number,
	) {
		socket.on('data', (chunk: Buffer) => this.onData(chunk));
		socket.on('error', (error) => this.fail(error));
		socket.on('close', () => this.fail(new Error('connection to Redis closed')));
		socket.unref(); // never keeps n8n (or a test) alive by itself
	}

	/** Connects, authenticates and selects the database; rejects with what went wrong. */
	static async open(options: RespConnectionOptions): Promise<RespConnection> {
		const socket = await new Promise<Socket>((resolve, reject) => {
			const timer = setTimeout(() => {
				sock.destroy();
				reject(new Error(`no connection to Redis at ${options.host}:${options.port} within ${options.timeoutMs} ms`));
			}, options.timeoutMs);
			const onReady = () => {
				clearTimeout(timer);
				sock.off('error', onError);
				resolve(sock);
			};
			const onError = (error: Error) => {
				clearTimeout(timer);
				reject(error);
			};
			const sock: Socket = options.tls
				? tlsConnect({
						host: options.host,
						port: options.port,
						servername: options.tls.servername,
						rejectUnauthorized: options.tls.rejectUnauthorized,
					}, onReady)
				: netConnect({ host: options.host, port: options.port }, onReady);
			sock.setNoDelay(true);
			sock.once('error', onError);
		});
		const connection = new RespConnection(socket, options.timeoutMs);
		const problem = await connection.prepare(options).then(
			() => undefined,
			(error: Error) => error,
		);
		if (problem) {
			connection.close();
			throw problem;
		}
		return connection;
	}

	/** AUTH and SELECT, as n8n's client does when a password / database is set. */
	private async prepare(options: RespConnectionOptions): Promise<void> {
		if (options.password) {
			const auth = await this.command(options.username ? ['AUTH', options.username, options.password] : ['AUTH', options.password]);
			if (auth instanceof RespError) throw new Error(`Redis refused the credentials (${auth.message})`);
		}
		if (options.db) {
			const select = await this.command(['SELECT', options.db]);
			if (select instanceof RespError) throw new Error(`Redis refused database ${options.db} (${select.message})`);
		}
	}

	get usable(): boolean {
		return this.closedWith === undefined;
	}

	/** Sends one command; resolves with the reply (an error reply is a RespError value), rejects on I/O trouble. */
	command(args: Array<string | number>): Promise<RespReply> {
		if (this.closedWith) return Promise.reject(this.closedWith);
		return new Promise<RespReply>((resolve, reject) => {
			const timer = setTimeout(() => this.fail(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
			this.pending.push({ resolve, reject, timer });
			this.socket.write(encodeCommand(args));
		});
	}

	close(): void {
		this.fail(new Error('connection to Redis closed by the client'));
	}

	private onData(chunk: Buffer): void {
		this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
		let offset = 0;
		for (;;) {
			let parsed: ReturnType<typeof parseReply>;
			try {
				parsed = parseReply(this.buffer, offset);
			} catch (error) {
				this.fail(error as Error);
				return;
			}
			if (!parsed) break;
			offset = parsed.next;
			const waiter = this.pending.shift();
			if (!waiter) continue; // a reply nobody waits for (cannot happen with this client): drop it
			clearTimeout(waiter.timer);
			waiter.resolve(parsed.reply);
		}
		this.buffer = offset === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset);
	}

	private fail(error: Error): void {
		if (!this.closedWith) {
			this.closedWith = error;
			this.socket.destroy();
		}
		for (const waiter of this.pending.splice(0)) {
			clearTimeout(waiter.timer);
			waiter.reject(error);
		}
	}
}

/**
 * Connections to a server or a cluster, opened lazily and reopened after an error. In a cluster, a command
 * goes first to the node that last answered for it (or the first reachable seed) and follows MOVED/ASK.
 */
export class RespClient {
	private readonly connections = new Map<string, Promise<RespConnection>>();

	constructor(
		private readonly options: Omit<RespConnectionOptions, 'host' | 'port'> & { endpoints: RespEndpoint[]; cluster: boolean },
	) {}

	async command(args: Array<string | number>): Promise<RespReply> {
		let target: RespEndpoint | undefined;
		let asking = false;
		for (let redirects = 0; redirects <= 5; redirects++) {
			const connection = await this.connection(target);
			if (asking) await connection.command(['ASKING']);
			const reply = await connection.command(args);
			if (!(reply instanceof RespError) || !this.options.cluster) return reply;
			const redirect = /^(MOVED|ASK) \d+ (.+):(\d+)$/.exec(reply.message);
			if (!redirect) return reply;
			target = { host: redirect[2] || this.options.endpoints[0].host, port: Number(redirect[3]) };
			asking = redirect[1] === 'ASK';
		}
		throw new Error('Redis cluster kept redirecting the command');
	}

	/** One command on one given server (e.g. each node of a cluster), redirections not followed. */
	async commandOn(endpoint: RespEndpoint, args: Array<string | number>): Promise<RespReply> {
		return await (await this.connection(endpoint)).command(args);
	}

	close(): void {
		for (const pending of this.connections.values()) pending.then((c) => c.close(), () => undefined);
		this.connections.clear();
	}

	private async connection(target?: RespEndpoint): Promise<RespConnection> {
		const candidates = target ? [target] : this.options.endpoints;
		let lastError: Error | undefined;
		for (const endpoint of candidates) {
			const key = `${endpoint.host}:${endpoint.port}`;
			let pending = this.connections.get(key);
			if (pending) {
				const existing = await pending.catch(() => undefined);
				if (existing?.usable) return existing;
				this.connections.delete(key);
			}
			pending = RespConnection.open({
				...this.options,
				host: endpoint.host,
				port: endpoint.port,
				db: this.options.cluster ? 0 : this.options.db,
			});
			this.connections.set(key, pending);
			try {
				return await pending;
			} catch (error) {
				this.connections.delete(key);
				lastError = error as Error;
			}
		}
		throw lastError ?? new Error('no Redis endpoint configured');
	}
}
