/**
 * The Stripe simulator's public types: what `startStripeSim` takes and the handle it returns.
 */
import type Stripe from 'stripe';

/**
 * A Stripe API object as the simulator stores and answers it (sessions, prices, invoices, events…): open JSON,
 * shaped like Stripe's, read and written field by field.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StripeObject = Record<string, any>;

export interface PriceSpec {
	id: string;
	lookup_key?: string;
	/** Minor units (integer). */
	unit_amount: number;
	currency: string;
	product_name: string;
	/** Default: a generated `prod_…`. */
	product_id?: string;
	recurring?: { interval: 'day' | 'week' | 'month' | 'year'; interval_count?: number };
	/** Default true. */
	active?: boolean;
	metadata?: Record<string, string>;
	/** The price's own name (Stripe shows it in subscription events' prices). */
	nickname?: string;
}

/** How an action's events reach the webhook URL. */
export interface DeliveryOptions {
	/** Default sequential (in the order Stripe would create them). */
	order?: 'sequential' | 'reverse' | 'concurrent';
	/** Deliver every event this many extra times (default 0). */
	duplicates?: number;
	/** false: record the events without sending them (send later with redeliver). */
	deliver?: boolean;
}

export interface StripeSimOptions {
	/** API keys accepted (sk_test_… / rk_test_…). */
	secretKeys: string[];
	/** Endpoint secret `whsec_…` used to sign events. */
	webhookSecret: string;
	/** Loopback URL events are POSTed to (also settable later). */
	webhookUrl?: string;
	prices?: PriceSpec[];
	/** 0 (default): a free port. */
	port?: number;
	/** Clock in ms (default Date.now); sessions, events and periods use it. */
	now?: () => number;
	/** Default delivery options for actions. */
	delivery?: DeliveryOptions;
	/** Per delivery (default 10000). */
	webhookTimeoutMs?: number;
	/**
	 * Automatic retries of a failed delivery (non-2xx, no answer), like Stripe's own (which spans days): retry n
	 * waits retryDelaysMs[n]; none once a delivery got a 2xx. Default [] (no automatic retries).
	 */
	retryDelaysMs?: number[];
	/** Shown on the hosted page and /v1/account (default "Sandbox Shop"). */
	accountName?: string;
	/**
	 * The Customer Portal's default configuration is saved (default true); false: portal sessions without a
	 * configuration get Stripe's "no default configuration" 400.
	 */
	portalConfigured?: boolean;
	/** Recurring prices the portal page offers to switch to (see setPortalPlans). */
	portalPlans?: PriceSpec[];
}

export interface StripeErrorBody {
	/** api_error | card_error | idempotency_error | invalid_request_error */
	type: string;
	code?: string;
	param?: string;
	message?: string;
	decline_code?: string;
}

/** One injected API answer. */
export interface StripeFailSpec {
	status: number;
	/** Default: a Stripe error matching the status. */
	error?: StripeErrorBody;
	/** Raw answer instead of `{error}` (object → JSON, string → as is). */
	body?: unknown;
	/** e.g. { 'Stripe-Should-Retry': 'true' }. */
	headers?: Record<string, string>;
	delayMs?: number;
	/** Only requests whose path matches (string: exact or prefix ending in '/'). */
	path?: string | RegExp;
	/** Only requests with this method. */
	method?: string;
}

export interface RequestRecord {
	at: string;
	method: string;
	path: string;
	/** Raw query string (without '?'). */
	query: string;
	/** Raw form body for POST/DELETE, raw query string for GET. */
	form: string;
	/** Parsed params (brackets nested, indexes → arrays). */
	params: StripeObject;
	idempotencyKey: string | null;
	/** Lower-cased. */
	headers: Record<string, string>;
	requestId: string;
	status: number;
	/** Answered from the idempotency store. */
	replayed: boolean;
	/** Answered by failNext. */
	injected: boolean;
}

export interface DeliveryRecord {
	at: string;
	/** HTTP status of the webhook endpoint (null: not delivered). */
	status: number | null;
	error: string | null;
	/** First 2000 characters. */
	responseBody: string;
	durationMs: number;
	/** The Stripe-Signature header sent. */
	signature: string;
}

export interface EventRecord {
	id: string;
	type: string;
	/** The Event object. */
	event: StripeObject;
	/** The exact body bytes sent (pretty-printed JSON, like Stripe). */
	payload: string;
	/** Last delivery's HTTP status (null: never delivered). */
	status: number | null;
	deliveries: DeliveryRecord[];
	/** Some delivery got a 2xx (Stripe stops retrying then). */
	delivered: boolean;
	/** Automatic retries made so far. */
	autoRetries: number;
	/** The next automatic retry, if one is due. */
	retryTimer: ReturnType<typeof setTimeout> | null;
}

export interface ActionResult {
	/** Public session object after the action. */
	session: StripeObject | null;
	/** Events the action created (delivered unless deliver:false). */
	events: EventRecord[];
}

export type RefundResult = ActionResult & { refund: StripeObject };

/** Public Checkout Session fields plus what was requested. */
export interface StoredSession {
	id: string;
	status: string;
	payment_status: string;
	mode: string;
	url: string | null;
	/** As requested (parsed form). */
	line_items: StripeObject[];
	/** As requested. */
	payment_intent_data: StripeObject | null;
	/** As requested. */
	subscription_data: StripeObject | null;
}

