import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { PATHS } from '../../../gmi/api';
import { modelField, FIELDS } from '../../descriptions/fields';
import { modelParametersOf } from '../../../gmi/models';
import { priceOf } from '../../../gmi/price';
import { checkId, failer } from '../../helpers/validation';

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
	const model = checkId(failer(this.getNode(), this.getItemIndex()), FIELDS.model, this.getNodeParameter(FIELDS.model.name, '', { extractValue: true }));
	requestOptions.url = PATHS.model(model);
	return requestOptions;
}

/**
 * postReceive of Model → Get: next to GMI's answer, `acceptedParameters` lists what the model
 * takes as `{name, type, required, allowedValues, default, description}`, whatever field names GMI
 * used, so a user or an AI agent can read it at a glance.
 */
export async function addAcceptedParameters(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return items.map((item) => ({ ...item, json: { ...item.json, acceptedParameters: modelParametersOf(item.json) as unknown as IDataObject[] } }));
}

/**
 * postReceive of Model → Get: `price` is the model's `price_info` normalised (amount, currency, per
 * what) when its shape is readable, otherwise `known: false` with the reason; `raw` is always GMI's own.
 */
export async function addPrice(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return items.map((item) => ({ ...item, json: { ...item.json, price: { ...priceOf(item.json) } as IDataObject } }));
}
