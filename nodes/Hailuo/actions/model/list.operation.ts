import type { IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

import { isHailuoVideoModel } from '../../hailuo';
import { modelIdsOf } from '../../../gmi/models';

/** postReceive of Model → List: the model list becomes one item per model. */
export async function splitModelIds(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return items.flatMap((item) => modelIdsOf(this.getNode(), item.json)).map((id) => ({ json: { id, isHailuoVideoModel: isHailuoVideoModel(id) } }));
}
