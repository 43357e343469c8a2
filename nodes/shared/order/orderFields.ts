/**
 * What a customer's order says, field by field: what the model reads from a message (modelReading.ts), what the
 * pending order keeps between messages (pendingOrder.ts) and the answer format the model is shown (prompt.ts).
 */
export interface OrderFields {
	productKey: string | null;
	/** As stated, even when not allowed (0, -3, 2.5, 1000000): it is refused out loud, never dropped. */
	quantity: number | null;
	nights: number | null;
	checkIn: string | null;
	checkOut: string | null;
	email: string | null;
}

export const NO_ORDER_FIELDS: OrderFields = Object.freeze({
	productKey: null,
	quantity: null,
	nights: null,
	checkIn: null,
	checkOut: null,
	email: null,
});
