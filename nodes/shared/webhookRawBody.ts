/**
 * The exact bytes of a webhook request, which every signature here is computed over.
 *
 * n8n reads a webhook's body before the node runs, and what it reads depends on the node's typeVersion
 * (n8n 2.x webhook-helpers `parseRequestBody`): for version 1 it reads every body (multipart ones excepted); from
 * version 2 on only JSON, text, form-urlencoded and XML bodies. A signature does not depend on the content type a
 * sender declares, so from version 2 on the node reads any body n8n left unread itself, with n8n's own reader
 * (`req.readRawBody`: the same Content-Encoding handling and N8N_PAYLOAD_SIZE_MAX limit). multipart/form-data is
 * the exception: n8n hands it to its form parser, which consumes it; such a request has no raw body, as in
 * version 1. Version 1 reads nothing itself, so its answers stay exactly as they were.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

/** What n8n 2.x's request object carries besides Express's. */
interface N8nWebhookRequest {
	rawBody?: unknown;
	contentType?: string;
	readRawBody?: () => Promise<void>;
}

export type RawBodyReading =
	| { ok: true; rawBody: Buffer | undefined }
	| { ok: false; status: 400 | 413; error: string };

/** The request's raw body; from version 2 on read here when n8n did not. Never throws. */
export async function webhookRawBody(this: IWebhookFunctions): Promise<RawBodyReading> {
	const req = this.getRequestObject() as unknown as N8nWebhookRequest;
	if (
		Buffer.isBuffer(req.rawBody) ||
		this.getNode().typeVersion < 2 ||
		req.contentType === 'multipart/form-data' ||
		typeof req.readRawBody !== 'function'
	) {
		return { ok: true, rawBody: Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined };
	}
	try {
		await req.readRawBody();
	} catch (error) {
		// raw-body's errors carry an HTTP status (413 over the limit, 400 for a size mismatch or an aborted upload);
		// a broken gzip/deflate stream is a zlib error without one: the sender's fault too.
		const status = (error as { status?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
		return status === 413
			? { ok: false, status: 413, error: 'request body larger than this n8n accepts (N8N_PAYLOAD_SIZE_MAX)' }
			: { ok: false, status: 400, error: 'request body could not be read (broken Content-Encoding or an interrupted upload)' };
	}
	return { ok: true, rawBody: Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined };
}
