/**
 * The hostile world, measured in one report: bad input from sheets, forms and agents; a
 * remote, rate-limited and sometimes broken API; hosts that echo what they should not.
 * It ends by printing `hostile: N bad inputs rejected before network, M faults survived,
 * L jobs lost, S secret leaks`.
 */
import { type INodeExecutionData, type INodeParameters, NodeOperationError } from 'n8n-workflow';

import { STORAGE_TIMEOUTS } from '../../nodes/gmi/api';
import { type RecordedRequest, type Simulator, startSimulator } from '../simulator';
import { ACCEPTED, BAD_INPUTS, type BadInput, baseParameters, GOOD_MODEL, GOOD_PROMPT, type Operation, PNG_1x1, withBinary } from './badInputs';
import { CONTINUE_ON_FAIL, type ErrorMode, FAULTS, type FaultRow, RETRY_ON_FAIL, RETRY_ROWS, STOP_ON_FAIL, STOP_ON_FAIL_ROWS, THREE } from './faults';
import { type Gateway, RESULT_SIGNATURE, startGateway } from './gateway';
import {
	API_KEY,
	BEARER_KEY,
	captureLogs,
	capturedLogs,
	type HostileRun,
	hostileRun,
	keyHits,
	ledger,
	releaseLogs,
	scanLogs,
	signatureHits,
	summaryLine,
} from './world';

const SIM = { apiKey: API_KEY, queuedMs: 20, processingMs: 60 };

beforeAll(() => captureLogs());
afterAll(() => {
	releaseLogs();
	// Not console.log: jest decorates that with a stack trace.
	process.stdout.write(`\n${summaryLine()}\n\n`);
});

describe('the scanner finds what it looks for', () => {
	test('a planted key, bare or as a Bearer header, in output, errors and logs', () => {
		expect(keyHits([{ where: 'item', text: JSON.stringify({ note: `token ${API_KEY}` }) }])).toHaveLength(1);
		expect(keyHits([{ where: 'error', text: `Authorization: ${BEARER_KEY}` }])[0]).toMatch(/Bearer form/);
		expect(keyHits([{ where: 'log', text: 'sk-hostile-SECRET-redacted' }])).toHaveLength(0);
	});

	test('a signed URL in an error', () => {
		expect(signatureHits([{ where: 'error', text: 'GET https://storage.example/v.mp4?X-Goog-Signature=abc failed' }], [])).toHaveLength(1);
		expect(signatureHits([{ where: 'error', text: `failed: ${RESULT_SIGNATURE}` }], [])).toHaveLength(1);
		expect(signatureHits([{ where: 'error', text: 'GET https://storage.example/v.mp4 failed' }], ['feedface'])).toHaveLength(0);
	});
});

// --- bad input -------------------------------------------------------------------------------

const BAD_FLAG = 'hostileBad';

/** `={{ x }}` → `x`; a plain value → its JavaScript literal. */
const asJs = (value: unknown): string =>
	typeof value === 'string' && value.startsWith('={{') && value.endsWith('}}') ? value.slice(3, -2).trim() : value === undefined ? 'undefined' : JSON.stringify(value);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The bad value for the flagged item only, the good one for the others. */
function onlyForBadItem(bad: unknown, good: unknown): unknown {
	if (isObject(bad) && bad.__rl) return { ...bad, value: onlyForBadItem(bad.value, isObject(good) ? good.value : good) };
	if (isObject(bad)) return Object.fromEntries(Object.entries(bad).map(([key, value]) => [key, onlyForBadItem(value, isObject(good) ? good[key] : undefined)]));
	return `={{ $json.${BAD_FLAG} ? (${asJs(bad)}) : (${asJs(good)}) }}`;
}

/** In a tool call each run has one item; with several, the item's own fields play the agent's arguments. */
const perItemAgentArguments = (parameters: INodeParameters): INodeParameters =>
	Object.fromEntries(
		Object.entries(parameters).map(([key, value]) => [key, typeof value === 'string' ? value.replace(/\$fromAI\('(\w+)'[^)]*\)/g, '$json.$1') : value]),
	) as INodeParameters;

const PRIMARY: Record<Operation, (r: RecordedRequest) => boolean> = {
	submit: (r) => r.server === 'api' && r.method === 'POST' && r.path.endsWith('/requests'),
	getStatus: (r) => r.server === 'api' && r.method === 'GET' && /\/requests\/[^/]+$/.test(r.path),
	list: (r) => r.server === 'api' && r.method === 'GET' && r.path.endsWith('/requests'),
	modelGet: (r) => r.server === 'api' && r.method === 'GET' && /\/models\/[^/]+$/.test(r.path),
};

