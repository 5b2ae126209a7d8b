/**
 * Runs before each test file (jest `setupFilesAfterEnv`): n8n's Logger writes into `__n8nLogs`
 * instead of the console, and test/helpers/quiet-environment.js prints those lines only for a
 * test that fails. The Logger is n8n's own (levels, scopes, LoggerProxy, ErrorReporter all
 * unchanged); only its winston output is swapped, through `setInternalLogger` (private in the
 * typings, a plain method at run time: n8n's scoped loggers are built with it).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// Set before n8n's config is first read (building the Logger reads it; the n8n modules below are
// required after these lines). n8n keeps its instance files in a folder of the run's own, and
// logs every accepted job at info level: the suites read better with warnings and errors only.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'hailuo-n8n-'));
process.env.N8N_LOG_LEVEL ??= 'warn';

const { Container } = require('@n8n/di') as typeof import('@n8n/di');
const { Logger } = require('@n8n/backend-common') as typeof import('@n8n/backend-common');

/** What n8n's Logger calls on its winston logger once built: log, and child for scoped loggers. */
interface InternalLogger {
	log(level: string, message: string, metadata?: object): InternalLogger;
	child(options: { scopes?: string[] }): InternalLogger;
}

type Listener = (level: string, message: string, metadata: object) => void;
const listeners = new Set<Listener>();

/**
 * Every line n8n's Logger writes in this test file, with its metadata (which the console never
 * showed), for suites that scan logs (test/hostile). Returns the unsubscribe function.
 */
export function onN8nLog(listener: Listener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

const sink = (globalThis as unknown as { __n8nLogs?: string[] }).__n8nLogs;

function capturing(scopes: string[] = []): InternalLogger {
	const logger: InternalLogger = {
		log(level, message, metadata = {}) {
			sink?.push(`[n8n ${level}${scopes.length ? ` ${scopes.join(',')}` : ''}] ${message}`);
			for (const listener of listeners) listener(level, message, metadata);
			return logger;
		},
		child: ({ scopes: more = [] }) => capturing([...scopes, ...more]),
	};
	return logger;
}

if (sink) (Container.get(Logger) as unknown as { setInternalLogger(logger: InternalLogger): void }).setInternalLogger(capturing());
