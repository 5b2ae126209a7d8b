#!/usr/bin/env node
'use strict';
/**
 * `npm run check:pack`: checks what `npm pack` would publish against what a community node
 * package should ship: the compiled node and credential (JS), their icons and the
 * codex file under dist/, plus package.json, README.md and LICENSE. No tests, simulator,
 * fixtures or source maps, no docs/ beyond the README; no runtime dependencies; at most 60 kB packed.
 *
 *   node scripts/check-pack.js [--build] [--json]
 *
 *   --build  run `npm run build` first (done anyway when dist/ is missing or older than the sources)
 *   --json   print the report as one JSON object instead of the table
 *
 * Prints the tarball's files and sizes; exits 1 when a rule is broken.
 * The jest suite (test/pack.test.ts) runs the same checks through the exports below.
 */

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const PROJECT_DIR = path.resolve(__dirname, '..');
// A budget, and a guard against accidental inclusions (tests, fixtures, maps, docs, node_modules): two
// nodes and a README of at most 20 kB (npm always packs it; the rest of the docs live in docs/, not
// packed) come to about 45 kB.
const MAX_PACKED_BYTES = 60 * 1000;
/** npm always packs these at the root (the license and readme by name, whatever `files` says). */
const ROOT_FILES = ['package.json', 'README.md', 'LICENSE'];
/** What may live under dist/: compiled code, its declarations, icons, the codex file. */
const DIST_FILE = /^dist\/.+(\.js|\.d\.ts|\.svg|\.png|\.node\.json)$/;
/** Never published, wherever it appears. */
const FORBIDDEN = [
	{ pattern: /(^|\/)(test|tests|__tests__|simulator|fixtures|bench|e2e|coverage)(\/|$)/, why: 'test, simulator, fixture or bench code' },
	{ pattern: /\.(test|spec)\.[cm]?[jt]s$/, why: 'a test file' },
	{ pattern: /\.map$/, why: 'a source map' },
	{ pattern: /\.tsbuildinfo$/, why: 'a TypeScript build cache' },
	{ pattern: /(^|\/)\.n8n-local(\/|$)/, why: 'the local n8n of `npm start`' },
];
const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies'];
/** Build inputs: when any is newer than the compiled output, dist/ is stale. */
const SOURCE_DIRS = ['nodes', 'credentials'];

const posix = (p) => p.split(path.sep).join('/');

function walk(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? walk(full) : [full];
	});
}

/** Why dist/ needs a build, or '' when it is up to date with nodes/ and credentials/. */
function staleReason(projectDir = PROJECT_DIR) {
	const dist = path.join(projectDir, 'dist');
	const compiled = walk(dist).filter((f) => f.endsWith('.js'));
	if (!compiled.length) return 'dist/ is missing';
	const oldestBuild = Math.min(...compiled.map((f) => fs.statSync(f).mtimeMs));
	const sources = SOURCE_DIRS.flatMap((d) => walk(path.join(projectDir, d)));
	const newer = sources.find((f) => fs.statSync(f).mtimeMs > oldestBuild);
	return newer ? `${posix(path.relative(projectDir, newer))} is newer than dist/` : '';
}

/** The machine's npm: the one running this script under `npm run`, else `npm` on PATH. */
function npm(args, options) {
	const execPath = process.env.npm_execpath;
	const [cmd, pre] = execPath && /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath]] : ['npm', []];
	const result = spawnSync(cmd, [...pre, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
	if (result.error) throw result.error;
	return result;
}

/** Runs `npm run build` when asked to or when dist/ is missing or stale; returns why it built ('' = it did not). */
function ensureBuild({ force = false, projectDir = PROJECT_DIR, log = () => undefined } = {}) {
	const reason = force ? 'asked to build' : staleReason(projectDir);
	if (!reason) return '';
	log(`Building (${reason})…`);
	const result = npm(['run', 'build'], { cwd: projectDir });
	if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
	return reason;
}

/** `npm pack --dry-run --json`: the tarball's name, sizes and file list, without writing it. */
function packDryRun(projectDir = PROJECT_DIR) {
	const result = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: projectDir });
	if (result.status !== 0) throw new Error(`npm pack --dry-run failed (exit ${result.status}):\n${result.stderr}`);
	const json = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
	return json[0];
}

/** Paths an n8n description refers to as `file:…` icons, relative to the file that declares them. */
function iconPaths(icon, declaredIn) {
	const values = typeof icon === 'string' ? [icon] : icon && typeof icon === 'object' ? Object.values(icon) : [];
	return values
		.filter((v) => typeof v === 'string' && v.startsWith('file:'))
		.map((v) => posix(path.posix.normalize(path.posix.join(path.posix.dirname(declaredIn), v.slice('file:'.length)))));
}

/** The icons the built node and credential classes declare (needs dist/). */
function declaredIcons(pkg, projectDir = PROJECT_DIR) {
	const icons = [];
	for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		const full = path.join(projectDir, file);
		if (!fs.existsSync(full)) continue;
		for (const Class of Object.values(require(full))) {
			if (typeof Class !== 'function') continue;
			const instance = new Class();
			icons.push(...iconPaths(instance.description?.icon ?? instance.icon, file));
		}
	}
	return icons;
}

