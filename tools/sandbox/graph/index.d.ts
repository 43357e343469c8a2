// Generated from graph-sim.js's JSDoc by test/sandbox/gen-types.js — edit the JSDoc, not this file.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare namespace _exports {
    export { WhatsAppNumber, InstagramAccount, GraphSimOptions, FailSpec, SentMessage, AttemptRecord, RequestRecord, MetaErrorInput, GraphErrorPresets, GraphSim, FailRule, SendHold };
}
declare namespace _exports {
    export { startGraphSim };
    export { errors as graphErrors };
    export { DEFAULT_API_VERSION };
}
export = _exports;
type WhatsAppNumber = {
    /**
     * Phone number id (the `:accountId` of a send).
     */
    id: string;
    display_phone_number?: string | undefined;
    verified_name?: string | undefined;
    /**
     * GREEN | YELLOW | RED | UNKNOWN
     */
    quality_rating?: string | undefined;
};
type InstagramAccount = {
    /**
     * IG professional account id (`/:id/messages`; `/me` is the first one).
     */
    id: string;
    username?: string | undefined;
    user_id?: string | undefined;
    name?: string | undefined;
};
type GraphSimOptions = {
    /**
     * Bearer tokens the sim accepts (all of them for every account).
     */
    accessTokens: string[];
    /**
     * 0 (default): a free port.
     */
    port?: number | undefined;
    /**
     * Known phone numbers; default one: id `100000000000001`.
     */
    whatsappNumbers?: WhatsAppNumber[] | undefined;
    /**
     * Known IG accounts; default one: id `17841400000000001`.
     */
    instagramAccounts?: InstagramAccount[] | undefined;
    /**
     * Accept sends to ids not listed above (default false: Graph error 100/33).
     */
    acceptUnknownAccounts?: boolean | undefined;
    /**
     * Reported in the `facebook-api-version` header (default v26.0).
     */
    apiVersion?: string | undefined;
    /**
     * Delay before every answer (default 0).
     */
    latencyMs?: number | undefined;
};
/**
 * One injected answer to a send call.
 */
type FailSpec = {
    status: number;
    /**
     * Object (sent as JSON) or string (sent as is); default a Meta error for the status.
     */
    body?: unknown;
    headers?: Record<string, string> | undefined;
    /**
     * Wait this long before answering.
     */
    delayMs?: number | undefined;
};
/**
 * A send the sim accepted (HTTP 200).
 */
type SentMessage = {
    /**
     * ISO time.
     */
    at: string;
    method: string;
    /**
     * Path without the query string.
     */
    path: string;
    /**
     * e.g. `v26.0` (null for an unversioned call).
     */
    version: string | null;
    /**
     * `:accountId` as called (`me` for `/me/messages`).
     */
    accountId: string;
    channel: "whatsapp" | "instagram";
    /**
     * WhatsApp `to` / Instagram `recipient.id` (null for mark-as-read).
     */
    to: string | null;
    /**
     * Parsed request body.
     */
    body: Record<string, any>;
    /**
     * Lower-cased request headers.
     */
    headers: Record<string, string>;
    /**
     * The `wamid.SIM…` / `m_SIM…` the sim answered with.
     */
    messageId: string | null;
    /**
     * Human-readable text of the message (body text, button text…), '' if none.
     */
    text: string;
    /**
     * Every URL in the message (CTA / web_url buttons and URLs in the text).
     */
    urls: string[];
    /**
     * The JSON answer.
     */
    response: Record<string, any>;
};
/**
 * Every call to a messages endpoint, successful or not.
 */
type AttemptRecord = {
    at: string;
    method: string;
    path: string;
    version: string | null;
    accountId: string;
    channel: "whatsapp" | "instagram" | null;
    to: string | null;
    body: Record<string, any> | null;
    headers: Record<string, string>;
    /**
     * HTTP status answered.
     */
    status: number;
    /**
     * The answer body.
     */
    response: unknown;
    /**
     * True when the answer came from failNext or failWhen.
     */
    injected: boolean;
    /**
     * The client went away while the call was held (see holdSends): not accepted.
     */
    abandoned?: boolean | undefined;
};
/**
 * Every HTTP request the sim received.
 */
type RequestRecord = {
    at: string;
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    rawBody: string;
    status: number;
};
type MetaErrorInput = {
    code: number;
    message: string;
    /**
     * Default OAuthException.
     */
    type?: string | undefined;
    /**
     * sets error_subcode
     */
    subcode?: number | undefined;
    /**
     * sets error_data.details
     */
    details?: string | undefined;
    /**
     * Add error_data.messaging_product = whatsapp (default: when details given).
     */
    whatsapp?: boolean | undefined;
    /**
     * sets is_transient
     */
    isTransient?: boolean | undefined;
    /**
     * sets error_user_title
     */
    userTitle?: string | undefined;
    /**
     * sets error_user_msg
     */
    userMessage?: string | undefined;
    /**
     * HTTP status (default 400).
     */
    status?: number | undefined;
    headers?: Record<string, string> | undefined;
};
/**
 * Each returns a FailSpec for `failNext`.
 */
