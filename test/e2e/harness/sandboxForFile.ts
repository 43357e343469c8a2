/**
 * What the e2e files set up the same way: one sandbox (a real n8n with the packed pack and the template, the
 * simulators on loopback) for the whole file, and made-up customer ids of Meta's shape.
 */
import { type Sandbox, type SandboxOptions, startSandbox } from '../../../tools/n8n/sandbox';

export type { Sandbox };
export type Channel = 'whatsapp' | 'instagram';

/**
 * Starts one sandbox before the file's tests (with `options`, its log lines tagged `[label]`) and stops it after
 * them. `use` gets it first: the file keeps it in its own variable and can set it up further.
 */
export function sandboxForFile(
	use: (sandbox: Sandbox) => void,
	options: Omit<SandboxOptions, 'log'> = {},
	label = 'sandbox',
): void {
	let started: Sandbox | undefined;
	beforeAll(async () => {
		started = await startSandbox({ ...options, log: (line: string) => process.stdout.write(`[${label}] ${line}\n`) });
		use(started);
	}, 1_500_000); // a first run installs n8n (3–6 min here; longer on a slow network)
	afterAll(async () => {
		await started?.stop();
	});
}

/** Customer ids unique in this file (its own sandbox): `<prefix><counter, 5 digits>`. */
export function customerIds(prefixes: Record<Channel, string>): (channel: Channel) => string {
	let next = 0;
	return (channel) => {
		next += 1;
		return `${prefixes[channel]}${String(next).padStart(5, '0')}`;
	};
}
