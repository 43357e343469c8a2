// Generated from meta-webhooks.js's JSDoc by test/sandbox/gen-types.js — edit the JSDoc, not this file.
/**
 * One line of a WhatsApp catalog cart.
 */
export type CartItemSpec = {
    /**
     * The product's retailer ID in the catalog (product_retailer_id).
     */
    retailerId: string;
    quantity: number | string;
    /**
     * item_price as Meta sends it (default 1): informative only, never charged.
     */
    price?: string | number | undefined;
    /**
     * Default USD.
     */
    currency?: string | undefined;
};
export type CartMessageSpec = {
    /**
     * The customer's WhatsApp ID.
     */
    from: string;
    messageId: string;
    items: CartItemSpec[];
    /**
     * The business number the cart was sent to.
     */
    phoneNumberId: string;
    /**
     * The customer's note with the cart.
     */
    text?: string | undefined;
    /**
     * Profile name (default Ada).
     */
    name?: string | undefined;
    /**
     * Default 1023456789012345.
     */
    catalogId?: string | undefined;
    /**
     * Default now.
     */
    timestampSeconds?: number | undefined;
};
export type EditSpec = {
    /**
     * The customer's Instagram-scoped ID.
     */
    from: string;
    /**
     * The mid of the message the customer edited.
     */
    messageId: string;
    /**
     * The new text.
     */
    text: string;
    /**
     * 1 for the first edit of that message, 2 for the second … (Meta allows 5).
     */
    numEdit: number;
    /**
     * The Instagram professional account.
     */
    accountId: string;
    /**
     * Default now.
     */
    timestampMs?: number | undefined;
};
/**
 * Meta webhook bodies the sandbox plays customers (and Meta) with, shaped as Meta sends them: a cart from the
 * business's WhatsApp catalog (message type `order`), an edited Instagram DM (`message_edit`), and the samples
 * the App Dashboard's "Test" button posts. Pure functions: the harness (test/e2e/harness/sandbox.js) signs
 * and posts them to the triggers.
 */
/**
 * @typedef {object} CartItemSpec  One line of a WhatsApp catalog cart.
 * @property {string} retailerId             The product's retailer ID in the catalog (product_retailer_id).
 * @property {number | string} quantity
 * @property {number | string} [price]       item_price as Meta sends it (default 1): informative only, never charged.
 * @property {string} [currency]             Default USD.
 */
/**
 * @typedef {object} CartMessageSpec
 * @property {string} from                   The customer's WhatsApp ID.
 * @property {string} messageId
 * @property {CartItemSpec[]} items
 * @property {string} phoneNumberId          The business number the cart was sent to.
 * @property {string} [text]                 The customer's note with the cart.
 * @property {string} [name]                 Profile name (default Ada).
 * @property {string} [catalogId]            Default 1023456789012345.
 * @property {number} [timestampSeconds]     Default now.
 */
/**
 * A WhatsApp cart (inbound message type `order`) as Meta's webhook delivers it.
 * @param {CartMessageSpec} m
 */
export function whatsAppCartBody(m: CartMessageSpec): {
    object: string;
    entry: {
        id: string;
        changes: {
            field: string;
            value: {
                messaging_product: string;
                metadata: {
                    display_phone_number: string;
                    phone_number_id: string;
                };
                contacts: {
                    profile: {
                        name: string;
                    };
                    wa_id: string;
                }[];
                messages: {
                    from: string;
                    id: string;
                    timestamp: string;
                    type: string;
                    order: {
                        product_items: {
                            product_retailer_id: string;
                            quantity: string | number;
                            item_price: string | number;
                            currency: string;
                        }[];
                        text?: string | undefined;
                        catalog_id: string;
                    };
                }[];
            };
        }[];
    }[];
};
/**
 * @typedef {object} EditSpec
 * @property {string} from                   The customer's Instagram-scoped ID.
 * @property {string} messageId              The mid of the message the customer edited.
 * @property {string} text                   The new text.
 * @property {number} numEdit                1 for the first edit of that message, 2 for the second … (Meta allows 5).
 * @property {string} accountId              The Instagram professional account.
 * @property {number} [timestampMs]          Default now.
 */
/**
 * An edited Instagram DM (webhook field `message_edit`) as Meta delivers it.
 * @param {EditSpec} m
 */
export function instagramEditBody(m: EditSpec): {
    object: string;
    entry: {
        id: string;
        time: number;
        messaging: {
            sender: {
                id: string;
            };
            recipient: {
                id: string;
            };
            timestamp: number;
            message_edit: {
                mid: string;
                text: string;
                num_edit: number;
            };
        }[];
    }[];
};
/**
 * What the App Dashboard's "Test" button posts for the "messages" field: Meta's fixed sample, entry id "0".
 * @param {'whatsapp' | 'instagram'} channel
 */
export function dashboardTestBody(channel: "whatsapp" | "instagram"): {
    object: string;
    entry: {
        id: string;
        changes: {
            field: string;
            value: {
                messaging_product: string;
                metadata: {
                    display_phone_number: string;
                    phone_number_id: string;
                };
                contacts: {
                    profile: {
                        name: string;
                    };
                    wa_id: string;
                }[];
                messages: {
                    from: string;
                    id: string;
                    timestamp: string;
                    type: string;
                    text: {
                        body: string;
                    };
                }[];
            };
        }[];
    }[];
} | {
    object: string;
    entry: {
        id: string;
        time: number;
        changes: {
            field: string;
            value: {
                sender: {
                    id: string;
                };
                recipient: {
                    id: string;
                };
                timestamp: string;
                message: {
                    mid: string;
                    text: string;
                };
            };
        }[];
    }[];
};
