import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { GmiCloudApi } from '../../credentials/GmiCloudApi.credentials';
import { nodeTypes } from '../helpers/engine';
import { API_KEY, useSimulator } from '../helpers/fixtures';

const credential = new GmiCloudApi();
const gmi = useSimulator();

const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes });
const node: INode = { id: 't', name: 'Test', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
const resolve = (value: string, credentials: ICredentialDataDecryptedObject) =>
	String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, ''));

/** What n8n's credential tester does: resolve the test request, apply `authenticate`, check the rules. */
async function testCredential(credentials: ICredentialDataDecryptedObject): Promise<{ ok: boolean; message?: string; headers: Record<string, string> }> {
	const { request, rules } = credential.test;
	const options: IHttpRequestOptions = { url: request.url ?? '', baseURL: resolve(request.baseURL ?? '', credentials), headers: {} };
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(credential.authenticate.properties.headers ?? {})) headers[key] = resolve(String(value), credentials);
	const response = await fetch(`${options.baseURL}${options.url}`, { headers });
	for (const rule of rules ?? []) {
		if (rule.type === 'responseCode' && rule.properties.value === response.status) return { ok: false, message: rule.properties.message, headers };
	}
	return { ok: response.ok, headers };
}

describe('GMI Cloud API credential', () => {
	test('is an API key (password field), an optional organization and a base URL defaulting to GMI', () => {
		expect(credential.name).toBe('gmiCloudApi');
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.apiKey.typeOptions?.password).toBe(true);
		expect(byName.organizationId.default).toBe('');
		expect(byName.baseUrl.default).toBe('https://console.gmicloud.ai');
	});

	test('its test request lists the models with the Bearer key', async () => {
		const result = await testCredential({ apiKey: API_KEY, baseUrl: gmi.sim.url });
		expect(result.ok).toBe(true);
		expect(gmi.sim.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/ie/requestqueue/apikey/models' });
		expect(gmi.sim.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	test('a base URL with a trailing slash and a key pasted as "Bearer …" still work', async () => {
		const result = await testCredential({ apiKey: ` Bearer ${API_KEY} `, baseUrl: `${gmi.sim.url}/` });
		expect(result.ok).toBe(true);
		expect(result.headers.Authorization).toBe(`Bearer ${API_KEY}`);
	});

	test('a rejected key reads "API key rejected"', async () => {
		const result = await testCredential({ apiKey: 'wrong', baseUrl: gmi.sim.url });
		expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^API key rejected/) });
	});

	test('a 403 reads "API key rejected" too', async () => {
		const server: Server = createServer((_req, res) => res.writeHead(403).end('{"error":"forbidden"}'));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		const result = await testCredential({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}` });
		server.close();
		expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^API key rejected/) });
	});
});
