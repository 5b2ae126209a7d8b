/**
 * The hostile world's bookkeeping: every run of the suite goes through `hostileRun`, which
 * scans what the run left behind (output items, errors, the execution data n8n would persist)
 * for the API key and for signed-URL signatures, and checks that every job the simulator
 * accepted during the run can still be found in the output or in an error.
 */
import { LoggerProxy, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { runHailuo, type RunOptions, type RunResult } from '../helpers/engine';
import { onN8nLog } from '../helpers/n8nLogs';
import type { RecordedRequest, Simulator } from '../simulator';
import { RESULT_SIGNATURE } from './gateway';

/** Distinctive, so any hit is a leak and never a coincidence. */
export const API_KEY = 'sk-hostile-SECRET-0123456789abcdef';
export const BEARER_KEY = `Bearer ${API_KEY}`;

export const ledger = {
	badInputsRejected: 0,
	faultsSurvived: 0,
	jobsLost: 0,
	secretLeaks: 0,
	/** What leaked or got lost, for the failure messages. */
	findings: [] as string[],
};

export function summaryLine(): string {
	return `hostile: ${ledger.badInputsRejected} bad inputs rejected before network, ${ledger.faultsSurvived} faults survived, ${ledger.jobsLost} jobs lost, ${ledger.secretLeaks} secret leaks`;
}

// --- log capture ---------------------------------------------------------------------------

const logLines: string[] = [];
let restoreLogs: (() => void) | undefined;
/** Runs in flight: the process streams are only taken meanwhile (jest's own reporting is not the node's). */
let activeRuns = 0;

/** Everything n8n's logger and the console print during the suite, and the process streams during runs. */
export function captureLogs(): void {
	const record = (...parts: unknown[]) => logLines.push(parts.map((part) => safeJson(part)).join(' '));
	LoggerProxy.init({ error: record, warn: record, info: record, debug: record } as unknown as Parameters<typeof LoggerProxy.init>[0]);
	// n8n's own Logger (its error reporter logs every node error) writes through test/helpers/n8nLogs.ts.
	const stopN8nLogs = onN8nLog((_level, message, metadata) => record(message, metadata));
	const consoleMethods = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => jest.spyOn(console, method).mockImplementation(record));
	// n8n's logger (winston) writes to the console's own streams when it has them (jest's console does).
	const consoleStreams = console as unknown as { _stdout?: NodeJS.WriteStream; _stderr?: NodeJS.WriteStream };
	const targets = [...new Set([process.stdout, process.stderr, consoleStreams._stdout, consoleStreams._stderr])].filter(
		(stream): stream is NodeJS.WriteStream => typeof stream?.write === 'function',
	);
	const streams = targets.map((stream) => {
		const own = Object.getOwnPropertyDescriptor(stream, 'write');
		const write = stream.write.bind(stream);
		stream.write = ((chunk: unknown, ...rest: unknown[]) => {
			if (activeRuns === 0) return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
			// n8n's error reporter logs every node error: kept for the scan, not printed.
			record(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk);
			const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
			if (done) process.nextTick(done);
			return true;
		}) as typeof stream.write;
		return () => (own ? Object.defineProperty(stream, 'write', own) : delete (stream as Partial<NodeJS.WriteStream>).write);
	});
	restoreLogs = () => {
		stopN8nLogs();
		consoleMethods.forEach((spy) => spy.mockRestore());
		streams.forEach((restore) => restore());
	};
}

export const capturedLogs = (): string[] => [...logLines];

export function releaseLogs(): string[] {
	restoreLogs?.();
	restoreLogs = undefined;
	return logLines;
}

// --- scanning ------------------------------------------------------------------------------

/** JSON that survives cycles, Buffers and Errors (whose message and stack are not enumerable). */
export function safeJson(value: unknown): string {
	if (typeof value === 'string') return value;
	const seen = new WeakSet<object>();
	try {
		return (
			JSON.stringify(value, (_key, v: unknown) => {
				if (typeof v === 'bigint') return String(v);
				if (v instanceof Error) {
					const own: IDataObject = {};
					for (const name of Object.getOwnPropertyNames(v)) own[name] = (v as unknown as IDataObject)[name];
					const cause = (v as { cause?: unknown }).cause;
					return { ...own, cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : cause };
				}
				if (v && typeof v === 'object') {
					if (seen.has(v)) return '[cycle]';
					seen.add(v);
				}
				return v;
			}) ?? String(value)
		);
	} catch {
		return String(value);
	}
}

export interface ScanTarget {
	/** Where the text came from, for the finding. */
	where: string;
	text: string;
}

/** Key hits count once per text, whichever form (bare or Bearer) they take. */
export function keyHits(targets: ScanTarget[]): string[] {
	return targets
		.filter((t) => t.text.includes(API_KEY))
		.map((t) => `${t.where} holds the API key${t.text.includes(BEARER_KEY) ? ' (Bearer form)' : ''}`);
}

