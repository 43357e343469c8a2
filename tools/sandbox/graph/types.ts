/** The Graph API simulator's public types: its options, its records and its control surface. */

/**
 * A JSON object a client sent (or the sim answered). Its shape is whatever the caller put on the wire, so its
 * values stay open: tests and the validators read nested fields of it directly.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GraphJson = Record<string, any>;

export type GraphChannel = 'whatsapp' | 'instagram';

export interface WhatsAppNumber {
	/** Phone number id (the `:accountId` of a send). */
	id: string;
	display_phone_number?: string;
	verified_name?: string;
	/** GREEN | YELLOW | RED | UNKNOWN */
	quality_rating?: string;
}

export interface InstagramAccount {
	/** IG professional account id (`/:id/messages`; `/me` is the first one). */
	id: string;
	username?: string;
	user_id?: string;
	name?: string;
}

export interface GraphSimOptions {
	/** Bearer tokens the sim accepts (all of them for every account). */
	accessTokens: string[];
	/** 0 (default): a free port. */
	port?: number;
	/** Known phone numbers; default one: id `100000000000001`. */
	whatsappNumbers?: WhatsAppNumber[];
	/** Known IG accounts; default one: id `17841400000000001`. */
	instagramAccounts?: InstagramAccount[];
	/** Accept sends to ids not listed above (default false: Graph error 100/33). */
	acceptUnknownAccounts?: boolean;
	/** Reported in the `facebook-api-version` header (default v26.0). */
	apiVersion?: string;
	/** Delay before every answer (default 0). */
	latencyMs?: number;
}

/** One injected answer to a send call. */
export interface FailSpec {
	/** HTTP status (0 with `dropConnection`: nothing is answered). */
	status: number;
	/** Object (sent as JSON) or string (sent as is); default a Meta error for the status. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Wait this long before answering. */
	delayMs?: number;
	/**
	 * Read the request, then close the connection without answering: a send Meta may or may not have
	 * received, as when a connection breaks after the request went out.
	 */
	dropConnection?: boolean;
}

/** What every call to a messages endpoint carries, accepted or not. */
export interface SendCall {
	at: string;
	method: string;
	/** Path without the query string. */
	path: string;
	/** e.g. `v26.0` (null for an unversioned call). */
	version: string | null;
	/** `:accountId` as called (`me` for `/me/messages`). */
	accountId: string;
	channel: GraphChannel | null;
	/** WhatsApp `to` / Instagram `recipient.id` (null for mark-as-read). */
	to: string | null;
	/** Parsed request body (null when it could not be parsed). */
	body: GraphJson | null;
	/** Lower-cased request headers. */
	headers: Record<string, string>;
}

/** A send the sim accepted (HTTP 200). */
export interface SentMessage extends SendCall {
	channel: GraphChannel;
	body: GraphJson;
	/** The `wamid.SIM…` / `m_SIM…` the sim answered with. */
	messageId: string | null;
	/** Human-readable text of the message (body text, button text…), '' if none. */
	text: string;
	/** Every URL in the message (CTA / web_url buttons and URLs in the text). */
	urls: string[];
	/** The JSON answer. */
	response: GraphJson;
}

/** Every call to a messages endpoint, successful or not. */
export interface AttemptRecord extends SendCall {
	/** HTTP status answered (0: none, see `abandoned` and FailSpec.dropConnection). */
	status: number;
	/** The answer body. */
	response: unknown;
	/** True when the answer came from failNext or failWhen. */
	injected: boolean;
	/** The client went away while the call was held (see holdSends): not accepted. */
	abandoned?: boolean;
}

/** Every HTTP request the sim received. */
export interface RequestRecord {
	at: string;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	rawBody: string;
	/** The body parsed as Graph reads it (JSON, or form fields with JSON values): {} when empty or not a POST, null when unreadable. */
	body: GraphJson | null;
	/** HTTP status answered (0 while unanswered, or when the connection was dropped). */
	status: number;
}

export interface MetaErrorInput {
	code: number;
	message: string;
	/** Default OAuthException. */
	type?: string;
	/** sets error_subcode */
	subcode?: number;
	/** sets error_data.details */
	details?: string;
	/** Add error_data.messaging_product = whatsapp (default: when details given). */
	whatsapp?: boolean;
	/** sets is_transient */
	isTransient?: boolean;
	/** sets error_user_title */
	userTitle?: string;
	/** sets error_user_msg */
	userMessage?: string;
	/** sets fbtrace_id (default a random one, as Meta gives each error its own) */
	fbtraceId?: string;
	/** HTTP status (default 400). */
	status?: number;
	headers?: Record<string, string>;
}

