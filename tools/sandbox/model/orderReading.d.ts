// Generated from read-chat-order.js's JSDoc by test/sandbox/gen-types.js — edit the JSDoc, not this file.
export type CatalogItem = {
    key: string;
    name: string;
    /**
     * per_night | one_off | subscription
     */
    kind?: string | undefined;
    /**
     * Not read: only the key and the name name a product.
     */
    description?: string | undefined;
};
export type PromptContext = {
    /**
     * YYYY-MM-DD, the shop's local date.
     */
    today: string;
    /**
     * Entries without a string key are dropped.
     */
    catalog: CatalogItem[];
    /**
     * `{}` when there is none.
     */
    orderSoFar: Record<string, unknown>;
};
export type Intent = "order" | "greeting" | "cancel" | "status" | "subscription" | "human" | "other";
export type ChatOrderAnswer = {
    intent: Intent;
    productKey: string | null;
    quantity: number | null;
    nights: number | null;
    /**
     * YYYY-MM-DD
     */
    checkIn: string | null;
    /**
     * YYYY-MM-DD
     */
    checkOut: string | null;
    email: string | null;
};
/**
 * m is 1-12; d is 1-31 and may not exist in m (kept as written).
 */
export type Ymd = {
    y: number;
    m: number;
    d: number;
};
export type Token = {
    w: string;
    at: number;
    end: number;
};
export type DateAtom = {
    y?: number;
    m?: number;
    d?: number;
    offset?: number;
    weekday?: number;
    strictlyAfter?: boolean;
    oneNight?: boolean;
};
export type DateMatch = {
    start: number;
    end: number;
    atoms: DateAtom[];
};
/**
 * Reads `<today>`, `<catalog>` and `<order_so_far>` from the system message(s). A missing or broken tag gives
 * `fallbackToday` / an empty catalog / `{}`: the model then simply understands less.
 * @param {string} systemText
 * @param {string} fallbackToday  YYYY-MM-DD
 * @returns {PromptContext}
 */
export function readPromptContext(systemText: string, fallbackToday: string): PromptContext;
/**
 * Reads one turn of a customer's messages against the prompt's context.
 * @param {string} text  the user message (one or more chat messages joined by "\n")
 * @param {PromptContext} context
 * @returns {ChatOrderAnswer}
 */
export function readChatOrder(text: string, context: PromptContext): ChatOrderAnswer;
export const WRAP_NIGHTS: 60;
