/**
 * What the network and GMI throw at a waiting batch. Each row: three items submitted with
 * "Wait Until Done" (Continue On Fail on, as an unattended batch is run), the simulator's
 * switchable faults, and the outcome every item must end in: a result, a `timedOut` record,
 * or a clear error. Whatever happens, no accepted job may vanish from the output.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Fault } from '../simulator';
import type { EchoRule } from './gateway';

export interface Expected {
	/** Items that end `success` (with a video URL; with binary data when downloading). */
	success: number;
	/** Items that end with `timedOut: true`, their request id and the last status. */
	timedOut?: number;
	/** Items that end in an error; every error must match `error`. */
	errors?: number;
	error?: RegExp;
	/** Failed or cancelled jobs' items keep their record (request id, status, any reason) next to the error. */
	failedRecords?: boolean;
	/** Items whose download failed keep their record: request id and video URL next to the error. */
	downloadRecords?: boolean;
	/** Timed-out items say what went wrong with their last poll. */
	lastPollProblem?: RegExp;
}

export interface FaultRow {
	name: string;
	faults?: Fault[];
	/** One prompt per item; simulator markers (#stuck, #fail, …) choose a job's fate. */
	prompts?: string[];
	parameters?: INodeParameters;
	/** Put a gateway in front of GMI: signed result URLs, or an error page echoing the key. */
	gateway?: { signResults?: boolean; echoAuth?: EchoRule };
	expect: Expected;
}

export const THREE = ['Harbor at dusk', 'Desert wind', 'City lights'];
const oneOf = (prompt: string) => [prompt, 'Desert wind', 'City lights'];
const downloading: INodeParameters = { downloadVideo: true };
const uploading: INodeParameters = { resolution: '512P', firstFrame: 'binary', firstFrameBinaryProperty: 'data' };
const polls = { method: 'GET', path: '/requests/' } as const;
const submits = { method: 'POST', path: /^\/requests$/ } as const;

const FAILURE_FIELDS = ['error_message', 'error', 'outcome.error', 'outcome.message', 'outcome.error_message', 'outcome.fail_reason'];

