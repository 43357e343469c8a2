/**
 * Meta's documented limits for the messages Send Chat Message builds, checked before anything is sent so that
 * the operator sees which field is wrong instead of a Graph error code. Character limits count Unicode code
 * points (an emoji is one); Instagram's text limit is in UTF-8 bytes, as Meta documents it.
 */
export const LIMITS = {
	whatsapp: {
		/** `text.body` of a plain text message. */
		textBody: 4096,
		/** `interactive.body.text` of reply-button and CTA-URL messages. */
		interactiveBody: 1024,
		/** `interactive.action.parameters.display_text` of a CTA-URL button. */
		ctaDisplayText: 20,
		/** `reply.title` of a reply button. */
		replyButtonTitle: 20,
		/** `reply.id` of a reply button. */
		replyButtonId: 256,
		/** Reply buttons per message. */
		maxReplyButtons: 3,
		/**
		 * Body parameters we accept per template. Meta checks the exact count against the approved template
		 * (error 132000); 20 is our own ceiling: a 1024-character template body holds no more in practice.
		 */
		maxTemplateParameters: 20,
		/** A body parameter can never be longer than the 1024-character template body it is placed in. */
		templateParameterText: 1024,
	},
	instagram: {
		/** `message.text`, in UTF-8 bytes. */
		textBytes: 1000,
		/** `payload.text` of a button template. */
		buttonTemplateText: 640,
		/** `title` of a button-template button. */
		buttonTitle: 20,
		/** `title` of a quick reply (Meta truncates longer ones; we refuse them). */
		quickReplyTitle: 20,
		/** `payload` of a quick reply. */
		quickReplyPayload: 1000,
		/** Meta allows 13 quick replies; this node offers 1–3, the same as WhatsApp reply buttons. */
		maxQuickReplies: 3,
	},
} as const;

/** Length in Unicode code points (what a person counts as characters; an emoji is one). */
export function charCount(value: string): number {
	return Array.from(value).length;
}

const encoder = new TextEncoder();

/** Length in UTF-8 bytes. */
export function utf8Bytes(value: string): number {
	return encoder.encode(value).length;
}