describe('bad input is refused before any request, naming the field', () => {
	let sim: Simulator;
	/** A real job for Get Status' valid items. */
	let jobId: string;

	beforeAll(async () => {
		sim = await startSimulator(SIM);
		const setup = await hostileRun(sim, { parameters: baseParameters('submit', '') });
		jobId = String(setup.items[0]?.json.request_id);
		expect(sim.requestIds).toEqual([jobId]);
	});
	afterAll(async () => await sim.close());

	const isGoodRequest = (op: Operation, r: RecordedRequest): boolean =>
		op === 'submit'
			? String(r.body?.payload?.prompt).startsWith(GOOD_PROMPT)
			: op === 'getStatus'
				? r.path.endsWith(`/requests/${jobId}`)
				: op === 'list'
					? r.query.model_id === undefined
					: r.path.endsWith(`/models/${GOOD_MODEL}`);

	function expectGoodOutput(op: Operation, run: HostileRun, goodItems: INodeExecutionData[]) {
		const ok = run.items.filter((item) => !item.error && item.json.error === undefined);
		if (op === 'list') {
			expect(ok.length).toBeGreaterThanOrEqual(2);
			return;
		}
		expect(ok).toHaveLength(goodItems.length);
		for (const item of ok) {
			if (op === 'submit') expect(run.jobIds).toContain(item.json.request_id);
			if (op === 'getStatus') expect(item.json.request_id).toBe(jobId);
			if (op === 'modelGet') expect(item.json.model).toBe(GOOD_MODEL);
		}
	}

	test.each(BAD_INPUTS.map((row) => [row.name, row] as const))('%s', async (_name, row: BadInput) => {
		const base = baseParameters(row.op, jobId);
		const badItem = row.badItem?.() ?? { json: {} };

		// Stop on fail: the run ends on the error, and nothing went out.
		const alone = await hostileRun(sim, { parameters: { ...base, ...row.shared, ...row.bad }, items: [badItem] });
		expect(alone.requests).toEqual([]);
		expect(alone.items).toEqual([]);
		expect(alone.error?.message).toContain(`(${row.field})`);
		expect(alone.error?.description).toMatch(/Nothing was sent to GMI/);

		// Continue On Fail: the bad item between two good ones.
		const good = { ...base, ...perItemAgentArguments({ ...row.shared }) };
		const parameters = { ...good, ...(row.bad ? (onlyForBadItem(row.bad, good) as INodeParameters) : {}) };
		const goodItems = [row.goodItem?.() ?? { json: {} }, row.goodItem?.() ?? { json: {} }];
		const mixed = await hostileRun(sim, {
			parameters,
			items: [goodItems[0], { ...badItem, json: { ...badItem.json, [BAD_FLAG]: true } }, goodItems[1]],
			continueOnFail: true,
		});
		expect(mixed.error).toBeUndefined();
		const failed = mixed.items.filter((item) => item.error || item.json.error !== undefined);
		expect(failed).toHaveLength(1);
		expect(failed[0].error).toBeInstanceOf(NodeOperationError);
		expect(failed[0].error?.message).toContain(`(${row.field})`);
		// One output per input (all but List): the error sits on the bad item.
		if (row.op !== 'list') expect(mixed.items.indexOf(failed[0])).toBe(1);
		const primary = mixed.requests.filter(PRIMARY[row.op]);
		expect(primary).toHaveLength(2);
		expect(primary.every((r) => isGoodRequest(row.op, r))).toBe(true);
		expectGoodOutput(row.op, mixed, goodItems);

		// Stop on fail with the bad item among good ones: every item is checked before the first
		// submit, so nothing is submitted (or uploaded) at all.
		let stopped: HostileRun | undefined;
		if (row.op === 'submit') {
			stopped = await hostileRun(sim, { parameters, items: [goodItems[0], { ...badItem, json: { ...badItem.json, [BAD_FLAG]: true } }, goodItems[1]] });
			expect(stopped.error?.message).toContain(`(${row.field})`);
			expect(stopped.requests.filter((r) => PRIMARY.submit(r) || r.server === 'files' || r.path.endsWith('/upload-url'))).toEqual([]);
			expect(stopped.jobIds).toEqual([]);
		}

		expect([...alone.lostJobs, ...mixed.lostJobs, ...alone.leaks, ...mixed.leaks, ...(stopped?.leaks ?? [])]).toEqual([]);
		ledger.badInputsRejected++;
	});

	describe('odd but fine: normalised and sent', () => {
		test.each(ACCEPTED.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
			const run = await hostileRun(sim, { parameters: { ...baseParameters('submit', jobId), ...row.parameters }, items: [row.item?.() ?? { json: {} }] });
			expect(run.error).toBeUndefined();
			const submits = run.requests.filter(PRIMARY.submit);
			expect(submits).toHaveLength(1);
			expect(submits[0].body).toMatchObject(row.sent);
			for (const key of row.absent ?? []) expect(submits[0].body.payload).not.toHaveProperty(key);
			expect(run.items[0].json.request_id).toBe(run.jobIds[0]);
		});
	});
});

