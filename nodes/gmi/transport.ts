import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { API_BASE_PATH, DEFAULT_BASE_URL } from './api';
import { withoutKey } from './errors';

/** Operations (custom or routed), editor pickers and the trigger's polls all reach GMI through `gmiRequest`. */
export type GmiContext = IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/** What runs an operation: n8n's custom operation (every item) or RoutingNode (one item, an AI agent's tool call). */
export type RunContext = IExecuteFunctions | IExecuteSingleFunctions;

export const CREDENTIAL_TYPE = 'gmiCloudApi';

/** `baseURL` of every API call, from the credential (trailing slashes removed). */
export const BASE_URL_EXPRESSION = `={{ String($credentials.baseUrl || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}${API_BASE_PATH}`;

/** Sent only when the credential has one: an empty X-Organization-ID would select no organization. */
export const ORGANIZATION_HEADER_EXPRESSION = '={{ $credentials.organizationId ? String($credentials.organizationId).trim() : undefined }}';

export async function apiBaseUrl(this: GmiContext): Promise<{ baseURL: string; headers: IDataObject }> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const base = String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
	const organizationId = String(credentials.organizationId ?? '').trim();
	return {
		baseURL: `${base}${API_BASE_PATH}`,
		headers: organizationId ? { 'X-Organization-ID': organizationId } : {},
	};
}

/**
 * The one authenticated call to GMI made outside the routing (polls, uploads, pickers).
 * It never throws on an HTTP status: callers decide what is transient and what is final.
 */
export async function gmiRequest(
	this: GmiContext,
	method: IHttpRequestMethods,
	url: string,
	options: Pick<IHttpRequestOptions, 'body' | 'qs' | 'timeout' | 'abortSignal'> = {},
): Promise<IN8nHttpFullResponse> {
	const { baseURL, headers } = await apiBaseUrl.call(this);
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
		method,
		baseURL,
		url,
		headers,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...options,
	})) as IN8nHttpFullResponse;
	return { ...response, body: withoutKey(response.body, sentKey(await this.getCredentials(CREDENTIAL_TYPE))) };
}

/** The key as the credential sends it: trimmed, a pasted "Bearer " prefix removed. */
export const sentKey = (credentials: ICredentialDataDecryptedObject): string =>
	String(credentials.apiKey ?? '').trim().replace(/^Bearer\s+/i, '');

/** A response body as JSON: parsed when it came as text, undefined for text that is no JSON. */
export function jsonBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}
