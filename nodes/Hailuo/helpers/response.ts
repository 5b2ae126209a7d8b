import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import { apiError, withoutKey } from '../../gmi/errors';
import { CREDENTIAL_TYPE, sentKey } from '../../gmi/transport';
import { unreadableAnswer } from './jobRun';

/**
 * First postReceive of the routed Model operations (the routing runs with `ignoreHttpStatusErrors`), so an
 * API error becomes one clear message dug out of GMI's nested error bodies.
 */
export async function checkApiResponse(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	// A gateway may echo the Authorization header into its answer: the key goes no further than here.
	const received = response.body;
	response.body = withoutKey(received, sentKey(await this.getCredentials(CREDENTIAL_TYPE)));
	if (response.body !== received && typeof response.body === 'object' && response.body !== null) items = [{ json: response.body as IDataObject }];
	const { statusCode, body } = response;
	if (statusCode >= 400) {
		throw apiError(this.getNode(), statusCode, body, this.getItemIndex());
	}
	const text = typeof body === 'string' ? body.trim() : undefined;
	if (body === undefined || body === null || text !== undefined) {
		let parsed: unknown;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = undefined;
		}
		if (parsed === undefined || typeof parsed !== 'object') {
			throw unreadableAnswer(this.getNode(), this.getItemIndex(), statusCode, text ?? '');
		}
		return [{ json: parsed as INodeExecutionData['json'] }];
	}
	return items;
}