// --- faults ----------------------------------------------------------------------------------

const WAITING: INodeParameters = {
	resource: 'video',
	operation: 'submit',
	model: { __rl: true, mode: 'id', value: GOOD_MODEL },
	prompt: '={{ $json.prompt }}',
	duration: 6,
	resolution: '768P',
	firstFrame: 'none',
	waitUntilDone: true,
	pollInterval: 1,
	// Room for a Retry-After or a backoff on a busy machine; rows that expect a timeout set their own.
	timeout: 6,
};
/** A row whose run has not ended by then is stuck (the node waited on something forever). */
const STUCK_AFTER_MS = 20_000;
const PARALLEL_ROWS = 8;

interface FaultOutcome {
	run?: HostileRun;
	stuck: boolean;
	/** Finite faults never triggered: the row did not test what it says. */
	unusedFaults: number;
	signedDownloads: number;
	echoed: number;
	/** Prompts GMI was paid for twice: a second job although an earlier one had not failed or been cancelled. */
	paidTwice: string[];
}

function paidTwice(sim: Simulator): string[] {
	const byPrompt = new Map<string, string[]>();
	for (const job of sim.jobs.values()) byPrompt.set(String(job.payload.prompt), [...(byPrompt.get(String(job.payload.prompt)) ?? []), job.id]);
	return [...byPrompt.entries()]
		.filter(([, ids]) => ids.slice(0, -1).some((id) => !['failed', 'cancelled'].includes(sim.statusOf(id) ?? '')))
		.map(([prompt]) => prompt);
}

let starting: Promise<unknown> = Promise.resolve();

/**
 * The engine hands a run its input items through one static slot, read when the workflow's
 * input node runs: runs may overlap, but the next one starts only once this one's node has
 * sent its first request (so its items were read).
 */
async function oneAtATimeUntilSent(sim: Simulator, start: () => Promise<HostileRun>): Promise<{ running: Promise<HostileRun> }> {
	const previous = starting;
	let started!: Promise<HostileRun>;
	const sent = previous.then(async () => {
		started = start();
		const ended = started.then(() => undefined, () => undefined);
		while (sim.requests.length === 0 && !(await Promise.race([ended.then(() => true), new Promise((resolve) => setTimeout(resolve, 5, false))]))) {
			// waiting for the first request
		}
	});
	starting = sent;
	await sent;
	return { running: started };
}

async function runFaultRow(row: FaultRow, mode: ErrorMode = CONTINUE_ON_FAIL): Promise<FaultOutcome> {
	const sim = await startSimulator(SIM);
	let gateway: Gateway | undefined;
	try {
		if (row.gateway) {
			gateway = await startGateway({ target: sim.url, filesUrl: row.gateway.signResults ? sim.filesUrl : undefined, echoAuth: row.gateway.echoAuth });
		}
		if (row.faults) sim.addFault(row.faults);
		const withImage = row.parameters?.firstFrame === 'binary';
		const items = (row.prompts ?? THREE).map((prompt) => ({ ...(withImage ? withBinary(PNG_1x1, 'image/png', 'frame.png') : {}), json: { prompt } }));
		const { running } = await oneAtATimeUntilSent(sim, () => hostileRun(sim, { parameters: { ...WAITING, ...row.parameters }, items, continueOnFail: mode.continueOnFail, retryOnFail: mode.retryOnFail, baseUrl: gateway?.url }));
		let timer: NodeJS.Timeout | undefined;
		const stuck = await Promise.race([
			running.then(() => false),
			new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STUCK_AFTER_MS))),
		]);
		clearTimeout(timer);
		if (stuck) {
			await sim.close(); // destroys the hanging sockets, so the run can end
			await running.catch(() => undefined);
			return { stuck, unusedFaults: 0, signedDownloads: 0, echoed: 0, paidTwice: [] };
		}
		return {
			run: await running,
			stuck,
			unusedFaults: sim.faults.filter((fault) => fault.times !== Infinity).length,
			signedDownloads: sim.requests.filter((r) => r.server === 'files' && r.query['X-Goog-Signature'] === RESULT_SIGNATURE).length,
			echoed: gateway?.echoed ?? 0,
			paidTwice: paidTwice(sim),
		};
	} finally {
		await gateway?.close();
		await sim.close();
	}
}

