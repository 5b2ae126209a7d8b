import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LIST_PAGE_SIZE } from '../../../gmi/api';
import { modelField, FIELDS } from '../../descriptions/fields';
import { jobPages } from '../../../gmi/jobPages';
import { type JobRecord, withConvenienceFields } from '../../../gmi/records';
import { checkId, checkLimit, failer } from '../../helpers/validation';

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
		: checkLimit(failer(ctx.getNode(), ctx.getItemIndex()), ctx.getNodeParameter(FIELDS.limit.name, 50));
}

/** preSend of List: the model filter and the first page. */
export async function prepareListQuery(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const limit = wanted(this);
	const model = this.getNodeParameter(FIELDS.model.name, '', { extractValue: true });
	const qs: IDataObject = { page: 1, page_size: Math.min(limit, LIST_PAGE_SIZE) };
	if (typeof model === 'string' && model.trim()) qs.model_id = checkId(failer(this.getNode(), this.getItemIndex()), FIELDS.model, model);
	requestOptions.qs = { ...requestOptions.qs, ...qs };
	return requestOptions;
}

/**
 * Return All keeps every job in memory for the node's output: past this many the node stops with
 * an error instead of growing without bound (a Limit or the model filter lists fewer).
 */
export const RETURN_ALL_MAX_JOBS = 10_000;

/** postReceive of List: one item per job, newest first, paging through the shared pager. */
export async function collectJobs(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const limit = wanted(this);
	const model = this.getNodeParameter(FIELDS.model.name, '', { extractValue: true });
	const itemIndex = this.getItemIndex();
	const jobs: JobRecord[] = [];
	for await (const page of jobPages(this, {
		modelId: typeof model === 'string' ? model.trim() : undefined,
		pageSize: Math.min(limit, LIST_PAGE_SIZE),
		firstAnswer: response,
		signal: this.getExecutionCancelSignal(),
		itemIndex,
	})) {
		jobs.push(...page.records.slice(0, limit - jobs.length));
		if (jobs.length >= limit) break;
		if (jobs.length > RETURN_ALL_MAX_JOBS) {
			throw new NodeOperationError(this.getNode(), `The account lists more than ${RETURN_ALL_MAX_JOBS} jobs, more than Return All keeps in memory`, {
				itemIndex,
				description: 'Turn Return All off and set a Limit, or choose a Model to list fewer jobs.',
			});
		}
	}
	return jobs.map((record) => ({ json: withConvenienceFields(record), pairedItem: { item: itemIndex } }));
}
