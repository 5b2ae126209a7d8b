import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { PATHS } from '../../gmi/api';
import { isHailuoVideoModel } from '../hailuo';
import { describeHttpFailure } from '../../gmi/errors';
import { modelIdsOf } from '../../gmi/models';
import { gmiRequest } from '../../gmi/transport';

async function modelIds(ctx: ILoadOptionsFunctions): Promise<string[]> {
	const response = await gmiRequest.call(ctx, 'GET', PATHS.models);
	if (response.statusCode >= 400) {
		const { message, description } = describeHttpFailure(response.statusCode, response.body);
		throw new NodeApiError(ctx.getNode(), { statusCode: response.statusCode }, { message, description });
	}
	return modelIdsOf(ctx.getNode(), response.body);
}

function toResults(ids: string[], filter?: string): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase();
	return {
		results: ids
			.filter((id) => !needle || id.toLowerCase().includes(needle))
			.sort((a, b) => a.localeCompare(b))
			.map((id) => ({ name: id, value: id })),
	};
}

/** Hailuo / MiniMax video models only: the ones Submit can use. */
export async function searchVideoModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return toResults((await modelIds(this)).filter(isHailuoVideoModel), filter);
}

export async function searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return toResults(await modelIds(this), filter);
}
