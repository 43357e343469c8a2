// Generated from http-util.js's JSDoc by test/sandbox/gen-types.js — edit the JSDoc, not this file.
export type Listening = {
    server: http.Server;
    port: number;
    /**
     * `http://127.0.0.1:<port>` (no trailing slash)
     */
    url: string;
    /**
     * Closes the server and every open connection; safe to call twice.
     */
    stop: () => Promise<void>;
};
export const LOOPBACK_HOST: "127.0.0.1";
/**
 * @typedef {object} Listening
 * @property {http.Server} server
 * @property {number} port
 * @property {string} url            `http://127.0.0.1:<port>` (no trailing slash)
 * @property {() => Promise<void>} stop  Closes the server and every open connection; safe to call twice.
 */
/**
 * Starts `handler` on 127.0.0.1 only.
 * @param {(req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>} handler
 * @param {number} [port] 0 (default) picks a free port.
 * @returns {Promise<Listening>}
 */
export function listenLoopback(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>, port?: number): Promise<Listening>;
/**
 * Reads the whole request body as a UTF-8 string (limited to 5 MiB).
 * @param {http.IncomingMessage} req
 * @returns {Promise<string>}
 */
export function readBody(req: http.IncomingMessage): Promise<string>;
/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string} html
 * @param {Record<string, string>} [headers]
 */
export function sendHtml(res: http.ServerResponse, status: number, html: string, headers?: Record<string, string>): void;
/**
 * Random alphanumeric id with a prefix, e.g. `randomId('cs_test_', 24)`.
 * @param {string} prefix
 * @param {number} [length]
 */
export function randomId(prefix: string, length?: number): string;
/**
 * True when `url` names a loopback host (127.0.0.0/8, localhost, ::1).
 * @param {string} url
 */
export function isLoopbackUrl(url: string): boolean;
/**
 * Throws unless `url` is a loopback http(s) URL: the sandbox never sends traffic anywhere else.
 * @param {string} url
 * @param {string} what
 */
export function assertLoopbackUrl(url: string, what: string): void;
/**
 * Lower-cased copy of the request headers with string values.
 * @param {http.IncomingHttpHeaders} headers
 * @returns {Record<string, string>}
 */
export function plainHeaders(headers: http.IncomingHttpHeaders): Record<string, string>;
/**
 * Polls `predicate` every `intervalMs` until it returns true or `timeoutMs` elapses.
 * @param {() => boolean} predicate
 * @param {{ timeoutMs?: number, intervalMs?: number, describe?: () => string }} [options]
 * @returns {Promise<void>}
 */
export function waitUntil(predicate: () => boolean, options?: {
    timeoutMs?: number;
    intervalMs?: number;
    describe?: () => string;
}): Promise<void>;
/**
 * Escapes text for HTML.
 * @param {unknown} value
 */
export function escapeHtml(value: unknown): string;
import http = require("node:http");
