import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { PATHS } from '../../../gmi/api';
import { waitFields } from '../../descriptions/fields';
import { withOtherJobs } from '../../helpers/runJobs';
import { checkId, FIELDS } from '../../helpers/validation';
import { hasStatus, statuslessAnswer } from '../../helpers/wait';

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
	...waitFields('getStatus'),
];

/** preSend of Get Status: a request id is one path segment, never a path of its own. */
export async function useRequestIdInUrl(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const requestId = checkId(this, FIELDS.requestId, this.getNodeParameter(FIELDS.requestId.name, ''));
	requestOptions.url = PATHS.request(requestId);
	return requestOptions;
}

/** postReceive of Get Status: an answer that is no job record (it has no status) is refused, quoting it. */
export async function checkStatusAnswer(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	for (const { json } of items) {
		if (!hasStatus(json)) throw withOtherJobs(this, statuslessAnswer(this, String(this.getNodeParameter(FIELDS.requestId.name, '')).trim(), json));
	}
	return items;
}
