/**
 * What `npm start` keeps between starts (startSandbox({ keepState: true })): n8n's user folder as it is
 * (database with credentials, data tables, workflows and executions; the installed pack) and, beside it,
 * a small state file naming what the sandbox made there — its secrets, credential, table and workflow ids,
 * and the checksum of the pack it installed. The end-to-end tests never keep state: each run gets a fresh
 * temporary folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { N8nApi, N8nJson } from './api';

export const STATE_FILE = 'chat-checkout-sandbox.json';
const STATE_VERSION = 2; // 2: the template is two workflows

/** Made up, test mode, loopback only. */
export interface SandboxSecrets {
	whatsappToken: string;
	instagramToken: string;
	appSecret: string;
	verifyToken: string;
	stripeKey: string;
	stripeWebhookSecret: string;
	llmKey: string;
}

export interface SandboxState {
	version: number;
	secrets: SandboxSecrets;
	/** by credential type */
	credentialIds: Record<string, { id: string; name: string }>;
	/** by table name */
	tableIds: Record<string, string>;
	workflowIds?: { conversation?: string; payments?: string };
	/** of the tarball last installed */
	packageSha256?: string;
}

/** The REST calls the kept state needs (N8nApi, or a queue topology's main). */
type StateApi = Pick<N8nApi, 'request' | 'listDataTables' | 'getWorkflow'>;

/** Fresh sandbox secrets: the fixed made-up tokens, a random app secret and Stripe endpoint secret. */
export function freshSecrets(): SandboxSecrets {
	return {
		whatsappToken: 'EAASANDBOX-whatsapp-token',
		instagramToken: 'IGSANDBOX-instagram-token',
		appSecret: crypto.randomBytes(16).toString('hex'),
		verifyToken: 'sandbox-verify-token',
		stripeKey: 'sk_test_sandbox_0000000000000000',
		stripeWebhookSecret: `whsec_${crypto.randomBytes(18).toString('hex')}`,
		llmKey: 'sk-sandbox-llm',
	};
}

const stateFile = (userFolder: string) => path.join(userFolder, STATE_FILE);

/** The state an earlier start left in `userFolder`, or null (none, unreadable, or from another layout). */
export function loadState(userFolder: string): SandboxState | null {
	try {
		const state = JSON.parse(fs.readFileSync(stateFile(userFolder), 'utf8'));
		return state && state.version === STATE_VERSION && state.secrets && state.secrets.appSecret ? state : null;
	} catch {
		return null;
	}
}

/** Written owner-only: it holds the sandbox's (made-up) secrets. */
export function saveState(userFolder: string, state: SandboxState): void {
	fs.mkdirSync(userFolder, { recursive: true });
	const file = stateFile(userFolder);
	fs.writeFileSync(`${file}.tmp`, `${JSON.stringify({ ...state, version: STATE_VERSION }, null, 2)}\n`, { mode: 0o600 });
	fs.renameSync(`${file}.tmp`, file);
}

export function sha256File(file: string): string {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Points an existing credential at this start's data (the simulators' ports, or a real service from the
 * environment). False when the credential is gone (deleted in the editor): the caller makes a new one.
 */
export async function updateCredential(api: StateApi, id: string, name: string, type: string, data: Record<string, unknown>): Promise<boolean> {
	try {
		await api.request('PATCH', `/credentials/${id}`, { body: { name, type, data } });
		return true;
	} catch (error) {
		if (error && (error.status === 404 || error.status === 403)) return false;
		throw error;
	}
}

/** Ids of the data tables that still exist in the owner's project. */
export async function existingTableIds(api: StateApi): Promise<Set<string>> {
	const list = await api.listDataTables();
	const rows = Array.isArray(list) ? list : (list?.data ?? []);
	return new Set(rows.map((t: { id: unknown }) => String(t.id)));
}

/** The stored workflow, or null when it was deleted. */
export async function existingWorkflow(api: StateApi, id: string | undefined): Promise<N8nJson> {
	if (!id) return null;
	try {
		const workflow = await api.getWorkflow(id);
		return workflow && !workflow.isArchived ? workflow : null;
	} catch (error) {
		if (error && [400, 403, 404].includes(error.status)) return null;
		throw error;
	}
}
