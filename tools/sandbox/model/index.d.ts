// Generated from llm-sim.js's JSDoc by test/sandbox/gen-types.js — edit the JSDoc, not this file.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type ChatOrderAnswer = import("./orderReading").ChatOrderAnswer;
export type PromptContext = import("./orderReading").PromptContext;
export type LlmFailSpec = {
    status: number;
    /**
     * Default: an OpenAI error for the status.
     */
    body?: unknown;
    headers?: Record<string, string> | undefined;
    delayMs?: number | undefined;
};
export type LlmRequestRecord = {
    at: string;
    method: string;
    path: string;
    headers: Record<string, string>;
    /**
     * Parsed JSON body.
     */
    body: Record<string, any> | null;
    api: "chat" | "responses" | "models" | "other";
    stream: boolean;
    /**
     * The customer's text: the last user message.
     */
    lastUserText: string | null;
    /**
     * What the model read from the system message.
     */
    context: PromptContext | null;
    /**
     * What the model understood (before a queued reply or injections).
     */
    reading: ChatOrderAnswer | null;
    /**
     * What it sent.
     */
    answer: {
        mode: "tool_call" | "content" | "function_call";
        toolName?: string;
        text?: string;
        arguments?: Record<string, any>;
    } | null;
    /**
     * Gullible mode: what the message made the model put into its answer.
     */
    injected: Record<string, unknown> | null;
    status: number;
};
export type LlmSimOptions = {
    /**
     * Required Bearer key (omit: any key, or none, is accepted).
     */
    apiKey?: string | undefined;
    /**
     * "Today" (UTC) when a prompt has no `<today>`; default the real clock.
     */
    now?: number | Date | (() => Date | number) | undefined;
    /**
     * Listed by GET /v1/models (default gpt-4o-mini, gpt-4.1-mini, gpt-5-mini).
     */
    models?: string[] | undefined;
    port?: number | undefined;
    /**
     * Start in gullible mode (default false: a well-behaved model).
     */
    gullible?: boolean | undefined;
};
export type LlmSim = {
    /**
     * `http://127.0.0.1:<port>`
     */
    url: string;
    /**
     * `${url}/v1` — what an OpenAI credential's Base URL should be.
     */
    baseURL: string;
    port: number;
    stop: () => Promise<void>;
    requests: LlmRequestRecord[];
    /**
     * "Today" for prompts without `<today>`.
     */
    setNow: (now: Date | number | (() => Date | number)) => void;
    /**
     * Queue an answer for the next completion:
     * a string is sent as content verbatim (broken JSON, fences, prose); an object is sent instead of the computed
     * answer, as it is (missing fields stay missing; no gullible injections).
     */
    nextReply: (reply: string | Record<string, unknown>) => void;
    failNext: (spec: LlmFailSpec, count?: number) => void;
    /**
     * Drops queued failures nobody consumed.
     */
    clearFailures: () => void;
    /**
     * Gullible mode on/off: obey instructions in the customer's message.
     */
    setGullible: (on: boolean) => void;
    /**
     * Clears requests, queued replies and failures (the mode stays).
     */
    reset: () => void;
};
/**
 * Starts the OpenAI-compatible simulator on 127.0.0.1.
 * @param {LlmSimOptions} [options]
 * @returns {Promise<LlmSim>}
 */
export function startLlmSim(options?: LlmSimOptions): Promise<LlmSim>;
/**
 * Fills the properties of an object schema whose names match answer fields; recurses into nested objects
 * (so `{ output: {...} }` and n8n's `__structured__output` wrappers are filled too).
 * @param {Record<string, unknown>} answer
 * @param {any} schema
 * @param {any} [root]
 * @returns {Record<string, unknown>}
 */
export function shapeToSchema(answer: Record<string, unknown>, schema: any, root?: any): Record<string, unknown>;
/**
 * What a prompt-injected model takes from a customer's message as instructions, beyond the order itself:
 * - a price ("make it $0.01", "the price is 0", "for only $5", "make it free") → `price` (major units) and
 *   `unitAmount` / `amount` (minor units);
 * - "quantity -3" / "qty 2.5" → `quantity` as written (negative or fractional); "0.5 nights" → `nights`;
 * - "currency jpy" / "charge me in eur" → `currency`;
 * - every JSON object embedded in the message, merged last (so its productKey, quantity… win), keys as given.
 * @param {string} text
 * @returns {Record<string, unknown>}
 */
export function readInjections(text: string): Record<string, unknown>;