/** Signed URLs' query strings must never reach an error. */
export function signatureHits(errorTargets: ScanTarget[], signatures: string[]): string[] {
	const secrets = [RESULT_SIGNATURE, ...signatures].filter(Boolean);
	return errorTargets
		.filter((t) => t.text.includes('X-Goog-Signature') || secrets.some((s) => t.text.includes(s)))
		.map((t) => `${t.where} echoes a signed URL's query string`);
}

interface ItemError {
	message?: string;
	description?: string | null;
	stack?: string;
	cause?: unknown;
}

/**
 * Every text of an error a user or a log can see: message, description and stack along its
 * causes, and the error as n8n persists it (its JSON). A cause's other fields stay in memory
 * (an axios cause holds the request, headers and all) and are not shown anywhere.
 */
function errorTexts(where: string, error: ItemError | undefined): ScanTarget[] {
	if (!error) return [];
	const texts: ScanTarget[] = [{ where: `${where} (as persisted)`, text: safeJson(error) }];
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const e = current as ItemError;
		texts.push(
			{ where: `${where} message`, text: String(e.message ?? '') },
			{ where: `${where} description`, text: String(e.description ?? '') },
			{ where: `${where} stack`, text: String(e.stack ?? '') },
		);
		current = e.cause;
		where = `${where} → cause`;
	}
	return texts;
}

export interface HostileRun extends RunResult {
	/** Requests the run made (both servers). */
	requests: RecordedRequest[];
	/** Job ids the simulator accepted during the run. */
	jobIds: string[];
	/** Texts shown as errors: item errors, `error` fields, the run's error. */
	errorTexts: ScanTarget[];
	/** Everything the run produced, errors included. */
	allTexts: ScanTarget[];
	lostJobs: string[];
	leaks: string[];
}

export interface RunSpec {
	parameters: INodeParameters;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	retryOnFail?: RunOptions['retryOnFail'];
	/** Base URL of the node's credential (a gateway); the simulator's by default. */
	baseUrl?: string;
	/** Another account (the simulator must accept its key): runs of several accounts may overlap on one simulator. */
	account?: { apiKey: string; organizationId: string };
}

/** Runs the node against `sim`, then scans and books what the run left behind. */
export async function hostileRun(sim: Simulator, spec: RunSpec): Promise<HostileRun> {
	const requestMark = sim.requests.length;
	const jobMark = sim.requestIds.length;
	activeRuns++;
	const result = await runHailuo({
		parameters: spec.parameters,
		items: spec.items,
		continueOnFail: spec.continueOnFail,
		retryOnFail: spec.retryOnFail,
		credentials: { apiKey: API_KEY, organizationId: '', ...spec.account, baseUrl: spec.baseUrl ?? sim.url },
	}).finally(() => activeRuns--);
	const requests = sim.requests.slice(requestMark);
	// The simulator files a job under the organization it was submitted with ('org-sim' without one).
	const organization = spec.account?.organizationId || 'org-sim';
	const jobIds = sim.requestIds.slice(jobMark).filter((id) => sim.jobs.get(id)?.orgId === organization);

	const errors: ScanTarget[] = [...errorTexts('run error', result.error)];
	const outputs: ScanTarget[] = [];
	result.items.forEach((item, index) => {
		const where = `output item ${index}`;
		outputs.push({ where: `${where} json`, text: safeJson(item.json) });
		if (item.binary) outputs.push({ where: `${where} binary metadata`, text: safeJson(Object.values(item.binary).map(({ data: _data, ...meta }) => meta)) });
		if (typeof item.json.error === 'string') errors.push({ where: `${where} json.error`, text: item.json.error });
		if (typeof item.json.lastPollProblem === 'string') errors.push({ where: `${where} json.lastPollProblem`, text: item.json.lastPollProblem });
		errors.push(...errorTexts(`${where} error`, item.error as ItemError | undefined));
	});
	// What n8n would persist as the execution: run data, errors included.
	const persisted: ScanTarget = { where: 'execution data', text: result.run ? safeJson(result.run.data) : '' };
	const allTexts = [...outputs, ...errors, persisted];

	const found = allTexts.map((t) => t.text).join('\n');
	const lostJobs = jobIds.filter((id) => !found.includes(id));
	const signatures = [...sim.uploads.values()].map((upload) => upload.signature);
	const leaks = [...keyHits(allTexts), ...signatureHits(errors, signatures)];

	ledger.jobsLost += lostJobs.length;
	ledger.secretLeaks += leaks.length;
	ledger.findings.push(...lostJobs.map((id) => `job ${id} is in no output and no error`), ...leaks);
	return { ...result, requests, jobIds, errorTexts: errors, allTexts, lostJobs, leaks };
}

/** Books the captured log lines into the ledger; returns the hits. */
export function scanLogs(lines: string[]): string[] {
	const hits = keyHits(lines.map((text, index) => ({ where: `log line ${index + 1}`, text })));
	const signed = lines.filter((line) => line.includes(RESULT_SIGNATURE)).map((_line, index) => `log line ${index + 1} echoes a signature`);
	ledger.secretLeaks += hits.length + signed.length;
	ledger.findings.push(...hits, ...signed);
	return [...hits, ...signed];
}