async function inPool<T, R>(values: T[], size: number, work: (value: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(values.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: size }, async () => {
			while (next < values.length) {
				const index = next++;
				results[index] = await work(values[index]);
			}
		}),
	);
	return results;
}

type Fate = 'success' | 'timedOut' | 'error';

function fateOf(item: INodeExecutionData, download: boolean): Fate | 'unclear' {
	const json = item.json;
	if (item.error || typeof json.error === 'string') return 'error';
	if (json.timedOut === true && typeof json.request_id === 'string' && typeof json.status === 'string') return 'timedOut';
	if (json.status === 'success' && typeof json.videoUrl === 'string' && (!download || item.binary?.data)) return 'success';
	return 'unclear';
}

const errorMessage = (item: INodeExecutionData) => String(item.error?.message ?? item.json.error);

describe('faults in wait mode: every item ends in a result, a timedOut record or a clear error', () => {
	const outcomes = new Map<string, FaultOutcome>();
	const shortened: Array<{ restore(): void }> = [];

	beforeAll(async () => {
		// Storage that never answers is given up on after a second here (a minute or five in production).
		shortened.push(jest.replaceProperty(STORAGE_TIMEOUTS, 'downloadStartMs', 1000), jest.replaceProperty(STORAGE_TIMEOUTS, 'uploadMs', 1000));
		const results = await inPool(FAULTS, PARALLEL_ROWS, runFaultRow);
		FAULTS.forEach((row, index) => outcomes.set(row.name, results[index]));
	}, 120_000);
	afterAll(() => shortened.forEach((replaced) => replaced.restore()));

	test.each(FAULTS.map((row) => [row.name, row] as const))('%s', (_name, row: FaultRow) => {
		const outcome = outcomes.get(row.name)!;
		expect(outcome.stuck).toBe(false);
		expect(outcome.unusedFaults).toBe(0);
		const run = outcome.run!;
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength((row.prompts ?? THREE).length);

		const download = row.parameters?.downloadVideo === true;
		const fates = run.items.map((item) => fateOf(item, download));
		const count = (fate: string) => fates.filter((f) => f === fate).length;
		expect({ success: count('success'), timedOut: count('timedOut'), errors: count('error'), unclear: count('unclear') }).toEqual({
			success: row.expect.success,
			timedOut: row.expect.timedOut ?? 0,
			errors: row.expect.errors ?? 0,
			unclear: 0,
		});
		run.items.forEach((item, index) => {
			if (fates[index] === 'error') expect(errorMessage(item)).toMatch(row.expect.error!);
			if (fates[index] === 'error' && row.expect.failedRecords) {
				expect(run.jobIds).toContain(item.json.request_id);
				expect(['failed', 'cancelled']).toContain(item.json.status);
				if (item.json.status === 'failed') expect(item.json.failureReason).toEqual(expect.any(String));
			}
			if (fates[index] === 'error' && row.expect.downloadRecords) {
				expect(item.json).toMatchObject({ request_id: expect.any(String), status: 'success', videoUrl: expect.stringContaining('X-Goog-Signature') });
			}
			if (fates[index] === 'timedOut' && row.expect.lastPollProblem) expect(String(item.json.lastPollProblem)).toMatch(row.expect.lastPollProblem);
		});
		// The hostile hosts really were in the way.
		if (row.gateway?.signResults) expect(outcome.signedDownloads).toBeGreaterThan(0);
		if (row.gateway?.echoAuth) expect(outcome.echoed).toBeGreaterThan(0);

		expect(run.lostJobs).toEqual([]);
		expect(run.leaks).toEqual([]);
		ledger.faultsSurvived++;
	});
});

