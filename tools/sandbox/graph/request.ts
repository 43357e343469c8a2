/** Reading a Graph request: its record, its body as Graph parses it, its access token; and whom a send is to. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { plainHeaders, readBody } from '../http';
import type { GraphState } from './state';
import type { GraphJson, RequestRecord } from './types';

/** A request as the sim has read it. */
export interface GraphRequest {
	record: RequestRecord;
	/** e.g. `v26.0` (null for an unversioned call). */
	version: string | null;
	/** The path after the version, decoded. */
	segments: string[];
	body: GraphJson | null;
	token: string;
	tokenOk: boolean;
}

/** Parses a Graph request body: JSON, or form-encoded with JSON-encoded values; null when it is neither. */
export function parseGraphBody(raw: string, contentType: string): GraphJson | null {
	if (!raw.trim()) return {};
	if (/json/i.test(contentType) || /^\s*[{[]/.test(raw)) {
		try {
			const parsed: unknown = JSON.parse(raw);
			return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as GraphJson) : null;
		} catch {
			return null;
		}
	}
	const out: GraphJson = {};
	for (const [k, v] of new URLSearchParams(raw)) {
		if (/^\s*[{[]/.test(v)) {
			try {
				out[k] = JSON.parse(v);
				continue;
			} catch {
				/* keep as string */
			}
		}
		out[k] = v;
	}
	return out;
}

/** A send is to `userId` when `to` is equal, or (WhatsApp) equal once reduced to digits ('+49 151…' = '49151…'). */
export function sameUser(send: { channel: string | null; to: string | null }, userId: string): boolean {
	const id = String(userId);
	if (send.to === id) return true;
	if (send.channel !== 'whatsapp' || send.to === null) return false;
	const digits = id.replace(/[^\d]/g, '');
	return digits.length > 0 && send.to.replace(/[^\d]/g, '') === digits;
}

/** The access token of a call: `Authorization: Bearer|OAuth …`, else `access_token` in the query or body ('' if none). */
function accessTokenOf(headers: Record<string, string>, query: Record<string, string>, body: GraphJson | null): string {
	const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec((headers.authorization ?? '').trim());
	if (m) return m[1].trim();
	return query.access_token ?? (body && typeof body.access_token === 'string' ? body.access_token : '');
}

/** Reads the whole request and records it in `state.requests` (its status once answered). */
export async function readGraphRequest(state: GraphState, req: IncomingMessage, res: ServerResponse): Promise<GraphRequest> {
	const rawBody = await readBody(req);
	const u = new URL(req.url ?? '/', 'http://127.0.0.1');
	const headers = plainHeaders(req.headers);
	const query = Object.fromEntries(u.searchParams);
	const method = (req.method ?? 'GET').toUpperCase();
	const body = method === 'POST' ? parseGraphBody(rawBody, headers['content-type'] ?? '') : {};
	const record: RequestRecord = { at: new Date().toISOString(), method, path: u.pathname, query, headers, rawBody, body, status: 0 };
	state.requests.push(record);
	res.on('finish', () => {
		record.status = res.statusCode;
	});
	const segments = u.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
	const version = segments.length && /^v\d+(\.\d+)?$/.test(segments[0]) ? (segments.shift() as string) : null;
	const token = accessTokenOf(headers, query, body);
	return { record, version, segments, body, token, tokenOk: Boolean(token) && state.tokens.has(token) };
}
