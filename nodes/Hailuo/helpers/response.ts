import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiError, withoutKey } from '../../gmi/errors';
import { jobOfItem, withOtherJobs } from './runJobs';
import { CREDENTIAL_TYPE, sentKey } from '../../gmi/transport';

/**
 * First postReceive of every operation (the routing runs with `ignoreHttpStatusErrors`), so an
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
		const submitting = this.getNodeParameter('operation', '') === 'submit';
		const resumed = jobOfItem(this);
		const context = resumed?.resumed
			? statusCode === 404
				? `Request ${resumed.requestId} is gone (it may have been deleted, or belong to another organization)`
				: `Request ${resumed.requestId}`
			: submitting && statusCode >= 500
				? 'Submit answered with a server error (the job may still have been created: check Video → List)'
				: undefined;
		throw withOtherJobs(
			this,
			apiError(
				this.getNode(),
				statusCode,
				body,
				this.getItemIndex(),
				context,
			),
		);
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
			throw withOtherJobs(this, new NodeApiError(this.getNode(), { statusCode, body: text ?? '' }, {
				message: text ? 'GMI answered with a body that is not valid JSON' : 'GMI answered with an empty body',
				description: `HTTP ${statusCode}. This is usually temporary: retry, or enable "Retry On Fail" in the node settings.`,
				httpCode: String(statusCode),
				itemIndex: this.getItemIndex(),
			}));
		}
		return [{ json: parsed as INodeExecutionData['json'] }];
	}
	return items;
}