/** Each returns a StripeFailSpec. */
export interface StripeErrorPresets {
	/** 429 rate_limit. */
	rateLimit: () => StripeFailSpec;
	/** 500 api_error (Stripe-Should-Retry: true). */
	apiError: (status?: number) => StripeFailSpec;
	/** 409 lock_timeout. */
	lockTimeout: () => StripeFailSpec;
	/** 401 invalid key. */
	authentication: () => StripeFailSpec;
	/** 400. */
	invalidRequest: (e?: { param?: string; message?: string; code?: string }) => StripeFailSpec;
	/** 400 idempotency_error. */
	idempotency: () => StripeFailSpec;
}

export interface StripeSim {
	/** `http://127.0.0.1:<port>` */
	url: string;
	port: number;
	/** For `new Stripe(key, clientOptions)`. */
	clientOptions: { host: string; port: number; protocol: 'http' };
	stop: () => Promise<void>;
	/** Every API request (not the hosted pages). */
	requests: RequestRecord[];
	/** Every event created, in order. */
	events: EventRecord[];
	sessions: Map<string, StoredSession & StripeObject>;
	subscriptions: Map<string, StripeObject>;
	invoices: Map<string, StripeObject>;
	/** Public view (as the API answers it). */
	getSession: (id: string) => StripeObject | null;
	/** Loopback only. */
	setWebhookUrl: (url: string | null) => void;
	/** Several → several v1 signatures (secret roll). */
	setWebhookSecret: (secret: string | string[]) => void;
	/** Default delivery options for later actions. */
	setDelivery: (options: DeliveryOptions) => void;
	addPrice: (spec: PriceSpec) => StripeObject;
	/** Queue an error answer for the next API request(s). */
	failNext: (spec: StripeFailSpec, count?: number) => void;
	/** Drops queued failures nobody consumed. */
	clearFailures: () => void;
	errors: StripeErrorPresets;
	pay: (sessionId: string, options?: DeliveryOptions & { email?: string; name?: string }) => Promise<ActionResult>;
	expire: (sessionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
	failAsync: (sessionId: string, options?: DeliveryOptions & { email?: string }) => Promise<ActionResult>;
	payAsyncPending: (sessionId: string, options?: DeliveryOptions & { email?: string }) => Promise<ActionResult>;
	asyncSucceed: (sessionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
	failInvoice: (subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
	/** invoice.paid for the next period. */
	renewSubscription: (subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
	cancelSubscription: (subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
	/** Any event. */
	emit: (type: string, object: StripeObject, options?: DeliveryOptions) => Promise<EventRecord>;
	/** Same body, fresh signature. */
	redeliver: (eventId: string) => Promise<DeliveryRecord>;
	/** Automatic retry schedule for later failures (see StripeSimOptions). */
	setRetryDelays: (delaysMs: number[]) => void;
	/** Resolves once a delivery of the event got a 2xx; rejects after timeoutMs (default 60000) with its deliveries. */
	waitForDelivered: (eventId: string, options?: { timeoutMs?: number }) => Promise<EventRecord>;
	signedRequest: (
		event: StripeObject | string,
		options?: { timestamp?: number; secret?: string | string[] },
	) => { body: string; headers: Record<string, string> };
	/** `new Stripe(key ?? secretKeys[0], clientOptions)` (lazy require of the stripe package). */
	stripeClient: (key?: string) => Stripe;
	/** Clears requests, events, sessions, subscriptions, invoices, idempotency store and queued failures (keeps prices). */
	reset: () => void;
	/**
	 * Loopback URL of the sandbox's chat page: the success and cancel pages (/thanks, /cancelled) and the session
	 * list (/) link back to the customer's chat there.
	 */
	setChatPageUrl: (url: string | null) => void;
	/** Refunds a paid one-off session in full, or `amount` minor units of it: charge.refunded (with previous_attributes). */
	refund: (sessionId: string, options?: DeliveryOptions & { amount?: number; reason?: string }) => Promise<RefundResult>;
	/** The subscriber cancels in the portal: at the period end (default; customer.subscription.updated) or at once (deleted). */
	portalCancel: (subscriptionId: string, options?: DeliveryOptions & { atPeriodEnd?: boolean }) => Promise<ActionResult>;
	/** Withdraws a cancellation scheduled for the period end (customer.subscription.updated). */
	portalKeepSubscription: (subscriptionId: string, options?: DeliveryOptions) => Promise<ActionResult>;
	/** Switches the subscription's item to another recurring price (customer.subscription.updated). */
	portalChangePlan: (subscriptionId: string, priceId: string, options?: DeliveryOptions) => Promise<ActionResult>;
	/** A new card: payment_method.attached, then customer.updated (no card details in either). */
	portalUpdateCard: (customerId: string, options?: DeliveryOptions) => Promise<ActionResult>;
	/** See StripeSimOptions.portalConfigured. */
	setPortalConfigured: (configured: boolean) => void;
	/** Adds these recurring prices and offers them on the portal page. */
	setPortalPlans: (specs: PriceSpec[]) => StripeObject[];
	/** billing_portal.session objects by id. */
	portalSessions: Map<string, StripeObject>;
	/** Charges of refunded or refundable payments, by id. */
	charges: Map<string, StripeObject>;
	refunds: Map<string, StripeObject>;
}
