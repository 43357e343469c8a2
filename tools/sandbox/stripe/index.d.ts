// Generated from stripe-sim.js's JSDoc by test/sandbox/gen-types.js — edit the JSDoc, not this file.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare namespace _exports {
    export { PriceSpec, DeliveryOptions, StripeSimOptions, StripeErrorBody, StripeFailSpec, RequestRecord, DeliveryRecord, EventRecord, ActionResult, StoredSession, StripeErrorPresets, StripeSim };
}
declare namespace _exports {
    export { startStripeSim };
    export { parseStripeForm };
    export { STRIPE_API_VERSION };
    export { errors as stripeErrors };
}
export = _exports;
type PriceSpec = {
    id: string;
    lookup_key?: string | undefined;
    /**
     * Minor units (integer).
     */
    unit_amount: number;
    currency: string;
    product_name: string;
    /**
     * Default: a generated `prod_…`.
     */
    product_id?: string | undefined;
    recurring?: {
        interval: "day" | "week" | "month" | "year";
        interval_count?: number;
    } | undefined;
    /**
     * Default true.
     */
    active?: boolean | undefined;
    metadata?: Record<string, string> | undefined;
    /**
     * The price's own name (Stripe shows it in subscription events' prices).
     */
    nickname?: string | undefined;
};
/**
 * How an action's events reach the webhook URL.
 */
type DeliveryOptions = {
    /**
     * Default sequential (in the order Stripe would create them).
     */
    order?: "reverse" | "sequential" | "concurrent" | undefined;
    /**
     * Deliver every event this many extra times (default 0).
     */
    duplicates?: number | undefined;
    /**
     * false: record the events without sending them (send later with redeliver).
     */
    deliver?: boolean | undefined;
};
type StripeSimOptions = {
    /**
     * API keys accepted (sk_test_… / rk_test_…).
     */
    secretKeys: string[];
    /**
     * Endpoint secret `whsec_…` used to sign events.
     */
    webhookSecret: string;
    /**
     * Loopback URL events are POSTed to (also settable later).
     */
    webhookUrl?: string | undefined;
    prices?: PriceSpec[] | undefined;
    /**
     * 0 (default): a free port.
     */
    port?: number | undefined;
    /**
     * Clock in ms (default Date.now); sessions, events and periods use it.
     */
    now?: (() => number) | undefined;
    /**
     * Default delivery options for actions.
     */
    delivery?: DeliveryOptions | undefined;
    /**
     * Per delivery (default 10000).
     */
    webhookTimeoutMs?: number | undefined;
    /**
     * Automatic retries of a failed delivery (non-2xx, no answer), like
     * Stripe's own (which spans days): retry n waits retryDelaysMs[n]; none once a delivery got a 2xx.
     * Default [] (no automatic retries).
     */
    retryDelaysMs?: number[] | undefined;
    /**
     * Shown on the hosted page and /v1/account (default "Sandbox Shop").
     */
    accountName?: string | undefined;
    /**
     * The Customer Portal's default configuration is saved (default true);
     * false: portal sessions without a configuration get Stripe's "no default configuration" 400.
     */
    portalConfigured?: boolean | undefined;
    /**
     * Recurring prices the portal page offers to switch to (see setPortalPlans).
     */
    portalPlans?: PriceSpec[] | undefined;
};
type StripeErrorBody = {
    /**
     * api_error | card_error | idempotency_error | invalid_request_error
     */
    type: string;
    code?: string | undefined;
    param?: string | undefined;
    message?: string | undefined;
    decline_code?: string | undefined;
};
/**
 * One injected API answer.
 */
