#!/usr/bin/env node
'use strict';
/**
 * `npm run check:scanner`: runs n8n's own verification scanner, `@n8n/scan-community-package`, the
 * way n8n runs it on a published package, and fails on any problem it reports:
 *
 *   1. the source (package.json, nodes/ and credentials/) with the scanner's SOURCE_FILE_PATTERNS;
 *   2. the unpacked `npm pack` tarball with `**\/*.js` + `package.json`.
 *
 * The scanner's CLI downloads a package from the registry, which an unpublished version is not on,
 * so this calls its exported `analyzePackage(dir, patterns)` directly (its provenance check only
 * applies to a published version; the release workflow takes care of that).
 *
 * The scanner is installed once into ~/.cache/n8n-nodes-hailuo (next to the n8n runtimes; override
 * with HAILUO_N8N_CACHE), never into this project, so its pinned eslint and plugins cannot
 * change what `npm run lint` resolves.
 *
 *   node scripts/check-scanner.js [--json]
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { createRequire } = require('module');
const { pathToFileURL } = require('url');
const { cacheRoot } = require('./lib/n8n-runtime');
const { ensureBuild } = require('./check-pack');

const PROJECT_DIR = path.resolve(__dirname, '..');
const SCANNER_VERSION = '0.32.0';
/**
 * The scanner depends on typescript 7, the native port without the JavaScript API that
 * @typescript-eslint/typescript-estree calls, so every file fails to parse; a 5.9 installed next to
 * it is the one typescript-estree resolves.
 */
const TYPESCRIPT_VERSION = '5.9.3';
/** The community-nodes rules import n8n-workflow (a peer the scanner does not install). */
const N8N_WORKFLOW_VERSION = require(path.join(PROJECT_DIR, 'package.json')).devDependencies['n8n-workflow'];
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

const log = (message) => process.stderr.write(`${message}\n`);

function npm(args, options) {
	const execPath = process.env.npm_execpath;
	const [cmd, pre] = execPath && /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath]] : ['npm', []];
	const env = { ...process.env };
	// `npm run` exports the project's config (prefix, ignore-scripts, …): the cache folder is not the project
	for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
	const result = spawnSync(cmd, [...pre, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env, ...options });
	if (result.error) throw result.error;
	return result;
}

function scannerDir() {
	return path.join(cacheRoot(), `scan-community-package-${SCANNER_VERSION}-ts-${TYPESCRIPT_VERSION}-workflow-${N8N_WORKFLOW_VERSION}`);
}

/** Installs the pinned scanner (once) and returns the path of its scanner.mjs. */
function ensureScanner() {
	const dir = scannerDir();
	const entry = path.join(dir, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');
	const marker = path.join(dir, '.complete');
	if (fs.existsSync(marker) && fs.existsSync(entry)) return entry;
	log(`Installing @n8n/scan-community-package@${SCANNER_VERSION} into ${dir} (once)…`);
	// a fresh temporary folder renamed into place: a concurrent or interrupted install never leaves half a cache
	const staging = fs.mkdtempSync(path.join(cacheRoot(), '.scanner-'));
	const dependencies = {
		'@n8n/scan-community-package': SCANNER_VERSION,
		typescript: TYPESCRIPT_VERSION,
		'n8n-workflow': N8N_WORKFLOW_VERSION,
	};
	fs.writeFileSync(
		path.join(staging, 'package.json'),
		JSON.stringify({ name: 'hailuo-scanner-cache', version: '0.0.0', private: true, dependencies }, null, 2),
	);
	const result = npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'], { cwd: staging });
	if (result.status !== 0) {
		fs.rmSync(staging, { recursive: true, force: true });
		throw new Error(`npm install of the scanner failed (exit ${result.status}):\n${result.stderr.slice(-3000)}`);
	}
	fs.writeFileSync(path.join(staging, '.complete'), new Date().toISOString());
	fs.rmSync(dir, { recursive: true, force: true });
	try {
		fs.renameSync(staging, dir);
	} catch (error) {
		// another run finished first: use its copy
		fs.rmSync(staging, { recursive: true, force: true });
		if (!fs.existsSync(marker)) throw error;
	}
	return entry;
}

/** `npm pack` the project and unpack the tarball the way the scanner does (`tar --strip-components=1`). */
function packAndUnpack(workDir) {
	const result = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], { cwd: PROJECT_DIR });
	if (result.status !== 0) throw new Error(`npm pack failed (exit ${result.status}):\n${result.stderr}`);
	const [{ filename }] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
	const unpacked = path.join(workDir, 'package');
	fs.mkdirSync(unpacked);
	const tar = spawnSync('tar', ['-xzf', path.join(workDir, filename), '-C', unpacked, '--strip-components=1'], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`tar could not unpack ${filename}: ${tar.stderr}`);
	return { filename, unpacked };
}

