import type { IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

import { isHailuoVideoModel } from '../../hailuo';

/** postReceive of Model → List: `{"model_ids": [...]}` becomes one item per model. */
export async function splitModelIds(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const ids = items.flatMap((item) => (Array.isArray(item.json.model_ids) ? item.json.model_ids : []));
	return ids
		.filter((id): id is string => typeof id === 'string')
		.map((id) => ({ json: { id, isHailuoVideoModel: isHailuoVideoModel(id) } }));
}
