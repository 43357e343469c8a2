// @ts-check
'use strict';
/**
 * Customers and what the template answers them, counted only at the simulators (never by node names, so
 * the template may change underneath): a DM goes in as a signed Meta webhook; the link button and the
 * payment confirmation come out as sends the Graph simulator recorded.
 */
const { sleep } = require('./util');

/** Texts the LLM simulator reads as an order of the Deluxe room (a one-off payment). */
const ORDER_TEXTS = [
	'I want to book the Deluxe Suite for June 15-17',
	'hello, can I book the deluxe room from June 15 to June 17?',
	'Book the deluxe room June 15-17 please',
	'Hi! I want to book the Deluxe Suite for June 15-17',
];

/** Distinct customer ids per run, so each DM is its own conversation. */
function customer(/** @type {'whatsapp' | 'instagram'} */ channel, /** @type {number} */ runTag, /** @type {number} */ n) {
	const tail = `${runTag}${String(n).padStart(6, '0')}`;
	return channel === 'whatsapp' ? `4915${tail}` : `7000${tail}`;
}

/**
 * Sends one DM like Meta: a non-2xx answer or a network error is retried (up to `retries` more times,
 * 1 s apart), as Meta retries failed deliveries. Never throws.
 * @param {any} sb
 * @param {'whatsapp' | 'instagram'} channel
 * @param {string} user
 * @param {string} text
 * @param {{ retries?: number }} [o]
 */
async function sendDm(sb, channel, user, text, o = {}) {
	const sentAt = Date.now();
	/** @type {number | null} */
	let status = null;
	let attempts = 0;
	/** @type {string | undefined} */
	let messageId;
	for (let i = 0; i <= (o.retries ?? 3); i++) {
		attempts += 1;
		try {
			// The same message id on a retry: that is what Meta redelivers.
			const r = await sb.customerSays(channel, text, { from: user, ...(messageId ? { messageId } : {}) });
			messageId = r.messageId;
			status = r.status;
			if (status >= 200 && status < 300) break;
		} catch {
			status = null;
		}
		await sleep(1000);
	}
	return { channel, user, sentAt, status, attempts, messageId };
}

/**
 * Reads graph.sent incrementally and keeps, per user, the times of link sends, confirmations and other
 * replies (ask-back, apology).
 */
class Outcomes {
	/** @param {any} graph */
	constructor(graph) {
		this.graph = graph;
		this.offset = 0;
		/** @type {Map<string, { links: number[], sessions: string[], confirmations: number[], other: number }>} */
		this.byUser = new Map();
	}

	/** @param {string} user */
	of(user) {
		let u = this.byUser.get(user);
		if (!u) {
			u = { links: [], sessions: [], confirmations: [], other: 0 };
			this.byUser.set(user, u);
		}
		return u;
	}

	update() {
		const sent = this.graph.sent;
		for (; this.offset < sent.length; this.offset++) {
			const s = sent[this.offset];
			if (!s.to) continue; // mark-as-read and the like
			const u = this.of(String(s.to).replace(/\D/g, '') || String(s.to));
			const at = Date.parse(s.at);
			const pay = (s.urls ?? []).find((/** @type {string} */ url) => url.includes('/pay/'));
			if (pay) {
				u.links.push(at);
				u.sessions.push(pay.slice(pay.lastIndexOf('/') + 1));
			} else if (String(s.text ?? '').includes('Payment received')) u.confirmations.push(at);
			else u.other += 1;
		}
		return this;
	}

	/** @param {string} user */
	get(user) {
		return this.byUser.get(user.replace(/\D/g, '') || user) ?? { links: [], sessions: [], confirmations: [], other: 0 };
	}

	/**
	 * How many of `users` have at least one link / confirmation, and how many more than one.
	 * @param {string[]} users
	 */
	tally(users) {
		this.update();
		let linked = 0;
		let linkDuplicates = 0;
		let confirmed = 0;
		let confirmationDuplicates = 0;
		let otherReplies = 0;
		let lastLinkAt = 0;
		let lastConfirmationAt = 0;
		for (const user of users) {
			const u = this.get(user);
			if (u.links.length > 0) linked += 1;
			linkDuplicates += Math.max(0, u.links.length - 1);
			if (u.confirmations.length > 0) confirmed += 1;
			confirmationDuplicates += Math.max(0, u.confirmations.length - 1);
			otherReplies += u.other;
			if (u.links.length) lastLinkAt = Math.max(lastLinkAt, u.links[0]);
			if (u.confirmations.length) lastConfirmationAt = Math.max(lastConfirmationAt, u.confirmations[0]);
		}
		return { linked, linkDuplicates, confirmed, confirmationDuplicates, otherReplies, lastLinkAt, lastConfirmationAt };
	}
}

module.exports = { ORDER_TEXTS, customer, sendDm, Outcomes };
