/** A folder of the test's own under the OS temp dir, made before and removed after each test (or the whole file). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function useTempDir(prefix: string, scope: 'each' | 'all' = 'each'): { path: () => string } {
	let dir = '';
	const [before, after] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
	before(() => {
		dir = mkdtempSync(join(tmpdir(), prefix));
	});
	after(() => rmSync(dir, { recursive: true, force: true }));
	return { path: () => dir };
}
