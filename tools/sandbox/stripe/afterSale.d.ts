// Generated from stripe-sim-aftersale.js's JSDoc by test/sandbox/gen-types.js — edit the JSDoc, not this file.
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * What stripe-sim.js shares with its after-sale part.
 */
export type AfterSaleCore = {
    nowSec: () => number;
    baseUrl: () => string;
    accountName: string;
    createEvent: (type: string, object: Record<string, any>, ctx?: {
        requestId?: string | null;
        idempotencyKey?: string | null;
        previousAttributes?: Record<string, any>;
    }) => import("./index").EventRecord;
    deliverAll: (records: import("./index").EventRecord[], opts?: import("./index").DeliveryOptions) => Promise<void>;
    invalid: (param: string, message: string, code?: string, status?: number) => Error;
    missingParam: (param: string) => Error;
    formatAmount: (amount: number, currency: string) => string;
    /**
     * Decimal places of the currency's minor unit (0, 2 or 3).
     */
    currencyDigits: (currency: string) => number;
    addPrice: (spec: import("./index").PriceSpec) => Record<string, any>;
    cancelSubscription: (subscriptionId: string, opts?: import("./index").DeliveryOptions) => Promise<import("./index").ActionResult>;
    publicSession: (sessionId: string) => Record<string, any> | null;
    sessions: Map<string, Record<string, any>>;
    subscriptions: Map<string, Record<string, any>>;
    paymentIntents: Map<string, Record<string, any>>;
    customers: Map<string, Record<string, any>>;
    prices: Map<string, Record<string, any>>;
    products: Map<string, Record<string, any>>;
};
export type RefundResult = import("./index").ActionResult & {
    refund: Record<string, any>;
};
/** @param {AfterSaleCore} core @param {{ portalConfigured?: boolean }} [options] */
export function createAfterSale(core: AfterSaleCore, options?: {
    portalConfigured?: boolean;
}): {
    portalSessions: Map<string, Record<string, any>>;
    charges: Map<string, Record<string, any>>;
    refunds: Map<string, Record<string, any>>;
    route: (method: string, segs: string[], params: Record<string, any>, ctx: {
        baseUrl: string;
        requestId: string;
        idempotencyKey: string | null;
    }) => Promise<{
        status: number;
        body: unknown;
    } | undefined>;
    handlePortalPage: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, segs: string[]) => Promise<void>;
    refundHtml: (s: Record<string, any>) => string;
    amountFromForm: (body: string, currency: string) => number | undefined;
    refund: (sessionId: string, opts?: import("./index").DeliveryOptions & {
        amount?: number;
        reason?: string;
    }) => Promise<RefundResult>;
    portalCancel: (subId: string, opts?: import("./index").DeliveryOptions & {
        atPeriodEnd?: boolean;
    }) => Promise<import("./index").ActionResult>;
    portalKeepSubscription: (subId: string, opts?: import("./index").DeliveryOptions) => Promise<import("./index").ActionResult>;
    portalChangePlan: (subId: string, priceId: string, opts?: import("./index").DeliveryOptions) => Promise<import("./index").ActionResult>;
    portalUpdateCard: (customerId: string, opts?: import("./index").DeliveryOptions) => Promise<import("./index").ActionResult>;
    /** @param {boolean} configured */
    setPortalConfigured: (configured: boolean) => void;
    /** @param {import('./index').PriceSpec[]} specs */
    setPortalPlans: (specs: import("./index").PriceSpec[]) => any[];
    reset: () => void;
};
/** The id of the portal configuration Stripe makes when its settings are saved once. */
export const DEFAULT_PORTAL_CONFIGURATION: "bpc_1SIMdefaultportal";