export const FAULTS: FaultRow[] = [
	// Rate limits
	{ name: '429 without Retry-After while polling', faults: [{ kind: '429', ...polls, times: 3 }], expect: { success: 3 } },
	{ name: '429 with Retry-After while polling', faults: [{ kind: '429', ...polls, times: 2, retryAfter: 1 }], expect: { success: 3 } },
	{ name: '429 on one submit', faults: [{ kind: '429', ...submits, retryAfter: 2 }], expect: { success: 2, errors: 1, error: /rate limit.*HTTP 429/ } },
	{ name: 'rate limit reported as a failed job', prompts: oneOf('Crowds #ratelimit'), expect: { success: 2, errors: 1, error: /failed: rate limit exceeded/, failedRecords: true } },
	// Server errors
	{ name: 'burst of 500s while polling', faults: [{ kind: 'status', status: 500, ...polls, times: 3 }], expect: { success: 3 } },
	{ name: 'burst of 502s (gateway HTML) while polling', faults: [{ kind: 'status', status: 502, ...polls, times: 3 }], expect: { success: 3 } },
	{ name: 'burst of 503s while polling', faults: [{ kind: 'status', status: 503, ...polls, times: 3 }], expect: { success: 3 } },
	{ name: '500 on one submit', faults: [{ kind: 'status', status: 500, ...submits }], expect: { success: 2, errors: 1, error: /may still have been created.*HTTP 500/ } },
	// Broken transports
	{ name: 'connection reset mid-body while polling', faults: [{ kind: 'reset', ...polls, times: 3 }], expect: { success: 3 } },
	// n8n words a cut connection by when it was cut: "closed unexpectedly" or "stream has been aborted".
	{ name: 'connection reset mid-body on one submit', faults: [{ kind: 'reset', ...submits }], expect: { success: 2, errors: 1, error: /connection|aborted/i } },
	{
		// The node's own request timeout ends the hanging poll; the last look at the deadline finds the job done.
		name: 'a poll that hangs (the node’s own request timeout)',
		faults: [{ kind: 'hang', ...polls }],
		parameters: { timeout: 2 },
		expect: { success: 3 },
	},
	// Unreadable answers
	{ name: 'malformed JSON while polling', faults: [{ kind: 'malformed', ...polls, times: 3 }], expect: { success: 3 } },
	{ name: 'malformed JSON on one submit', faults: [{ kind: 'malformed', ...submits }], expect: { success: 2, errors: 1, error: /not valid JSON/ } },
	{ name: 'HTML error page while polling', faults: [{ kind: 'html', status: 500, ...polls, times: 3 }], expect: { success: 3 } },
	{ name: 'HTML error page on one submit', faults: [{ kind: 'html', status: 503, ...submits }], expect: { success: 2, errors: 1, error: /HTTP 503.*Service Unavailable/ } },
	{ name: '200 with an empty body while polling', faults: [{ kind: 'empty', ...polls, times: 3 }], expect: { success: 3 } },
	{ name: '200 with an empty body on one submit', faults: [{ kind: 'empty', ...submits }], expect: { success: 2, errors: 1, error: /empty body/ } },
	// Jobs that misbehave
	{ name: 'a job that stays queued forever', prompts: oneOf('Glacier #stuck'), parameters: { timeout: 2 }, expect: { success: 2, timedOut: 1 } },
	{ name: 'a job that disappears after submit (404)', prompts: oneOf('Ghost #vanish'), expect: { success: 2, errors: 1, error: /Request \S+ is gone/ } },
	{ name: 'a cancelled job', prompts: oneOf('Volcano #cancel'), expect: { success: 2, errors: 1, error: /Video request \S+ was cancelled/, failedRecords: true } },
	{ name: 'unknown in-flight statuses', prompts: ['Dunes #unknown-status', 'Desert wind #unknown-status', 'City lights'], expect: { success: 3 } },
	...FAILURE_FIELDS.map(
		(field): FaultRow => ({
			name: `a failed job with its reason in ${field}`,
			prompts: oneOf(`Volcano #failfield=${field}`),
			expect: { success: 2, errors: 1, error: /failed: Video generation failed: content moderation/, failedRecords: true },
		}),
	),
	{ name: 'the key revoked while waiting (401 on a poll)', faults: [{ kind: 'auth', ...polls }], expect: { success: 2, errors: 1, error: /Request \S+: The API key was rejected \(HTTP 401\)/ } },
	// Storage: downloads (signed URLs) and uploads (presigned PUTs)
	{ name: 'download: burst of 500s from storage', faults: [{ server: 'files', kind: 'status', status: 500, path: '/videos/', times: 2 }], parameters: downloading, expect: { success: 3 } },
	{ name: 'download: connection reset mid-video', faults: [{ server: 'files', kind: 'reset', path: '/videos/', times: 2 }], parameters: downloading, expect: { success: 3 } },
	{ name: 'download: storage that never answers', faults: [{ server: 'files', kind: 'hang', path: '/videos/' }], parameters: downloading, expect: { success: 3 } },
	{
		name: 'download: signed URLs that answer 403',
		faults: [{ server: 'files', kind: 'status', status: 403, path: '/videos/', times: Infinity }],
		parameters: downloading,
		gateway: { signResults: true },
		expect: { success: 0, errors: 3, error: /Downloading the video of request \S+ from .* failed: HTTP 403/, downloadRecords: true },
	},
	{
		name: 'download: signed URLs whose connection always resets',
		faults: [{ server: 'files', kind: 'reset', path: '/videos/', times: Infinity }],
		parameters: downloading,
		gateway: { signResults: true },
		expect: { success: 0, errors: 3, error: /Downloading the video of request \S+ from .* failed/, downloadRecords: true },
	},
	{
		name: 'upload: presigned PUT refused (403)',
		faults: [{ server: 'files', kind: 'status', status: 403, path: '/upload/', times: Infinity }],
		parameters: uploading,
		expect: { success: 0, errors: 3, error: /Uploading the first frame image to .* failed \(HTTP 403\)/ },
	},
	{
		name: 'upload: presigned PUT reset',
		faults: [{ server: 'files', kind: 'reset', path: '/upload/', times: Infinity }],
		parameters: uploading,
		expect: { success: 0, errors: 3, error: /Uploading the first frame image to .* failed/ },
	},
	{
		name: 'upload: storage that never answers the PUT',
		faults: [{ server: 'files', kind: 'hang', path: '/upload/', times: Infinity }],
		parameters: uploading,
		expect: { success: 0, errors: 3, error: /Uploading the first frame image to .* failed/ },
	},
	{
		name: 'upload: /upload-url answers 503',
		faults: [{ kind: 'status', status: 503, method: 'POST', path: '/upload-url', times: Infinity }],
		parameters: uploading,
		expect: { success: 0, errors: 3, error: /Uploading the first frame image failed: .*HTTP 503/ },
	},
	// Gateways that echo the Authorization header
	{
		name: 'a gateway echoing the key in a 401 on one submit',
		gateway: { echoAuth: { method: 'POST', path: /\/requests$/, status: 401, times: 1 } },
		expect: { success: 2, errors: 1, error: /The API key was rejected \(HTTP 401\)/ },
	},
	{
		name: 'a gateway echoing the key in every 503 while polling',
		gateway: { echoAuth: { method: 'GET', path: /\/requests\/[^/]+$/, status: 503, times: Infinity } },
		parameters: { timeout: 2 },
		expect: { success: 0, timedOut: 3, lastPollProblem: /HTTP 503/ },
	},
];


/** Error modes besides Continue On Fail: n8n's default (stop on fail), and stop on fail with Retry On Fail. */
export interface ErrorMode {
	name: string;
	continueOnFail: boolean;
	retryOnFail?: { maxTries: number };
}
export const CONTINUE_ON_FAIL: ErrorMode = { name: 'Continue On Fail', continueOnFail: true };
export const STOP_ON_FAIL: ErrorMode = { name: 'stop on fail', continueOnFail: false };
export const RETRY_ON_FAIL: ErrorMode = { name: 'Retry On Fail', continueOnFail: false, retryOnFail: { maxTries: 2 } };

/** Rows whose batch fails, run in n8n's default mode: the run ends on one error, which must carry every job GMI accepted. */
export const STOP_ON_FAIL_ROWS = FAULTS.filter((row) => (row.expect.errors ?? 0) > 0);

/** Rows where a retry could pay twice: a job that ends well but whose item failed, and jobs that fail at GMI. */
export const RETRY_ROWS = FAULTS.filter((row) =>
	['rate limit reported as a failed job', 'a cancelled job', 'the key revoked while waiting (401 on a poll)', '500 on one submit', 'download: signed URLs that answer 403', 'a job that disappears after submit (404)'].includes(row.name),
);