/**
 * The rules. `pack` is one entry of `npm pack --dry-run --json`; `pkg` is package.json;
 * `icons` are the icon files the node and credential declare; `sourceExists(path)` tells whether
 * a TypeScript source exists (to spot stale output of deleted sources).
 */
function checkPack(pack, pkg, { icons = [], sourceExists = () => true } = {}) {
	const problems = [];
	const warnings = [];
	const paths = pack.files.map((f) => f.path);
	const main = pkg.main ? posix(path.posix.normalize(pkg.main)) : undefined;

	for (const file of paths) {
		const forbidden = FORBIDDEN.find((rule) => rule.pattern.test(file));
		if (forbidden) problems.push(`${file}: ${forbidden.why} must not be published`);
		else if (ROOT_FILES.includes(file)) continue;
		else if (file === main && !file.startsWith('dist/')) {
			warnings.push(
				`${file}: packed because package.json "main" names it (n8n loads the package through its "n8n" section, so "main" could go)`,
			);
		} else if (!DIST_FILE.test(file)) problems.push(`${file}: only dist/ (JS, .d.ts, icons, codex JSON), package.json, README.md and LICENSE belong in the package`);
		else if (/\.js$/.test(file) && !sourceExists(file.replace(/^dist\//, '').replace(/\.js$/, '.ts'))) {
			problems.push(`${file}: no source for it any more (stale build output: delete dist/ and build again)`);
		}
	}
	for (const file of ROOT_FILES) if (!paths.includes(file)) problems.push(`${file} is missing from the package`);
	for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		const packed = posix(path.posix.normalize(file));
		if (!paths.includes(packed)) problems.push(`${packed} (named in package.json "n8n") is missing from the package`);
	}
	for (const node of pkg.n8n?.nodes ?? []) {
		const codex = posix(path.posix.normalize(node)).replace(/\.js$/, '.json');
		if (!paths.includes(codex)) problems.push(`${codex} (the codex file of ${node}) is missing from the package`);
	}
	for (const icon of icons) if (!paths.includes(icon)) problems.push(`${icon} (an icon the node or credential declares) is missing from the package`);
	for (const field of DEPENDENCY_FIELDS) {
		const deps = pkg[field];
		const names = Array.isArray(deps) ? deps : Object.keys(deps ?? {});
		if (names.length) problems.push(`package.json ${field}: ${names.join(', ')} (community nodes ship with no runtime dependencies)`);
	}
	if (pack.size > MAX_PACKED_BYTES) problems.push(`the tarball is ${pack.size} bytes, over the ${MAX_PACKED_BYTES}-byte limit`);
	return { problems, warnings };
}

/** Everything: build if needed, pack, check. */
function run({ build = false, projectDir = PROJECT_DIR, log = () => undefined } = {}) {
	const built = ensureBuild({ force: build, projectDir, log });
	const pkg = JSON.parse(fs.readFileSync(path.join(projectDir, 'package.json'), 'utf8'));
	const pack = packDryRun(projectDir);
	const icons = declaredIcons(pkg, projectDir);
	const sourceExists = (file) => fs.existsSync(path.join(projectDir, file));
	return { built, pkg, pack, icons, ...checkPack(pack, pkg, { icons, sourceExists }) };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

function printReport({ pack, problems, warnings }, write = (line) => process.stdout.write(`${line}\n`)) {
	const width = Math.max(...pack.files.map((f) => f.path.length));
	write(`${pack.filename}: ${pack.files.length} files`);
	for (const file of [...pack.files].sort((a, b) => a.path.localeCompare(b.path))) {
		write(`  ${file.path.padEnd(width)}  ${String(file.size).padStart(7)} B`);
	}
	write(`packed ${kB(pack.size)} (limit ${kB(MAX_PACKED_BYTES)}), unpacked ${kB(pack.unpackedSize)}`);
	for (const warning of warnings) write(`warning: ${warning}`);
	for (const problem of problems) write(`problem: ${problem}`);
	write(problems.length ? `FAIL: ${problems.length} problem(s)` : 'OK: the package holds only what it should');
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const unknown = args.filter((a) => !['--build', '--json'].includes(a));
	if (unknown.length) {
		process.stderr.write(`unknown argument(s): ${unknown.join(' ')}\nusage: node scripts/check-pack.js [--build] [--json]\n`);
		process.exit(2);
	}
	try {
		const report = run({ build: args.includes('--build'), log: (m) => process.stderr.write(`${m}\n`) });
		if (args.includes('--json')) {
			const { pack, problems, warnings, built } = report;
			const files = pack.files.map((f) => ({ path: f.path, size: f.size }));
			process.stdout.write(`${JSON.stringify({ ok: !problems.length, filename: pack.filename, size: pack.size, unpackedSize: pack.unpackedSize, files, problems, warnings, built })}\n`);
		} else {
			printReport(report);
		}
		process.exit(report.problems.length ? 1 : 0);
	} catch (error) {
		process.stderr.write(`check-pack: ${error && error.message ? error.message : error}\n`);
		process.exit(2);
	}
}

module.exports = { MAX_PACKED_BYTES, checkPack, declaredIcons, ensureBuild, packDryRun, printReport, run, staleReason };
