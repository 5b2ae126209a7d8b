import type { IExecuteFunctions, IExecutePaginationFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { PATHS } from '../../../gmi/api';
import { politely } from '../../../gmi/concurrency';
import { apiError, redactUrlsIn } from '../../../gmi/errors';
import { isRecord, type JobRecord } from '../../../gmi/records';
import { gmiRequest, jsonBody, type RunContext } from '../../../gmi/transport';
import { FIELDS, simplifyField, waitFields } from '../../descriptions/fields';
import { readDownloadField } from '../../helpers/download';
import { emptyExpressionCheck } from '../../helpers/expressions';
import { type ItemInput, itemsOf, singleItem } from '../../helpers/itemInput';
import { JobBook } from '../../helpers/jobBook';
import { type AfterSubmit, asItemError, checkEach, finishRun, followJob, isItemError, type ItemResult, refuseRun, unreadableAnswer } from '../../helpers/jobRun';
import { checkId, failer } from '../../helpers/validation';
import { hasStatus, readWaitSettings, statuslessAnswer } from '../../helpers/wait';

export const getStatusFields: INodeProperties[] = [
	{
		displayName: FIELDS.requestId.displayName,
		name: FIELDS.requestId.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: '6fb2b474-2f5c-4c1e-9a51-3c1d0e0b8a11',
		description: 'The request_id that Submit returned',
		displayOptions: { show: { resource: ['video'], operation: ['getStatus'] } },
	},
	simplifyField('getStatus'),
	...waitFields('getStatus'),
];

interface StatusQuery {
	item: ItemInput;
	requestId: string;
	after: AfterSubmit;
}

/** Every item's request id and wait settings, checked before the first request; a request id is one path segment. */
function readQuery(ctx: RunContext, item: ItemInput, refuseEmptyExpressions: (item: ItemInput) => void): StatusQuery {
	const node = ctx.getNode();
	refuseEmptyExpressions(item);
	const requestId = checkId(failer(node, item.index), FIELDS.requestId, item.param(FIELDS.requestId.name, ''));
	const wait = readWaitSettings(node, item);
	return { item, requestId, after: { wait, download: wait ? readDownloadField(item) : undefined, simplify: item.param(FIELDS.simplify.name, true) !== false } };
}

/** One `GET /requests/{id}`, as any request: Retry On Fail asks again. An answer that is no job record is refused, quoting it. */
async function readJob(ctx: RunContext, itemIndex: number, requestId: string): Promise<JobRecord> {
	const node = ctx.getNode();
	let response;
	try {
		response = await politely(async () => await gmiRequest.call(ctx, 'GET', PATHS.request(requestId), { abortSignal: ctx.getExecutionCancelSignal() }));
	} catch (error) {
		throw new NodeOperationError(node, `Asking GMI for request ${requestId} failed: ${redactUrlsIn((error as Error).message ?? 'network error')}`, { itemIndex });
	}
	const { statusCode, body } = response;
	if (statusCode >= 400) throw apiError(node, statusCode, body, itemIndex);
	const record = jsonBody(body);
	if (!isRecord(record)) throw unreadableAnswer(node, itemIndex, statusCode, typeof body === 'string' ? body.trim() : '');
	if (!hasStatus(record)) throw statuslessAnswer(node, itemIndex, requestId, record);
	return record as JobRecord;
}

/** The job's own record, waited for when asked; its outcome the same as Submit's. */
async function getStatusItems(ctx: RunContext, items: ItemInput[], book: JobBook): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const refuseEmptyExpressions = emptyExpressionCheck(node, getStatusFields);
	const checked = await checkEach(items, async (item) => readQuery(ctx, item, refuseEmptyExpressions));
	if (!ctx.continueOnFail()) refuseRun(node, checked);
	const results = await Promise.all(
		checked.map(async (query, index): Promise<ItemResult> => {
			if (isItemError(query)) return { index, error: query, json: { error: query.message } };
			let record: JobRecord;
			try {
				record = await readJob(ctx, index, query.requestId);
			} catch (error) {
				const itemError = asItemError(error, node, index);
				return { index, error: itemError, json: { request_id: query.requestId, error: itemError.message } };
			}
			book.record(index, { requestId: query.requestId, status: String(record.status) });
			return await followJob(ctx, book, query.item, record, query.after);
		}),
	);
	return finishRun(ctx, results, book);
}

/** n8n's custom operation for Video → Get Status: every item of the run. */
export async function getStatus(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [await getStatusItems(this, itemsOf(this), JobBook.ofRun(this))];
}

/** The same for an AI agent's tool call, through RoutingNode (see submitAsTool). */
export async function getStatusAsTool(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	return await getStatusItems(this, [singleItem(this)], JobBook.ofToolCall(this));
}
