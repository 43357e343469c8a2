/** The Graph API simulator (WhatsApp Cloud API and Instagram Messaging on 127.0.0.1): its public API. */
export { startGraphSim } from './server';
export { graphErrors, metaErrorBody } from './errors';
export { DEFAULT_API_VERSION } from './state';
export type {
	AttemptRecord,
	FailRule,
	FailSpec,
	GraphChannel,
	GraphErrorPresets,
	GraphJson,
	GraphSim,
	GraphSimOptions,
	InstagramAccount,
	MetaErrorBody,
	MetaErrorInput,
	RequestRecord,
	SendCall,
	SendHold,
	SentMessage,
	WhatsAppNumber,
} from './types';
