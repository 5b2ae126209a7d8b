import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { PATHS } from '../../hailuo';
import { waitFields } from '../../shared/descriptions';
import { checkId, FIELDS } from '../../shared/validation';

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
