import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { readN8nRedisSettings } from '../../../nodes/shared/redis/n8nRedisSettings';
import { parseReply, RespError, encodeCommand } from '../../../nodes/shared/redis/respClient';
import { useTempDir } from '../../support/tempDir';

describe("n8n's queue-mode Redis settings, read as n8n 2.40 reads them", () => {
	const temp = useTempDir('chat-checkout-settings-', 'all');

	it("has n8n's defaults when nothing is set", () => {
		expect(readN8nRedisSettings({})).toEqual({
			queueMode: false,
			host: 'localhost',
			port: 6379,
			db: 0,
			username: '',
			password: '',
			clusterNodes: [],
			tls: false,
			timeoutThresholdMs: 10_000,
			keyPrefix: 'n8n',
			bullPrefix: 'bull',
			problems: [],
		});
	});

	it('reads every variable, trims and unquotes strings, parses numbers and booleans like @n8n/config', () => {
		const settings = readN8nRedisSettings({
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: ' "redis.internal" ',
			QUEUE_BULL_REDIS_PORT: '6380',
			QUEUE_BULL_REDIS_DB: '3',
			QUEUE_BULL_REDIS_USERNAME: 'n8n',
			QUEUE_BULL_REDIS_PASSWORD: "'s3cret'",
			QUEUE_BULL_REDIS_TLS: 'TRUE',
			QUEUE_BULL_REDIS_TLS_SERVERNAME: 'redis.example',
			QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE: '0',
			QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD: '5000',
			N8N_REDIS_KEY_PREFIX: 'shop',
			QUEUE_BULL_PREFIX: 'jobs',
		});
		expect(settings).toMatchObject({
			queueMode: true,
			host: 'redis.internal',
			port: 6380,
			db: 3,
			username: 'n8n',
			password: 's3cret',
			tls: { servername: 'redis.example', rejectUnauthorized: false },
			timeoutThresholdMs: 5000,
			keyPrefix: 'shop',
			bullPrefix: 'jobs',
			problems: [],
		});
	});

	it('reads X_FILE (a mounted secret, trimmed) when X itself is not set; X wins over X_FILE', () => {
		const file = join(temp.path(), 'password');
		writeFileSync(file, 'from-file\n');
		expect(readN8nRedisSettings({ QUEUE_BULL_REDIS_PASSWORD_FILE: file }).password).toBe('from-file');
		expect(readN8nRedisSettings({ QUEUE_BULL_REDIS_PASSWORD_FILE: file, QUEUE_BULL_REDIS_PASSWORD: 'direct' }).password).toBe('direct');
		writeFileSync(join(temp.path(), 'mode'), 'queue');
		expect(readN8nRedisSettings({ EXECUTIONS_MODE_FILE: join(temp.path(), 'mode') }).queueMode).toBe(true);
	});

	it('falls back to the default for values n8n would reject, and says which', () => {
		const settings = readN8nRedisSettings({ QUEUE_BULL_REDIS_PORT: 'six', QUEUE_BULL_REDIS_TLS: 'yes', QUEUE_BULL_REDIS_DB: ' ' });
		expect(settings.port).toBe(6379);
		expect(settings.tls).toBe(false);
		expect(settings.db).toBe(0);
		expect(settings.problems).toHaveLength(2);
		expect(settings.problems.join(' ')).toContain('QUEUE_BULL_REDIS_PORT="six" is not a number');
		expect(settings.problems.join(' ')).toContain('QUEUE_BULL_REDIS_TLS="yes" is not true/false');
	});

	it('parses cluster nodes as n8n does (host:port, comma-separated, blanks ignored)', () => {
		const settings = readN8nRedisSettings({ QUEUE_BULL_REDIS_CLUSTER_NODES: 'a:7000, b:7001,,c' });
		expect(settings.clusterNodes).toEqual([
			{ host: 'a', port: 7000 },
			{ host: 'b', port: 7001 },
		]);
		expect(settings.problems).toEqual(['QUEUE_BULL_REDIS_CLUSTER_NODES has "c" without a port']);
	});
});

describe('RESP2 encoding and parsing', () => {
	it('encodes a command as an array of bulk strings (byte lengths, not characters)', () => {
		expect(encodeCommand(['SET', 'ü', 1]).toString()).toBe('*3\r\n$3\r\nSET\r\n$2\r\nü\r\n$1\r\n1\r\n');
	});

	it('parses every reply type, and waits for a reply that is not complete yet', () => {
		const wire = Buffer.from('+OK\r\n:42\r\n$-1\r\n$5\r\nhello\r\n*2\r\n$1\r\na\r\n:1\r\n-MOVED 3999 127.0.0.1:7001\r\n');
		const replies: unknown[] = [];
		let offset = 0;
		for (;;) {
			const parsed = parseReply(wire, offset);
			if (!parsed) break;
			replies.push(parsed.reply);
			offset = parsed.next;
		}
		expect(replies.slice(0, 5)).toEqual(['OK', 42, null, 'hello', ['a', 1]]);
		expect(replies[5]).toBeInstanceOf(RespError);
		expect((replies[5] as RespError).message).toBe('MOVED 3999 127.0.0.1:7001');
		expect(parseReply(Buffer.from('$5\r\nhel'))).toBeUndefined();
		expect(parseReply(Buffer.from('*2\r\n:1\r\n'))).toBeUndefined();
	});
});