describe.each([
	[STOP_ON_FAIL, STOP_ON_FAIL_ROWS],
	[RETRY_ON_FAIL, RETRY_ROWS],
] as const)('faults in a batch that runs with %s: the one error carries every job, none is paid twice', (mode: ErrorMode, rows: FaultRow[]) => {
	const outcomes = new Map<string, FaultOutcome>();
	const shortened: Array<{ restore(): void }> = [];

	beforeAll(async () => {
		shortened.push(jest.replaceProperty(STORAGE_TIMEOUTS, 'downloadStartMs', 1000), jest.replaceProperty(STORAGE_TIMEOUTS, 'uploadMs', 1000));
		const results = await inPool(rows, PARALLEL_ROWS, async (row) => await runFaultRow(row, mode));
		rows.forEach((row, index) => outcomes.set(row.name, results[index]));
	}, 180_000);
	afterAll(() => shortened.forEach((replaced) => replaced.restore()));

	test.each(rows.map((row) => [row.name, row] as const))('%s', (_name, row: FaultRow) => {
		const outcome = outcomes.get(row.name)!;
		expect(outcome.stuck).toBe(false);
		const run = outcome.run!;
		if (run.error || !mode.retryOnFail) {
			// n8n shows one item's error and keeps no item's output.
			expect(run.items).toEqual([]);
			expect(run.error?.message).toMatch(row.expect.error!);
		} else {
			// The retry got through: every item ends with its video.
			expect(run.items.map((item) => item.json.status)).toEqual(['success', 'success', 'success']);
		}
		expect(run.lostJobs).toEqual([]);
		expect(run.leaks).toEqual([]);
		expect(outcome.paidTwice).toEqual([]);
		ledger.faultsSurvived++;
	});
});

// --- rate limits per account ---------------------------------------------------------------

describe('rate limits belong to one account: another account on the same host is not delayed', () => {
	const second = { apiKey: 'sk-hostile-second-account-42', organizationId: 'org-second' };
	let sim: Simulator;
	beforeEach(async () => {
		sim = await startSimulator({ ...SIM, extraApiKeys: [second.apiKey] });
	});
	afterEach(async () => await sim.close());

	/** Every status request (list or job) of the first account answers 429 with this Retry-After. */
	const limitFirstAccount = (retryAfter: number) => sim.addFault({ kind: '429', method: 'GET', path: /^\/requests/, apiKey: API_KEY, retryAfter, times: Infinity });

	test.each([
		['429 with Retry-After 30 for one account, 10 of its jobs waiting', 30, 10],
		['429 with Retry-After 3600 for one account (the pause is capped)', 3600, 3],
	])('%s', async (_name, retryAfter, count) => {
		limitFirstAccount(retryAfter);
		const limitedItems = Array.from({ length: count }, (_, i) => ({ json: { prompt: `Limited ${i}` } }));
		// Overlapping runs: each books only its own account's jobs.
		const [limited, other] = await Promise.all([
			hostileRun(sim, { parameters: { ...WAITING, timeout: 3 }, items: limitedItems, continueOnFail: true }),
			hostileRun(sim, { parameters: { ...WAITING, timeout: 20 }, items: [{ json: { prompt: 'Other account #ms=1500' } }], continueOnFail: true, account: second }),
		]);
		expect(other.items[0].json).toMatchObject({ status: 'success', videoUrl: expect.any(String) });
		expect(other.items[0].json.timedOut).toBeUndefined();
		// The limited account's jobs end at their own timeout, with their request ids, not at the Retry-After.
		expect(limited.items.map((item) => fateOf(item, false))).toEqual(limitedItems.map(() => 'timedOut'));
		for (const item of limited.items) expect(String(item.json.lastPollProblem)).toMatch(/429/);
		expect([...limited.lostJobs, ...other.lostJobs, ...limited.leaks, ...other.leaks]).toEqual([]);
		ledger.faultsSurvived++;
	}, 30_000);
});

// --- across every run ------------------------------------------------------------------------

describe('across every run of the suite', () => {
	test('no job lost and no secret leaked (outputs, errors, execution data, logs)', () => {
		const logs = capturedLogs();
		// The capture saw n8n's own error log of the runs, so the log scan is not of an empty page.
		expect(logs.some((line) => line.includes('Invalid Prompt (prompt)'))).toBe(true);
		scanLogs(logs);
		expect(ledger.findings).toEqual([]);
		expect(ledger.jobsLost).toBe(0);
		expect(ledger.secretLeaks).toBe(0);
		expect(ledger.badInputsRejected).toBeGreaterThanOrEqual(25);
	});
});
