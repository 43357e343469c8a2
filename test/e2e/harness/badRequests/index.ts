/**
 * Bad requests for the pack's three webhook endpoints (WhatsApp Trigger, Instagram Trigger, Stripe Webhook
 * Verify), generated from a seed, so that a failing case can be built and sent again:
 *
 *   const cases = badRequests({ endpoint: 'stripe', seed: 20260601, secrets: sandbox.secrets });
 *   const results = await sendAll(sandbox.urls.stripe, cases, { concurrency: 8, timeoutMs: 20_000 });
 *
 * Every case carries the statuses it may get (`expect`) and, for a 200, the body it must get (`answer`).
 * They follow from two layers, in the order a request meets them:
 *
 * 1. n8n 2.40 reads the body before any node runs (webhook-helpers `parseRequestBody`, middlewares/body-parser
 *    `parseBody`): it decodes `Content-Encoding: gzip|deflate`, refuses a body over N8N_PAYLOAD_SIZE_MAX (16 MiB),
 *    parses `application/json` (422 when it is not JSON in the declared charset, or the charset is unknown to
 *    Node), `*\/xml` and `+xml` (422 when not XML), form-urlencoded and text/plain, and hands
 *    `multipart/form-data` to formidable (400 when it is not multipart). Which bodies it reads depends on the
 *    node's typeVersion (`typeVersion` option):
 *    - version 1: every body but `multipart/*` ones (those are not read at all: the node has no raw body);
 *    - version 2: only bodies whose type starts with application/json, text/plain or
 *      application/x-www-form-urlencoded, or ends in /xml or +xml. The node reads any other body itself
 *      (`multipart/*` too, `multipart/form-data` excepted) with n8n's reader, and answers a body it cannot read
 *      413 (over the limit) or 400 (broken Content-Encoding), where n8n itself answers 500.
 *    Other methods than the node's own: 404.
 * 2. The node (README, "WhatsApp Trigger" and "Stripe Webhook Verify"):
 *    Meta: no or wrong `X-Hub-Signature-256` (or no raw body) → 401; well signed but not JSON → 400; well
 *    signed JSON that is not a message payload, or has nothing to emit → 200 `{"received":true,"events":0}`.
 *    Stripe: anything that does not verify or is not a Stripe event → 400; a verified event the workflow does
 *    not select → 200 `{"received":true,"ignored":"<type>"}`.
 *
 * No case may start an execution: a well signed body is always of a shape the node answers without a run
 * (never a complete customer message, never a Stripe event type the node can select). Signatures are
 * computed, never pasted: HMAC-SHA256 of the exact bytes with node:crypto (Meta), the Stripe SDK's
 * `webhooks.generateTestHeaderString` (Stripe).
 *
 * Files: n8nBody.ts (layer 1 and N8N_DEFECTS), meta.ts and stripe.ts (layer 2, per endpoint), cases/ (one file
 * per group of categories), generate.ts (the seeded list), send.ts (sending and judging).
 */
export { badRequests } from './generate';
export { DEFAULT_COUNT } from './context';
export { N8N_DEFECTS, n8nBodyGate, n8nReadsBody } from './n8nBody';
export { SELECTABLE_STRIPE_TYPES } from './stripe';
export { n8nDefectExplains, sendAll, sendRequest, verdict, type Outcome } from './send';
export type { BadRequest, BadRequestOptions, Endpoint, N8nDefect, SignatureState } from './types';
