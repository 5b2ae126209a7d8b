import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { PATHS } from '../../hailuo';
import { modelField } from '../../shared/descriptions';
import { checkId, FIELDS } from '../../shared/validation';

export const getFields: INodeProperties[] = [
	modelField({
		operations: { resource: 'model', operation: ['get'] },
		required: true,
		searchListMethod: 'searchModels',
		description: 'The model to describe',
	}),
];

/** preSend of Model → Get: the model id is one path segment. */
export async function useModelIdInUrl(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const model = checkId(this, FIELDS.model, this.getNodeParameter(FIELDS.model.name, '', { extractValue: true }));
	requestOptions.url = PATHS.model(model);
	return requestOptions;
}