type StripeFailSpec = {
    status: number;
    /**
     * Default: a Stripe error matching the status.
     */
    error?: StripeErrorBody | undefined;
    /**
     * Raw answer instead of `{error}` (object → JSON, string → as is).
     */
    body?: unknown;
    /**
     * e.g. { 'Stripe-Should-Retry': 'true' }.
     */
    headers?: Record<string, string> | undefined;
    delayMs?: number | undefined;
    /**
     * Only requests whose path matches (string: exact or prefix ending in '/').
     */
    path?: string | RegExp | undefined;
    /**
     * Only requests with this method.
     */
    method?: string | undefined;
};
type RequestRecord = {
    at: string;
    method: string;
    path: string;
    /**
     * Raw query string (without '?').
     */
    query: string;
    /**
     * Raw form body for POST/DELETE, raw query string for GET.
     */
    form: string;
    /**
     * Parsed params (brackets nested, indexes → arrays).
     */
    params: Record<string, any>;
    idempotencyKey: string | null;
    /**
     * Lower-cased.
     */
    headers: Record<string, string>;
    requestId: string;
    status: number;
    /**
     * Answered from the idempotency store.
     */
    replayed: boolean;
    /**
     * Answered by failNext.
     */
    injected: boolean;
};
type DeliveryRecord = {
    at: string;
    /**
     * HTTP status of the webhook endpoint (null: not delivered).
     */
    status: number | null;
    error: string | null;
    /**
     * First 2000 characters.
     */
    responseBody: string;
    durationMs: number;
    /**
     * The Stripe-Signature header sent.
     */
    signature: string;
};
type EventRecord = {
    id: string;
    type: string;
    /**
     * The Event object.
     */
    event: Record<string, any>;
    /**
     * The exact body bytes sent (pretty-printed JSON, like Stripe).
     */
    payload: string;
    /**
     * Last delivery's HTTP status (null: never delivered).
     */
    status: number | null;
    deliveries: DeliveryRecord[];
    /**
     * Some delivery got a 2xx (Stripe stops retrying then).
     */
    delivered: boolean;
    /**
     * Automatic retries made so far.
     */
    autoRetries: number;
    /**
     * The next automatic retry, if one is due.
     */
    retryTimer: ReturnType<typeof setTimeout> | null;
};
type ActionResult = {
    /**
     * Public session object after the action.
     */
    session: Record<string, any> | null;
    /**
     * Events the action created (delivered unless deliver:false).
     */
    events: EventRecord[];
};
/**
 * Public Checkout Session fields plus what was requested.
 */
type StoredSession = {
    id: string;
    status: string;
    payment_status: string;
    mode: string;
    url: string | null;
    /**
     * As requested (parsed form).
     */
    line_items: Array<Record<string, any>>;
    /**
     * As requested.
     */
    payment_intent_data: Record<string, any> | null;
    /**
     * As requested.
     */
    subscription_data: Record<string, any> | null;
};
/**
 * Each returns a StripeFailSpec.
 */