type GraphErrorPresets = {
    /**
     * Any Meta-shaped error.
     */
    meta: (input: MetaErrorInput) => FailSpec;
    /**
     * 190, HTTP 401.
     */
    invalidToken: (status?: number) => FailSpec;
    /**
     * 190/463, HTTP 401.
     */
    expiredToken: (status?: number) => FailSpec;
    /**
     * WhatsApp 130429 (throughput reached).
     */
    throttled: (status?: number) => FailSpec;
    /**
     * WhatsApp 131047 (re-engagement, >24 h).
     */
    outsideWindow: (status?: number) => FailSpec;
    /**
     * WhatsApp 131056 (business/consumer pair rate).
     */
    pairRateLimit: (status?: number) => FailSpec;
    /**
     * Graph code 4.
     */
    appRateLimit: (status?: number) => FailSpec;
    /**
     * Graph code 17.
     */
    userRateLimit: (status?: number) => FailSpec;
    /**
     * Graph code 32.
     */
    pageRateLimit: (status?: number) => FailSpec;
    /**
     * Graph code 613.
     */
    apiRateLimit: (status?: number) => FailSpec;
    /**
     * HTTP 429 with Retry-After.
     */
    tooManyRequests: (retryAfterSeconds?: number) => FailSpec;
    /**
     * HTTP 500 (or given 5xx), code 2, transient.
     */
    serverError: (status?: number) => FailSpec;
    /**
     * Instagram code 10 / 2018278.
     */
    igOutsideWindow: (status?: number) => FailSpec;
    /**
     * WhatsApp 131009.
     */
    invalidParameter: (details?: string) => FailSpec;
    /**
     * A non-JSON HTML 502 page (as a proxy in front of Graph gives).
     */
    badGateway: (status?: number) => FailSpec;
};
type GraphSim = {
    /**
     * `http://127.0.0.1:<port>`
     */
    url: string;
    port: number;
    stop: () => Promise<void>;
    /**
     * Accepted sends, in order.
     */
    sent: SentMessage[];
    /**
     * Every call to a messages endpoint (also the failed ones).
     */
    attempts: AttemptRecord[];
    /**
     * Every HTTP request.
     */
    requests: RequestRecord[];
    /**
     * Accepted sends to a WhatsApp number (compared as digits) / IGSID.
     */
    sentTo: (userId: string) => SentMessage[];
    /**
     *   Resolves with the matching sends once at least n were accepted (optionally to one user); rejects after timeoutMs (default 5000).
     */
    waitForSends: (n: number, options?: {
        timeoutMs?: number;
        intervalMs?: number;
        to?: string;
    }) => Promise<SentMessage[]>;
    /**
     * Queue `spec` as the answer to the next `count` (default 1) send calls.
     */
    failNext: (spec: FailSpec, count?: number) => void;
    /**
     * A rule asked on every authorised send call (after failNext); its FailSpec is the answer, undefined lets the call through. null removes it.
     */
    failWhen: (rule: FailRule | null) => void;
    /**
     * From now on, send calls wait before they are looked at (see SendHold).
     */
    holdSends: () => SendHold;
    pendingFailures: () => number;
    errors: GraphErrorPresets;
    setLatency: (ms: number) => void;
    addAccessToken: (token: string) => void;
    /**
     * A revoked token gets the 401/190 answer from then on.
     */
    revokeAccessToken: (token: string) => void;
    /**
     * Mutable list of known numbers.
     */
    whatsappNumbers: WhatsAppNumber[];
    /**
     * Mutable list of known IG accounts.
     */
    instagramAccounts: InstagramAccount[];
    /**
     * Clears sent, attempts, requests and queued failures.
     */
    reset: () => void;
    /**
     * Calls `listener` with every send from
     * now on, right after it is accepted (the sandbox's chat page streams them); returns the unsubscribe function.
     */
    onSend: (listener: (send: SentMessage) => void) => () => void;
};
type FailRule = (call: {
    channel: "whatsapp" | "instagram" | null;
    to: string | null;
    accountId: string;
    body: Record<string, any> | null;
    attempt: number;
}) => FailSpec | undefined;
/**
 * Send calls held before Meta would accept them (a slow network on the way to Meta).
 */
type SendHold = {
    /**
     * Calls waiting now.
     */
    held: () => number;
    /**
     * Until at least n calls wait.
     */
    waitForHeld: (n: number, options?: {
        timeoutMs?: number;
    }) => Promise<void>;
    /**
     * Lets the waiting calls through and stops holding new ones. A call whose
     * client went away while held is not accepted: its attempt is recorded with status 0 and `abandoned: true`.
     */
    release: () => void;
};
/**
 * Starts the Graph API simulator on 127.0.0.1.
 * @param {GraphSimOptions} options
 * @returns {Promise<GraphSim>}
 */
declare function startGraphSim(options: GraphSimOptions): Promise<GraphSim>;
/** @type {GraphErrorPresets} */
declare const errors: GraphErrorPresets;
declare const DEFAULT_API_VERSION: "v26.0";