/** The body of a Graph API error answer. */
export interface MetaErrorBody {
	error: {
		message: string;
		type: string;
		code: number;
		error_subcode?: number;
		is_transient?: boolean;
		error_user_title?: string;
		error_user_msg?: string;
		error_data?: { messaging_product?: 'whatsapp'; details?: string };
		fbtrace_id: string;
	};
}

/** Each returns a FailSpec for `failNext`. */
export interface GraphErrorPresets {
	/** Any Meta-shaped error. */
	meta: (input: MetaErrorInput) => FailSpec;
	/** 190, HTTP 401. */
	invalidToken: (status?: number) => FailSpec;
	/** 190/463, HTTP 401. */
	expiredToken: (status?: number) => FailSpec;
	/** WhatsApp 130429 (throughput reached). */
	throttled: (status?: number) => FailSpec;
	/** WhatsApp 131047 (re-engagement, >24 h). */
	outsideWindow: (status?: number) => FailSpec;
	/** WhatsApp 131056 (business/consumer pair rate). */
	pairRateLimit: (status?: number) => FailSpec;
	/** Graph code 4. */
	appRateLimit: (status?: number) => FailSpec;
	/** Graph code 17. */
	userRateLimit: (status?: number) => FailSpec;
	/** Graph code 32. */
	pageRateLimit: (status?: number) => FailSpec;
	/** Graph code 613. */
	apiRateLimit: (status?: number) => FailSpec;
	/** HTTP 429 with Retry-After. */
	tooManyRequests: (retryAfterSeconds?: number) => FailSpec;
	/** HTTP 500 (or given 5xx), code 2, transient. */
	serverError: (status?: number) => FailSpec;
	/** Instagram code 10 / 2018278. */
	igOutsideWindow: (status?: number) => FailSpec;
	/** WhatsApp 131009. */
	invalidParameter: (details?: string) => FailSpec;
	/** A non-JSON HTML 502 page (as a proxy in front of Graph gives). */
	badGateway: (status?: number) => FailSpec;
	/** No answer: the request is read, then the connection is closed (see FailSpec.dropConnection). */
	connectionDropped: () => FailSpec;
}

/**
 * A rule asked on every authorised send call. `attempt`: how many earlier calls carried the same body to the
 * same account (0 for the first).
 */
export type FailRule = (call: {
	channel: GraphChannel | null;
	to: string | null;
	accountId: string;
	body: GraphJson | null;
	attempt: number;
}) => FailSpec | undefined;

/** Send calls held before Meta would accept them (a slow network on the way to Meta). */
export interface SendHold {
	/** Calls waiting now. */
	held: () => number;
	/** Until at least n calls wait. */
	waitForHeld: (n: number, options?: { timeoutMs?: number }) => Promise<void>;
	/**
	 * Lets the waiting calls through and stops holding new ones. A call whose client went away while held is
	 * not accepted: its attempt is recorded with status 0 and `abandoned: true`.
	 */
	release: () => void;
}

export interface GraphSim {
	/** `http://127.0.0.1:<port>` */
	url: string;
	port: number;
	stop: () => Promise<void>;
	/** Accepted sends, in order. */
	sent: SentMessage[];
	/** Every call to a messages endpoint (also the failed ones). */
	attempts: AttemptRecord[];
	/** Every HTTP request. */
	requests: RequestRecord[];
	/** Accepted sends to a WhatsApp number (compared as digits) / IGSID. */
	sentTo: (userId: string) => SentMessage[];
	/** Resolves with the matching sends once at least n were accepted (optionally to one user); rejects after timeoutMs (default 5000). */
	waitForSends: (n: number, options?: { timeoutMs?: number; intervalMs?: number; to?: string }) => Promise<SentMessage[]>;
	/** Queue `spec` as the answer to the next `count` (default 1) send calls. */
	failNext: (spec: FailSpec, count?: number) => void;
	/** A rule asked on every authorised send call (after failNext); its FailSpec is the answer, undefined lets the call through. null removes it. */
	failWhen: (rule: FailRule | null) => void;
	/** From now on, send calls wait before they are looked at (see SendHold). */
	holdSends: () => SendHold;
	pendingFailures: () => number;
	errors: GraphErrorPresets;
	setLatency: (ms: number) => void;
	addAccessToken: (token: string) => void;
	/** A revoked token gets the 401/190 answer from then on. */
	revokeAccessToken: (token: string) => void;
	/** Mutable list of known numbers. */
	whatsappNumbers: WhatsAppNumber[];
	/** Mutable list of known IG accounts. */
	instagramAccounts: InstagramAccount[];
	/** Clears sent, attempts, requests and queued failures. */
	reset: () => void;
	/**
	 * Calls `listener` with every send from now on, right after it is accepted (the sandbox's chat page streams
	 * them); returns the unsubscribe function.
	 */
	onSend: (listener: (send: SentMessage) => void) => () => void;
}