type StripeErrorPresets = {
    /**
     * 429 rate_limit.
     */
    rateLimit: () => StripeFailSpec;
    /**
     * 500 api_error (Stripe-Should-Retry: true).
     */
    apiError: (status?: number) => StripeFailSpec;
    /**
     * 409 lock_timeout.
     */
    lockTimeout: () => StripeFailSpec;
    /**
     * 401 invalid key.
     */
    authentication: () => StripeFailSpec;
    /**
     * 400.
     */
    invalidRequest: (e?: {
        param?: string;
        message?: string;
        code?: string;
    }) => StripeFailSpec;
    /**
     * 400 idempotency_error.
     */
    idempotency: () => StripeFailSpec;
};
type StripeSim = {
    /**
     * `http://127.0.0.1:<port>`
     */
    url: string;
    port: number;
    /**
     * For `new Stripe(key, clientOptions)`.
     */
    clientOptions: {
        host: string;
        port: number;
        protocol: "http";
    };
    stop: () => Promise<void>;
    /**
     * Every API request (not the hosted pages).
     */
    requests: RequestRecord[];
    /**
     * Every event created, in order.
     */
    events: EventRecord[];
    sessions: Map<string, StoredSession & Record<string, any>>;
    subscriptions: Map<string, Record<string, any>>;
    invoices: Map<string, Record<string, any>>;
    /**
     * Public view (as the API answers it).
     */
    getSession: (id: string) => Record<string, any> | null;
    /**
     * Loopback only.
     */
    setWebhookUrl: (url: string | null) => void;
    /**
     * Several → several v1 signatures (secret roll).
     */
    setWebhookSecret: (secret: string | string[]) => void;
    /**
     * Default delivery options for later actions.
     */
    setDelivery: (options: DeliveryOptions) => void;
    addPrice: (spec: PriceSpec) => Record<string, any>;
    /**
     * Queue an error answer for the next API request(s).
     */
    failNext: (spec: StripeFailSpec, count?: number) => void;
    /**
     * Drops queued failures nobody consumed.
     */
    clearFailures: () => void;
    errors: StripeErrorPresets;
    pay: (sessionId: string, options?: DeliveryOptions & {
        email?: string;
        name?: string;
    }) => Promise<ActionResult>;
    expire: (sessionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
    failAsync: (sessionId: string, options?: DeliveryOptions & {
        email?: string;
    }) => Promise<ActionResult>;
    payAsyncPending: (sessionId: string, options?: DeliveryOptions & {
        email?: string;
    }) => Promise<ActionResult>;
    asyncSucceed: (sessionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
    failInvoice: (subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
    /**
     * invoice.paid for the next period.
     */
    renewSubscription: (subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
    cancelSubscription: (subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
    /**
     * Any event.
     */
    emit: (type: string, object: Record<string, any>, options?: DeliveryOptions) => Promise<EventRecord>;
    /**
     * Same body, fresh signature.
     */
    redeliver: (eventId: string) => Promise<DeliveryRecord>;
    /**
     * Automatic retry schedule for later failures (see StripeSimOptions).
     */
    setRetryDelays: (delaysMs: number[]) => void;
    /**
     *   Resolves once a delivery of the event got a 2xx; rejects after timeoutMs (default 60000) with its deliveries.
     */
    waitForDelivered: (eventId: string, options?: {
        timeoutMs?: number;
    }) => Promise<EventRecord>;
    signedRequest: (event: Record<string, any> | string, options?: {
        timestamp?: number;
        secret?: string | string[];
    }) => {
        body: string;
        headers: Record<string, string>;
    };
    /**
     * `new Stripe(key ?? secretKeys[0], clientOptions)` (lazy require of the stripe package).
     */
    stripeClient: (key?: string) => any;
    /**
     * Clears requests, events, sessions, subscriptions, invoices, idempotency store and queued failures (keeps prices).
     */
    reset: () => void;
    /**
     * Loopback URL of the sandbox's chat page: the success and cancel
     * pages (/thanks, /cancelled) and the session list (/) link back to the customer's chat there.
     */
    setChatPageUrl: (url: string | null) => void;
    /**
     *   Refunds a paid one-off session in full, or `amount` minor units of it: charge.refunded (with previous_attributes).
     */
    refund: (sessionId: string, options?: DeliveryOptions & {
        amount?: number;
        reason?: string;
    }) => Promise<import("./afterSale").RefundResult>;
    /**
     *   The subscriber cancels in the portal: at the period end (default; customer.subscription.updated) or at once (deleted).
     */
    portalCancel: (subscriptionId: string, options?: DeliveryOptions & {
        atPeriodEnd?: boolean;
    }) => Promise<ActionResult>;
    /**
     *   Withdraws a cancellation scheduled for the period end (customer.subscription.updated).
     */
    portalKeepSubscription: (subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
    /**
     *   Switches the subscription's item to another recurring price (customer.subscription.updated).
     */
    portalChangePlan: (subscriptionId: string, priceId: string, options?: DeliveryOptions) => Promise<ActionResult>;
    /**
     *   A new card: payment_method.attached, then customer.updated (no card details in either).
     */
    portalUpdateCard: (customerId: string, options?: DeliveryOptions) => Promise<ActionResult>;
    /**
     * See StripeSimOptions.portalConfigured.
     */
    setPortalConfigured: (configured: boolean) => void;
    /**
     * Adds these recurring prices and offers them on the portal page.
     */
    setPortalPlans: (specs: PriceSpec[]) => Record<string, any>[];
    /**
     * billing_portal.session objects by id.
     */
    portalSessions: Map<string, Record<string, any>>;
    /**
     * Charges of refunded or refundable payments, by id.
     */
    charges: Map<string, Record<string, any>>;
    refunds: Map<string, Record<string, any>>;
};
/**
 * Starts the Stripe simulator on 127.0.0.1.
 * @param {StripeSimOptions} options
 * @returns {Promise<StripeSim>}
 */
declare function startStripeSim(options: StripeSimOptions): Promise<StripeSim>;
/**
 * Parses Stripe form / query params: nested brackets, `[]` and `[0]` arrays, repeated keys (last wins).
 * @param {string} raw
 * @returns {Record<string, any>}
 */
declare function parseStripeForm(raw: string): Record<string, any>;
/** API version of stripe-node 23.1.0 (its `apiVersion.js`). */
declare const STRIPE_API_VERSION: "2026-10-28.endive";
/** @type {StripeErrorPresets} */
declare const errors: StripeErrorPresets;
