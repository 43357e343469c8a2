// Generated from llm-sim.js's JSDoc by test/sandbox/gen-types.js — edit the JSDoc, not this file.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type CatalogEntry = {
    /**
     * Returned as productKey.
     */
    key: string;
    /**
     * Matched as whole words (plural s/es allowed), case-insensitive.
     */
    keywords: string[];
};
export type Order = {
    productKey: string | null;
    quantity: number | null;
    /**
     * YYYY-MM-DD
     */
    checkIn: string | null;
    /**
     * YYYY-MM-DD
     */
    checkOut: string | null;
    nights: number | null;
    email: string | null;
};
export type ExtractOptions = {
    /**
     * Default DEFAULT_CATALOG.
     */
    catalog?: CatalogEntry[] | undefined;
    /**
     * "Today" for year inference (UTC); default the real clock.
     */
    now?: number | Date | (() => Date | number) | undefined;
};
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
    lastUserText: string | null;
    /**
     * What was extracted.
     */
    order: Order | null;
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
    catalog?: CatalogEntry[] | undefined;
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
     * Extraction with the sim's current catalog and clock.
     */
    extract: (text: string) => Order;
    setCatalog: (catalog: CatalogEntry[]) => void;
    setNow: (now: Date | number | (() => Date | number)) => void;
    /**
     * Queue an answer: a string is sent as content verbatim
     * (e.g. broken JSON); an object replaces the extracted order for the next completion.
     */
    nextReply: (reply: string | Partial<Order>) => void;
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
 * Deterministic order extraction from one message.
 * @param {string} text
 * @param {ExtractOptions} [options]
 * @returns {Order}
 */
export function extractOrder(text: string, options?: ExtractOptions): Order;
/**
 * Fills the properties of an object schema whose names match order fields; recurses into nested objects
 * (so `{ output: {...} }` and n8n's `__structured__output` wrappers are filled too).
 * @param {Order} order
 * @param {any} schema
 * @param {any} [root]
 * @returns {Record<string, unknown>}
 */
export function shapeToSchema(order: Order, schema: any, root?: any): Record<string, unknown>;
/**
 * Finds the JSON schema in ```json blocks of a prompt (the last block that parses to an object schema).
 * @param {string} text
 * @returns {any | null}
 */
export function findSchemaInPrompt(text: string): any | null;
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
/**
 * @typedef {object} CatalogEntry
 * @property {string} key                    Returned as productKey.
 * @property {string[]} keywords             Matched as whole words (plural s/es allowed), case-insensitive.
 */
/**
 * @typedef {object} Order
 * @property {string | null} productKey
 * @property {number | null} quantity
 * @property {string | null} checkIn        YYYY-MM-DD
 * @property {string | null} checkOut       YYYY-MM-DD
 * @property {number | null} nights
 * @property {string | null} email
 */
/**
 * @typedef {object} ExtractOptions
 * @property {CatalogEntry[]} [catalog]      Default DEFAULT_CATALOG.
 * @property {Date | number | (() => Date | number)} [now]  "Today" for year inference (UTC); default the real clock.
 */
/**
 * @typedef {object} LlmFailSpec
 * @property {number} status
 * @property {unknown} [body]                Default: an OpenAI error for the status.
 * @property {Record<string, string>} [headers]
 * @property {number} [delayMs]
 */
/**
 * @typedef {object} LlmRequestRecord
 * @property {string} at
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} headers
 * @property {Record<string, any> | null} body  Parsed JSON body.
 * @property {'chat' | 'responses' | 'models' | 'other'} api
 * @property {boolean} stream
 * @property {string | null} lastUserText
 * @property {Order | null} order            What was extracted.
 * @property {{ mode: 'tool_call' | 'content' | 'function_call', toolName?: string, text?: string, arguments?: Record<string, any> } | null} answer
 * @property {Record<string, unknown> | null} injected  Gullible mode: what the message made the model put into its answer.
 * @property {number} status
 */
/**
 * @typedef {object} LlmSimOptions
 * @property {string} [apiKey]               Required Bearer key (omit: any key, or none, is accepted).
 * @property {CatalogEntry[]} [catalog]
 * @property {Date | number | (() => Date | number)} [now]
 * @property {string[]} [models]             Listed by GET /v1/models (default gpt-4o-mini, gpt-4.1-mini, gpt-5-mini).
 * @property {number} [port]
 * @property {boolean} [gullible]            Start in gullible mode (default false: a well-behaved model).
 */
/**
 * @typedef {object} LlmSim
 * @property {string} url                    `http://127.0.0.1:<port>`
 * @property {string} baseURL                `${url}/v1` — what an OpenAI credential's Base URL should be.
 * @property {number} port
 * @property {() => Promise<void>} stop
 * @property {LlmRequestRecord[]} requests
 * @property {(text: string) => Order} extract  Extraction with the sim's current catalog and clock.
 * @property {(catalog: CatalogEntry[]) => void} setCatalog
 * @property {(now: Date | number | (() => Date | number)) => void} setNow
 * @property {(reply: string | Partial<Order>) => void} nextReply  Queue an answer: a string is sent as content verbatim
 *   (e.g. broken JSON); an object replaces the extracted order for the next completion.
 * @property {(spec: LlmFailSpec, count?: number) => void} failNext
 * @property {() => void} clearFailures  Drops queued failures nobody consumed.
 * @property {(on: boolean) => void} setGullible  Gullible mode on/off: obey instructions in the customer's message.
 * @property {() => void} reset              Clears requests, queued replies and failures (the mode stays).
 */
/** @type {CatalogEntry[]} */
export const DEFAULT_CATALOG: CatalogEntry[];
