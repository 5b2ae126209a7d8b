import type { INodeProperties } from 'n8n-workflow';

import { PATHS } from '../../../gmi/api';
import { checkApiResponse } from '../../helpers/response';
import { addAcceptedParameters, addPrice, getFields, useModelIdInUrl } from './get.operation';
import { addPrices, listFields, splitModelIds } from './list.operation';

export const modelOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['model'] } },
	default: 'list',
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a model',
			description: 'Get the description, parameters and price of one model',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [useModelIdInUrl] },
				output: { postReceive: [checkApiResponse, addAcceptedParameters, addPrice] },
			},
		},
		{
			name: 'List',
			value: 'list',
			action: 'List models',
			description: 'List the model IDs your GMI account can use, one item each',
			routing: {
				request: { method: 'GET', url: PATHS.models },
				output: { postReceive: [checkApiResponse, splitModelIds, addPrices] },
			},
		},
	],
};

export const modelFields: INodeProperties[] = [...getFields, ...listFields];