/**
 * `analyzePackage` passes a package whose only findings are warnings (and then shows none); n8n's
 * rules warn about things a reviewer asks for (dead files, a homepage, themed icons), so the same
 * config, lint and files are run once more through the scanner's own ESLint to count warnings too.
 */
async function countWarnings(scanner, entry, dir, patterns) {
	const { ESLint } = createRequire(entry)('eslint');
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
	const results = await eslint.lintFiles(patterns);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	const details = warnings ? await (await eslint.loadFormatter('stylish')).format(results) : undefined;
	return { warnings, details };
}

/** Both scans: the scanner's own `{ passed, message?, details? }` and the count of warnings. */
async function scan() {
	const entry = ensureScanner();
	const scanner = await import(pathToFileURL(entry).href);
	ensureBuild({ projectDir: PROJECT_DIR, log });
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hailuo-scan-'));
	try {
		const { filename, unpacked } = packAndUnpack(workDir);
		const targets = [
			{ target: 'source', dir: PROJECT_DIR, patterns: scanner.SOURCE_FILE_PATTERNS },
			{ target: filename, dir: unpacked, patterns: TARBALL_PATTERNS },
		];
		const results = [];
		for (const { target, dir, patterns } of targets) {
			const verdict = await scanner.analyzePackage(dir, patterns);
			const { warnings, details } = await countWarnings(scanner, entry, dir, patterns);
			const passed = verdict.passed && warnings === 0;
			const message = verdict.message ?? (warnings ? `${warnings} warning(s)` : undefined);
			results.push({ target, patterns, passed, message, details: verdict.details ?? details });
		}
		return results;
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

if (require.main === module) {
	const json = process.argv.includes('--json');
	scan()
		.then((results) => {
			const failed = results.filter((r) => !r.passed);
			if (json) {
				process.stdout.write(`${JSON.stringify({ scanner: SCANNER_VERSION, ok: !failed.length, results })}\n`);
			} else {
				for (const r of results) {
					process.stdout.write(`${r.passed ? 'OK  ' : 'FAIL'} ${r.target} (${r.patterns.join(', ')})${r.message ? `: ${r.message}` : ''}\n`);
					if (r.details) process.stdout.write(`${r.details.trim()}\n`);
				}
				process.stdout.write(
					failed.length
						? `@n8n/scan-community-package ${SCANNER_VERSION}: problems in ${failed.map((r) => r.target).join(' and ')}\n`
						: `@n8n/scan-community-package ${SCANNER_VERSION}: 0 problems in the source and the tarball\n`,
				);
			}
			process.exit(failed.length ? 1 : 0);
		})
		.catch((error) => {
			process.stderr.write(`check-scanner: ${error && error.stack ? error.stack : error}\n`);
			process.exit(2);
		});
}

module.exports = { SCANNER_VERSION, TYPESCRIPT_VERSION, TARBALL_PATTERNS, ensureScanner, scan };
