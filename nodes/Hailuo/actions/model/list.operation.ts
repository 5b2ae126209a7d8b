import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { isHailuoVideoModel } from '../../hailuo';
import { mapConcurrently } from '../../../gmi/concurrency';
import { modelDetailsOf, modelIdsOf } from '../../../gmi/models';

/** One details request per model: a few at a time keep a long model list from bursting into GMI's rate limit. */
export const MAX_CONCURRENT_DETAILS = 4;

export const listFields: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['model'], operation: ['list'] } },
		options: [
			{
				displayName: 'Include Price',
				name: 'includePrice',
				type: 'boolean',
				default: false,
				description: "Whether to read each model's details and add its price as GMI states it (one request per model)",
			},
		],
	},
];

/** postReceive of Model → List: the model list becomes one item per model. */
export async function splitModelIds(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return items.flatMap((item) => modelIdsOf(this.getNode(), item.json)).map((id) => ({ json: { id, isHailuoVideoModel: isHailuoVideoModel(id) } }));
}

/**
 * postReceive of Model → List, with Include Price: each model's `price` from its details (see
 * gmi/price.ts). A model whose details can't be read gets an unknown price naming why, not an error:
 * the list itself was answered.
 */
export async function addPrices(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (this.getNodeParameter('options.includePrice', false) !== true) return items;
	return await mapConcurrently(items, MAX_CONCURRENT_DETAILS, async (item) => {
		const { price } = await modelDetailsOf(this, String(item.json.id));
		// A copy: the details are cached for a minute, and a later node may edit its input in place.
		return { ...item, json: { ...item.json, price: deepCopy(price) as unknown as IDataObject } };
	});
}
