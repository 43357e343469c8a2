import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IExecuteFunctions } from 'n8n-workflow';

import { ChatCheckoutWhatsAppApi } from '../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { credentialProbe } from '../support/credentialProbe';
import { executeNode } from '../support/n8n';

const probe = credentialProbe('chatCheckoutWhatsAppApi', async function (this: IExecuteFunctions) {
	const creds = await this.getCredentials('chatCheckoutWhatsAppApi');
	const body = await this.helpers.httpRequestWithAuthentication.call(this, 'chatCheckoutWhatsAppApi', {
		method: 'POST',
		url: `${creds.baseUrl}/x`,
		body: { a: 1 },
		json: true,
	});
	return [[{ json: body }]];
});

test('harness: httpRequestWithAuthentication reaches a loopback server with the credential header', async () => {
	const seen: { auth?: string; body?: string } = {};
	const server = http.createServer((req, res) => {
		let data = '';
		req.on('data', (c) => (data += c));
		req.on('end', () => {
			seen.auth = req.headers.authorization;
			seen.body = data;
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ ok: true }));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as AddressInfo).port;
	try {
		const out = await executeNode({
			nodeType: probe,
			parameters: {},
			credentials: { chatCheckoutWhatsAppApi: { accessToken: 'tok', baseUrl: `http://127.0.0.1:${port}` } },
			credentialTypes: [new ChatCheckoutWhatsAppApi()],
			items: [{ json: {} }],
		});
		expect(out[0][0].json).toEqual({ ok: true });
		expect(seen.auth).toBe('Bearer tok');
		expect(JSON.parse(seen.body!)).toEqual({ a: 1 });
	} finally {
		server.close();
	}
});
