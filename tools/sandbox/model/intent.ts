/**
 * Intent, first match wins:
 *  subscription — cancel/stop/change/update/pause… + subscription/membership/billing/"my plan"/"my card", or
 *                 "unsubscribe" ("cancel my subscription", "change my plan", "update my card");
 *  human        — talk/speak/chat/connect to a human/person/agent/someone…, "a real person", "customer service";
 *  status       — where/did/has/have/when/track … my order/payment/booking…, "order status", "is my booking
 *                 confirmed", "did my payment go through";
 *  cancel       — "cancel" (also "cancel my order"), "never mind", "forget it", "scratch that", "no thanks",
 *                 "changed my mind", "don't want it anymore", "cancelar", "olvídalo"; but with "instead"/"rather"
 *                 and something new to order it is an order (a change);
 *  order        — any field read (product — even one too unclear to name —, quantity, nights, a date, email), or book/reserve/buy/order/purchase/
 *                 subscribe/sign up/quiero/reservar/comprar; a question (what/how/is…, or "?") that gives no
 *                 quantity, nights, date or email and has no such verb is `other` even if it names a product
 *                 ("how much is the pro plan?");
 *  greeting     — nothing but hello/hi/thanks/ok/yes/bye/good morning/how are you/hola/gracias…;
 *  other        — the rest (an empty or emoji-only message too).
 */
import type { Intent, ModelReading } from '../../../nodes/shared/order/modelReading';

const SUBSCRIPTION_RES = [
	/\bunsubscribe\b|\bdarme de baja\b|\bcancelar (?:mi |la )?suscripcion\b/,
	/\b(?:cancel|stop|end|terminate|pause|resume|change|switch|upgrade|downgrade|update|modify|manage|renew)\b[^.?!]*\b(?:subscription|membership|billing|recurring|my (?:current )?plan|my (?:credit |debit )?card|payment (?:method|details|card|info))\b/,
	/\b(?:my|the) (?:subscription|membership)\b[^.?!]*\b(?:cancel|stop|end|change|update|pause)/,
];
const HUMAN_RES = [
	/\b(?:talk|speak|chat|connect|transfer|put me through|get me|contact)\b[^.?!]{0,30}\b(?:human|person|agent|someone|somebody|representative|operator|staff|manager|people|real)\b/,
	/\b(?:a human|real person|live agent|live person|customer service|customer support|representative)\b/,
	/\bhablar con (?:una persona|un humano|alguien|un agente)\b/,
];
const STATUS_RES = [
	/\b(?:where|status|track|tracking|did|has|have|when)\b[^.?!]*\b(?:my|our)\s+(?:order|payment|booking|reservation|purchase|receipt|confirmation|invoice|refund|money)\b/,
	/\b(?:my|the|our)\s+(?:order|payment|booking|reservation|purchase)\b[^.?!]*\b(?:go through|went through|gone through|confirmed|arrive|status|received|processed|succeed|work)/,
	/\b(?:order|payment|booking) status\b|\bdid (?:it|the payment) (?:go through|work)\b/,
];
const CANCEL_RE = /\b(?:cancel|cancelled|canceled|never ?mind|forget (?:it|about it|that|the order)|scratch that|scrap that|no thanks?|no thank you|changed my mind|(?:do not|don'?t) want (?:it|that|this)|no longer want|abort|cancelar|olvidalo|dejalo)\b/;
const ORDER_VERB_RE = /\b(?:book|booking|reserve|reservation|buy|purchase|order|subscribe|sign (?:me )?up|quiero|reservar|comprar)\b/;
const QUESTION_RE = /\?|^\s*(?:what|how|is|are|do|does|can|could|which|why|who|when|where|que|como|cuanto|cuanta)\b/;
const GREETING_PHRASES =
	/\b(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day|night)|thanks?|thank (?:you|u)|thx|ty|cheers|ok|okay|k|cool|great|perfect|nice|awesome|lovely|yes|yeah|yep|sure|bye|goodbye|see (?:you|ya)|how are (?:you|things)|how'?s it going|what'?s up|sup|hola|buenos dias|buenas (?:tardes|noches)|buenas|gracias|muchas|adios|there|again|so much|very much|a lot|everyone|all|guys|team|folks)\b/g;

/** What the other readers found in the same text. */
export type FieldsRead = Pick<ModelReading, 'quantity' | 'nights' | 'checkIn' | 'checkOut' | 'email'> & { productMentioned: boolean };

/** @param s  normalized text, e-mail removed */
export function readIntent(s: string, fields: FieldsRead): Intent {
	if (SUBSCRIPTION_RES.some((re) => re.test(s))) return 'subscription';
	if (HUMAN_RES.some((re) => re.test(s))) return 'human';
	if (STATUS_RES.some((re) => re.test(s))) return 'status';
	const details = fields.quantity !== null || fields.nights !== null || fields.checkIn !== null || fields.checkOut !== null || fields.email !== null;
	if (CANCEL_RE.test(s) && !(/\b(?:instead|rather)\b/.test(s) && (details || fields.productMentioned))) return 'cancel';
	if (details || ORDER_VERB_RE.test(s)) return 'order';
	if (fields.productMentioned) return QUESTION_RE.test(s) ? 'other' : 'order';
	if (/[a-z]/.test(s) && !s.replace(GREETING_PHRASES, ' ').replace(/[^a-z0-9]+/g, '')) return 'greeting';
	return 'other';
}
