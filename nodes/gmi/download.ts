import type { IBinaryData, IExecuteFunctions, IExecuteSingleFunctions, IN8nHttpFullResponse, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { STORAGE_TIMEOUTS } from './api';
import { redactUrl, redactUrlsIn } from './errors';
import { backoffMs } from './concurrency';
import type { JobRecord } from './records';

const ATTEMPTS = 3;

type BinaryInput = Parameters<IExecuteSingleFunctions['helpers']['prepareBinaryData']>[0];

/** Operations download for an item; the trigger's polls have no cancel signal. */
type DownloadContext = IExecuteFunctions | IExecuteSingleFunctions | IPollFunctions;
const cancelSignalOf = (ctx: DownloadContext) => ('getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined);

const cancelled = (ctx: DownloadContext, record: JobRecord, itemIndex: number) =>
	new NodeOperationError(ctx.getNode(), `The execution was cancelled while downloading the video of request ${record.request_id}`, {
		itemIndex,
		description: 'The job itself succeeded: Get Status with Download Video on fetches the video again.',
	});

/**
 * Streams the video into n8n's binary store, retrying transient trouble. A connection reset in
 * the middle of the video only shows while storing it, so each attempt fetches and stores.
 */
export async function fetchVideo(ctx: DownloadContext, record: JobRecord, url: string, itemIndex = 0): Promise<IBinaryData> {
	let problem = '';
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		try {
			// Result URLs are public: a plain request, so the API key never travels to the storage host.
			const response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: STORAGE_TIMEOUTS.downloadStartMs,
				abortSignal: cancelSignalOf(ctx),
			})) as IN8nHttpFullResponse;
			if (response.statusCode < 400) {
				const mimeType = String(response.headers?.['content-type'] ?? 'video/mp4').split(';')[0].trim() || 'video/mp4';
				const extension = mimeType === 'video/mp4' ? 'mp4' : (mimeType.split('/')[1] ?? 'bin');
				return await ctx.helpers.prepareBinaryData(response.body as BinaryInput, `${record.request_id}.${extension}`, mimeType);
			}
			(response.body as { destroy?: () => void } | undefined)?.destroy?.();
			problem = `HTTP ${response.statusCode}`;
			if (response.statusCode < 500 && response.statusCode !== 429) break;
		} catch (error) {
			if (cancelSignalOf(ctx)?.aborted) throw cancelled(ctx, record, itemIndex);
			problem = redactUrlsIn((error as Error).message ?? 'network error');
		}
		if (attempt < ATTEMPTS - 1) await sleep(backoffMs(attempt, 500), cancelSignalOf(ctx)).catch(() => {
			throw cancelled(ctx, record, itemIndex);
		});
	}
	throw new NodeOperationError(ctx.getNode(), `Downloading the video of request ${record.request_id} from ${redactUrl(url)} failed: ${problem}`, {
		itemIndex,
		description: 'The job itself succeeded: its videoUrl is in the record. Run Get Status with Download Video on to retry.',
	});
}
