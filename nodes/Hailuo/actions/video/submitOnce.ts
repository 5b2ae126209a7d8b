import type { DeclarativeRestApiSettings, IExecutePaginationFunctions, IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PATHS } from '../../../gmi/api';
import { quoteAnswer } from '../../../gmi/errors';
import { jobOfItem, rememberJob, withOtherJobs } from '../../helpers/runJobs';

const endedBadly = (status: string) => status === 'failed' || status === 'cancelled';

/**
 * Last preSend of Submit. When n8n retries the node (Retry On Fail), an item whose job GMI
 * already accepted in an earlier try asks for that job instead of submitting it again, so a
 * retry never pays twice; only a job that failed or was cancelled at GMI is submitted anew.
 */
export async function resumeAcceptedJob(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const job = jobOfItem(this);
	if (!job || endedBadly(job.status)) return requestOptions;
	if (!job.requestId) {
		throw new NodeOperationError(this.getNode(), 'Not submitting this item again: an earlier try’s submit was accepted by GMI without a request ID', {
			itemIndex: this.getItemIndex(),
			description: 'That job may be rendering (and billed). Find it with Video → List before submitting the item again.',
		});
	}
	job.resumed = true;
	this.logger.info(`Hailuo: resuming video request ${job.requestId} instead of submitting it again`, {
		requestId: job.requestId,
		executionId: this.getExecutionId(),
		itemIndex: this.getItemIndex(),
	});
	return { ...requestOptions, method: 'GET', url: PATHS.request(job.requestId), body: undefined, qs: {} };
}

/**
 * postReceive of Submit, right after the answer is checked: the run books the accepted job (for
 * retries and for the errors of a stop-on-fail run). An answer that names no job is refused.
 */
export async function rememberAcceptedJob(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	for (const { json } of items) {
		if (typeof json.request_id === 'string' && json.request_id.trim()) {
			rememberJob(this, json);
			continue;
		}
		rememberJob(this, { status: 'accepted without a request ID' });
		throw withOtherJobs(
			this,
			new NodeOperationError(this.getNode(), `GMI accepted the submit but named no job (no request_id) in its answer: ${quoteAnswer(json)}`, {
				itemIndex: this.getItemIndex(),
				description: 'The job may still have been created, and billed: look for it with Video → List before submitting again.',
			}),
		);
	}
	return items;
}

/**
 * Submit's request, run through n8n's one hook around a declarative request (a "pagination"
 * function, though Submit has one page): when the connection breaks before GMI answers, the
 * error is n8n's own, and in a stop-on-fail run it must carry the run's other jobs as well.
 */
export async function submitWithOtherJobsOnError(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	try {
		return await this.makeRoutingRequest(requestData);
	} catch (error) {
		throw withOtherJobs(this, error as Error);
	}
}
