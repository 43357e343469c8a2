/**
 * The sandbox's OpenAI-compatible chat model (simulator.ts) and how it reads an order from chat text
 * (orderReading.ts): the public API, one import for tests, the harness and `npm start`.
 */
export { startLlmSim } from './simulator';
export { shapeToSchema } from './answerSchema';
export { readInjections } from './gullible';
export { readChatOrder, readPromptContext, WRAP_NIGHTS } from './orderReading';
export type { CatalogItem, ChatOrderAnswer, DateAtom, DateMatch, Intent, PromptContext, Token, Ymd } from './orderReading';
export type { LlmAnswerRecord, LlmFailSpec, LlmRequestRecord, LlmSim, LlmSimOptions } from './types';
