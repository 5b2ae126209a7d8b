import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { LIST_PAGE_SIZE, PATHS } from '../../hailuo';
import { modelField } from '../../shared/descriptions';
import { apiError } from '../../shared/errors';
import { isRecord, type JobRecord, recordsOfListBody, withConvenienceFields } from '../../shared/records';
import { gmiRequest } from '../../shared/transport';
import { checkId, checkLimit, FIELDS } from '../../shared/validation';

const forList = { resource: ['video'], operation: ['list'] };

export const listFields: INodeProperties[] = [
	modelField({
		operations: { resource: 'video', operation: ['list'] },
		required: false,
		searchListMethod: 'searchVideoModels',
		displayName: 'Model',
		description: 'Only list jobs of this model (leave empty for all)',
	}),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: forList },
	},
	{
		displayName: FIELDS.limit.displayName,
		name: FIELDS.limit.name,
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...forList, returnAll: [false] } },
	},
];

function wanted(ctx: IExecuteSingleFunctions): number {
	return ctx.getNodeParameter('returnAll', false) === true
		? Number.POSITIVE_INFINITY
		: checkLimit(ctx, ctx.getNodeParameter(FIELDS.limit.name, 50));
}

/** preSend of List: the model filter and the first page. */
export async function prepareListQuery(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const limit = wanted(this);
	const model = this.getNodeParameter(FIELDS.model.name, '', { extractValue: true });
	const qs: IDataObject = { page: 1, page_size: Math.min(limit, LIST_PAGE_SIZE) };
	if (typeof model === 'string' && model.trim()) qs.model_id = checkId(this, FIELDS.model, model);
	requestOptions.qs = { ...requestOptions.qs, ...qs };
	return requestOptions;
}

/** More pages exist only where the body says so (`total`); an unpaged body is the whole list. */
function hasMorePages(body: unknown, received: number): boolean {
	return isRecord(body) && typeof body.total === 'number' && received < body.total;
}

/**
 * postReceive of List: one item per job, following GMI's page/page_size paging while the
 * response reports a `total` beyond what was fetched and the limit wants more.
 */
export async function collectJobs(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const limit = wanted(this);
	const model = this.getNodeParameter(FIELDS.model.name, '', { extractValue: true });
	const filter: IDataObject = typeof model === 'string' && model.trim() ? { model_id: model.trim() } : {};
	const pageSize = Math.min(limit, LIST_PAGE_SIZE);
	let body: unknown = response.body;
	let records: JobRecord[] = recordsOfListBody(body);
	let page = 1;
	while (records.length < limit && hasMorePages(body, records.length)) {
		page++;
		const next = await gmiRequest.call(this, 'GET', PATHS.requests, { qs: { ...filter, page, page_size: pageSize } });
		if (next.statusCode >= 400) throw apiError(this.getNode(), next.statusCode, next.body, this.getItemIndex(), `Listing page ${page}`);
		const more = recordsOfListBody(next.body);
		if (!more.length) break;
		records = records.concat(more);
		body = next.body;
	}
	const pairedItem = { item: this.getItemIndex() };
	return records.slice(0, limit).map((record) => ({ json: withConvenienceFields(record), pairedItem }));
}
