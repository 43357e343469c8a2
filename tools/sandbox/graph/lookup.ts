/** `GET /:id`: the node look-ups that credential tests make (a phone number, an Instagram account). */
import type { ServerResponse } from 'node:http';

import { answer } from './answer';
import { graphErrors, missingToken, unknownObject } from './errors';
import { findInstagramAccount, findNumber, type GraphState } from './state';
import type { GraphRequest } from './request';

function nodeOf(state: GraphState, id: string): Record<string, unknown> | null {
	const number = findNumber(state, id);
	if (number) {
		return {
			verified_name: number.verified_name ?? 'Sandbox Shop',
			code_verification_status: 'VERIFIED',
			display_phone_number: number.display_phone_number ?? '+1 555-010-0001',
			quality_rating: number.quality_rating ?? 'GREEN',
			platform_type: 'CLOUD_API',
			throughput: { level: 'STANDARD' },
			id: number.id,
		};
	}
	const ig = findInstagramAccount(state, id);
	if (!ig) return null;
	return { id: ig.id, username: ig.username ?? 'sandbox_shop', user_id: ig.user_id ?? ig.id, name: ig.name ?? 'Sandbox Shop' };
}

export async function handleLookup(state: GraphState, request: GraphRequest, id: string, res: ServerResponse): Promise<void> {
	if (!request.tokenOk) return answer(state, res, request.token ? graphErrors.invalidToken() : missingToken());
	const node = nodeOf(state, id);
	if (!node) return answer(state, res, unknownObject(id, 'get'));
	const query = request.record.query;
	const fields = query.fields ? query.fields.split(',').map((f) => f.trim()).filter(Boolean) : null;
	if (!fields) return answer(state, res, { status: 200, body: node });
	const picked: Record<string, unknown> = {};
	for (const f of fields) if (f in node) picked[f] = node[f];
	picked.id = node.id;
	return answer(state, res, { status: 200, body: picked });
}
