'use strict';
/**
 * An n8n queue-mode cluster on this machine, for `npm run test:scale` and `npm run bench:scale`:
 * Redis and PostgreSQL from Debian packages (installed with apt-get when missing), one `n8n start`
 * main with EXECUTIONS_MODE=queue and N `n8n worker`s, each n8n process with its own user folder
 * holding the packed package, as separate machines would have. Every process is started through
 * scripts/lib/n8n-runtime.js (spawnTracked), so it is stopped by PID even when a check fails.
 *
 *   const c = new Cluster({ log });
 *   await c.prepare();                 // packages, runtime, pack, Redis, PostgreSQL, simulator
 *   await c.startMain(); await c.startWorker('w1'); …
 *   await c.importCredential(); await c.importWorkflows([file]);
 *   await c.webhook('hailuo-scale', { prompt });  // → { status, headers, body, ms }
 *   await c.stop();
 */

const fs = require('fs');
const os = require('os');
const net = require('net');
const path = require('path');
const http = require('http');
const crypto = require('crypto');
const lib = require('../../scripts/lib/n8n-runtime');

const DEBIAN_PACKAGES = { redis: 'redis-server', postgres: 'postgresql' };
const APT_LOCK = ['-o', 'DPkg::Lock::Timeout=300'];

/** First existing path among candidates (PATH lookups included). */
function findBinary(name, extraDirs = []) {
	const dirs = [...extraDirs, ...(process.env.PATH || '').split(path.delimiter), '/usr/sbin', '/usr/bin'];
	for (const d of dirs) {
		const p = path.join(d, name);
		try {
			fs.accessSync(p, fs.constants.X_OK);
			return p;
		} catch {}
	}
	return null;
}

/** Debian keeps PostgreSQL's server binaries in /usr/lib/postgresql/<major>/bin, off PATH. */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	let majors = [];
	try {
		majors = fs
			.readdirSync(root)
			.filter((v) => /^\d+$/.test(v))
			.sort((a, b) => Number(b) - Number(a));
	} catch {}
	for (const m of majors) {
		const dir = path.join(root, m, 'bin');
		if (fs.existsSync(path.join(dir, 'postgres')) && fs.existsSync(path.join(dir, 'initdb'))) return dir;
	}
	const initdb = findBinary('initdb');
	return initdb && fs.existsSync(path.join(path.dirname(fs.realpathSync(initdb)), 'postgres')) ? path.dirname(fs.realpathSync(initdb)) : null;
}

function missingPackages() {
	const missing = [];
	if (!findBinary('redis-server')) missing.push(DEBIAN_PACKAGES.redis);
	if (!postgresBinDir() || !findBinary('psql', ['/usr/bin'])) missing.push(DEBIAN_PACKAGES.postgres);
	return missing;
}

/** apt-get install what is missing (one `apt-get update` first). Returns the packages installed. */
async function ensureDebianPackages({ log }) {
	const missing = missingPackages();
	if (!missing.length) return [];
	if (!process.getuid || process.getuid() !== 0) {
		throw new Error(`missing ${missing.join(', ')}: install them (sudo apt-get install ${missing.join(' ')}) or run as root`);
	}
	log(`  … installing ${missing.join(' ')} with apt-get (once)`);
	// policy-rc.d / RUNLEVEL=1 keep the packages' own services from starting: we run our own.
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
	const t = Date.now();
	let r = await lib.runCapture('apt-get', ['update', '-q', ...APT_LOCK], { env, timeoutMs: 600000, name: 'apt-get update' });
	if (r.code !== 0) throw new Error(`apt-get update failed:\n${lib.lastLines(r.stdout + r.stderr, 20)}`);
	r = await lib.runCapture('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...APT_LOCK, ...missing], {
		env,
		timeoutMs: 900000,
		name: 'apt-get install',
	});
	if (r.code !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed:\n${lib.lastLines(r.stdout + r.stderr, 20)}`);
	const still = missingPackages();
	if (still.length) throw new Error(`still missing after apt-get install: ${still.join(', ')}`);
	log(`  … installed ${missing.join(' ')} (${lib.fmtSecs(Date.now() - t)})`);
	return missing;
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		try {
			process.kill(pid, signal);
			return true;
		} catch {
			return false;
		}
	}
}

function tcpPing(port, payload, expect, timeoutMs = 1000) {
	return new Promise((resolve) => {
		const s = net.connect(port, '127.0.0.1');
		let buf = '';
		const done = (ok) => {
			s.destroy();
			resolve(ok);
		};
		s.setTimeout(timeoutMs, () => done(false));
		s.on('error', () => done(false));
		s.on('connect', () => payload && s.write(payload));
		s.on('data', (d) => {
			buf += d;
			if (buf.includes(expect)) done(true);
		});
	});
}

/** Resident memory of one process, in bytes (0 when it is gone). */
function rssOf(pid) {
	try {
		const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

/** PIDs of every descendant of `pid` (the task runners n8n starts, …). */
function descendantsOf(pid) {
	const children = new Map();
	for (const e of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(e)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid).push(Number(e));
		} catch {}
	}
	const out = [];
	const stack = [pid];
	while (stack.length) {
		for (const c of children.get(stack.pop()) || []) {
			out.push(c);
			stack.push(c);
		}
	}
	return out;
}

/** RSS of an n8n process and, separately, of its children (task runners). */
function memoryOf(pid) {
	const kids = descendantsOf(pid);
	return { rss: rssOf(pid), childrenRss: kids.reduce((s, k) => s + rssOf(k), 0), children: kids.length };
}

const MB = 1024 * 1024;
const mb = (bytes) => Math.round((bytes / MB) * 10) / 10;

/** POST JSON with plain http (no client-side header timeout: a held webhook may take minutes). */
function postJson(url, body, { timeoutMs = 600000 } = {}) {
	return new Promise((resolve) => {
		const t0 = Date.now();
		const data = Buffer.from(JSON.stringify(body));
		const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - t0 }));
			res.on('error', (e) => resolve({ status: 0, error: e.message, body: Buffer.concat(chunks), ms: Date.now() - t0 }));
		});
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', (e) => resolve({ status: 0, error: e.message, headers: {}, body: Buffer.alloc(0), ms: Date.now() - t0 }));
		req.end(data);
	});
}

class Cluster {
	constructor({ log = (m) => process.stdout.write(`${m}\n`), tmp, encryptionKey } = {}) {
		this.log = log;
		this.tmp = tmp || fs.mkdtempSync(path.join(os.tmpdir(), 'hailuo-scale-'));
		this.encryptionKey = encryptionKey || crypto.randomBytes(24).toString('hex');
		this.workers = new Map();
		this.main = null;
		this.sim = null;
		this.redis = null;
		this.pg = null;
	}

	file(name) {
		return path.join(this.tmp, name);
	}

	/** Packages, runtime and package tarball, then Redis, PostgreSQL and the simulator, in parallel where possible. */
	async prepare({ skipBuild = !!process.env.HAILUO_SKIP_BUILD, simArgs = [] } = {}) {
		const runtimeP = lib.ensureRuntime({ log: (m) => this.log(`  ${m}`) });
		runtimeP.catch(() => {});
		const packP = lib.buildAndPack({ destDir: this.file('pack'), skipBuild, log: () => {} });
		packP.catch(() => {});
		this.installedPackages = await ensureDebianPackages({ log: this.log });
		await Promise.all([this.startRedis(), this.startPostgres()]);
		this.sim = await lib.startSimulator({ logFile: this.file('simulator.log'), args: simArgs });
		this.rt = await runtimeP;
		this.pack = await packP;
		return this;
	}

	async startRedis() {
		const port = await lib.freePort();
		const dir = this.file('redis');
		fs.mkdirSync(dir, { recursive: true });
		const out = fs.openSync(this.file('redis.log'), 'a');
		const child = lib.spawnTracked(
			findBinary('redis-server'),
			['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes'],
			{ cwd: dir, stdio: ['ignore', out, out], name: 'redis-server' },
		);
		fs.closeSync(out);
		const t0 = Date.now();
		while (!(await tcpPing(port, 'PING\r\n', '+PONG'))) {
			if (child.exitInfo) throw new Error(`redis-server exited (code ${child.exitInfo.code}):\n${lib.lastLines(fs.readFileSync(this.file('redis.log'), 'utf8'), 20)}`);
			if (Date.now() - t0 > 20000) throw new Error('redis-server did not answer PING within 20 s');
			await lib.sleep(100);
		}
		this.redis = { port, child, pid: child.pid };
		return this.redis;
	}

	/** initdb + `postgres` in the foreground (so its PID is ours to stop), as the postgres user when we are root. */
	async startPostgres() {
		const bin = postgresBinDir();
		const port = await lib.freePort();
		const root = this.file('pg');
		const data = path.join(root, 'data');
		const sock = path.join(root, 'sock');
		fs.mkdirSync(sock, { recursive: true });
		const ids = {};
		if (process.getuid && process.getuid() === 0) {
			// PostgreSQL refuses to run as root; spawn it as `postgres` (no su wrapper, so the PID is postgres's own)
			ids.uid = Number((await lib.runCapture('id', ['-u', 'postgres'], {})).stdout.trim());
			ids.gid = Number((await lib.runCapture('id', ['-g', 'postgres'], {})).stdout.trim());
			if (!Number.isInteger(ids.uid) || !Number.isInteger(ids.gid)) throw new Error('no postgres user (the postgresql package creates it)');
			fs.chmodSync(this.tmp, 0o711); // traverse only
			for (const p of [root, sock]) fs.chownSync(p, ids.uid, ids.gid);
		}
		const env = { ...process.env, LC_ALL: 'C', HOME: root };
		const init = lib.spawnTracked(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync'], {
			cwd: root,
			env,
			...ids,
			stdio: ['ignore', 'pipe', 'pipe'],
			name: 'initdb',
		});
		let initOut = '';
		init.stdout.on('data', (d) => (initOut += d));
		init.stderr.on('data', (d) => (initOut += d));
		const ie = await init.exited;
		if (ie.code !== 0) throw new Error(`initdb failed (exit ${ie.code}${ie.error ? `, ${ie.error.message}` : ''}):\n${lib.lastLines(initOut, 20)}`);
		const out = fs.openSync(this.file('postgres.log'), 'a');
		const args = ['-D', data, '-p', String(port), '-k', sock, '-c', 'listen_addresses=127.0.0.1'];
		// a throwaway database: durability buys nothing here
		args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
		const child = lib.spawnTracked(path.join(bin, 'postgres'), args, { cwd: root, env, ...ids, stdio: ['ignore', out, out], name: 'postgres' });
		fs.closeSync(out);
		this.pg = { port, child, pid: child.pid, bin, data };
		const t0 = Date.now();
		for (;;) {
			if (child.exitInfo) throw new Error(`postgres exited (code ${child.exitInfo.code}):\n${lib.lastLines(fs.readFileSync(this.file('postgres.log'), 'utf8'), 20)}`);
			const ok = await this.psql('select 1', { db: 'postgres' }).then((x) => x.trim() === '1', () => false);
			if (ok) break;
			if (Date.now() - t0 > 30000) throw new Error('PostgreSQL did not accept connections within 30 s');
			await lib.sleep(200);
		}
		await this.psql('create database n8n', { db: 'postgres' });
		this.pg.version = (await this.psql('show server_version', { db: 'postgres' })).trim();
		return this.pg;
	}

	/** One SQL statement through psql over TCP; resolves its unaligned output. */
	async psql(sql, { db = 'n8n' } = {}) {
		const psql = findBinary('psql', [this.pg.bin]);
		const r = await lib.runCapture(psql, ['-h', '127.0.0.1', '-p', String(this.pg.port), '-U', 'postgres', '-d', db, '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
			env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
			timeoutMs: 30000,
			name: 'psql',
		});
		if (r.code !== 0) throw new Error(`psql failed: ${sql}\n${r.stderr.trim()}`);
		return r.stdout;
	}

	/** Environment every n8n process of the cluster shares. */
	sharedEnv(extra = {}) {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.pg.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_LOG_LEVEL: 'info',
			...extra,
		};
	}

	async userFolder(name) {
		const dir = this.file(name);
		fs.mkdirSync(dir, { recursive: true });
		await lib.installPackage(this.pack.tgz, dir);
		return dir;
	}

	async startMain({ env = {} } = {}) {
		const userFolder = await this.userFolder('main');
		const port = await lib.freePort();
		const logFile = this.file('main.log');
		const broker = String(await lib.freePort());
		const n8n = await lib.startN8n(this.rt, {
			userFolder,
			port,
			logFile,
			env: this.sharedEnv({ N8N_RUNNERS_BROKER_PORT: broker, ...env }),
			timeoutMs: 180000,
		});
		this.main = { ...n8n, userFolder, logFile, broker };
		return this.main;
	}

	/** `n8n worker`, ready when its health server answers /healthz/readiness with 200. */
	async startWorker(name, { concurrency, env = {}, userFolder, timeoutMs = 120000 } = {}) {
		userFolder = userFolder || (await this.userFolder(name));
		const healthPort = await lib.freePort();
		const broker = String(await lib.freePort());
		const logFile = this.file(`${name}.log`);
		const out = fs.openSync(logFile, 'a');
		const args = [this.rt.n8nBin, 'worker', ...(concurrency ? [`--concurrency=${concurrency}`] : [])];
		const child = lib.spawnTracked(this.rt.nodeBin, args, {
			cwd: userFolder,
			env: lib.n8nEnv(
				this.rt,
				userFolder,
				this.sharedEnv({
					N8N_RUNNERS_BROKER_PORT: broker,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					...env,
				}),
			),
			stdio: ['ignore', out, out],
			name: `n8n worker ${name}`,
		});
		fs.closeSync(out);
		const t0 = Date.now();
		for (;;) {
			if (child.exitInfo) throw new Error(`worker ${name} exited (code ${child.exitInfo.code}) before it was ready:\n${lib.lastLines(fs.readFileSync(logFile, 'utf8'), 30)}`);
			const r = await lib.httpJson('GET', `http://127.0.0.1:${healthPort}/healthz/readiness`, { timeoutMs: 2000 }).catch(() => null);
			if (r && r.status === 200) break;
			if (Date.now() - t0 > timeoutMs) throw new Error(`worker ${name} was not ready within ${timeoutMs} ms`);
			await lib.sleep(250);
		}
		const w = { name, child, pid: child.pid, healthPort, broker, logFile, userFolder, readyMs: Date.now() - t0 };
		this.workers.set(name, w);
		return w;
	}

	/**
	 * Everything at once: prepare, main, `workers` workers (while the credential and `workflowFiles`
	 * are imported), then wait until `probeWebhook` is registered (a harmless webhook).
	 */
	async startAll({ workers = 2, workflowFiles, probeWebhook = 'hailuo-scale-list', prepare = {}, workerOptions = {} } = {}) {
		await this.prepare(prepare);
		await this.startMain();
		const ws = Promise.all(Array.from({ length: workers }, (_, i) => this.startWorker(`w${i + 1}`, workerOptions)));
		ws.catch(() => {});
		await this.importCredential();
		await this.importWorkflows(workflowFiles);
		await ws;
		const t0 = Date.now();
		for (;;) {
			const r = await this.webhook(probeWebhook, {});
			if (r.status === 200) break;
			if (r.status !== 404 || Date.now() - t0 > 90000) throw new Error(`webhook ${probeWebhook}: ${r.status} ${r.body.slice(0, 300)}`);
			await lib.sleep(500);
		}
		return this;
	}

	/** Executions each worker started and finished, from its log ("Worker started execution N"). */
	workerExecutions(name) {
		const text = fs.existsSync(this.file(`${name}.log`)) ? fs.readFileSync(this.file(`${name}.log`), 'utf8') : '';
		const ids = (re) => [...text.matchAll(re)].map((m) => m[1]);
		return {
			started: ids(/Worker started execution (\d+)/g),
			finished: ids(/Worker finished execution (\d+)/g),
		};
	}

	/** An n8n CLI command against the cluster's database (import:*, …), run from the main's user folder. */
	async cli(args, { timeoutMs = 180000 } = {}) {
		const r = await lib.n8nCli(this.rt, this.main.userFolder, args, { env: this.sharedEnv(), timeoutMs });
		return r;
	}

	async importCredential() {
		const file = path.join(this.main.userFolder, 'scale-credentials.json');
		fs.writeFileSync(file, JSON.stringify([lib.gmiCredential({ apiKey: this.sim.apiKey, baseUrl: this.sim.url })]), { mode: 0o600 });
		try {
			const r = await this.cli(['import:credentials', `--input=${file}`]);
			if (r.code !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr)) throw new Error(`import:credentials failed (exit ${r.code}):\n${lib.lastLines(r.stdout + r.stderr, 30)}`);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** Import workflows and activate those marked active (`--activeState=fromJson`, no restart needed). */
	async importWorkflows(files) {
		const all = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
		const file = path.join(this.main.userFolder, 'scale-workflows.json');
		fs.writeFileSync(file, JSON.stringify(all));
		try {
			const r = await this.cli(['import:workflow', `--input=${file}`, '--activeState=fromJson']);
			if (r.code !== 0 || !/Successfully imported/i.test(r.stdout + r.stderr)) throw new Error(`import:workflow failed (exit ${r.code}):\n${lib.lastLines(r.stdout + r.stderr, 30)}`);
			return r;
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** POST to a production webhook of the main; waits until it is registered (activation is asynchronous). */
	webhookUrl(p) {
		return `${this.main.url}/webhook/${p}`;
	}

	async webhook(p, body, opts) {
		return postJson(this.webhookUrl(p), body, opts);
	}

	async simStats() {
		return (await lib.httpJson('GET', `${this.sim.url}/__sim/stats`)).json;
	}

	async simRequests() {
		return (await lib.httpJson('GET', `${this.sim.url}/__sim/requests`, { timeoutMs: 30000 })).json;
	}

	/** Executions as PostgreSQL has them. */
	async executions(where = 'true') {
		const rows = await this.psql(`select id, status, finished, mode, "workflowId", coalesce("waitTill"::text, '') from execution_entity where ${where} order by id`);
		return rows
			.split('\n')
			.filter(Boolean)
			.map((l) => {
				const [id, status, finished, mode, workflowId, waitTill] = l.split('\t');
				return { id, status, finished: finished === 't', mode, workflowId, waitTill: waitTill || null };
			});
	}

	/** The stored run data of one execution (n8n keeps it as `flatted` JSON). */
	async executionData(id) {
		const raw = await this.psql(`select data from execution_data where "executionId" = ${Number(id)}`);
		if (!raw.trim()) return null;
		const flatted = require(path.join(this.rt.dir, 'n8n', 'node_modules', 'flatted'));
		return flatted.parse(raw.replace(/\n$/, ''));
	}

	memory() {
		const m = { main: this.main ? memoryOf(this.main.pid) : null };
		for (const [name, w] of this.workers) m[name] = w.child.exitInfo ? null : memoryOf(w.pid);
		return m;
	}

	/** SIGKILL a worker and its task runner, as a machine that dies would. */
	async killWorker(name) {
		const w = this.workers.get(name);
		killGroup(w.pid, 'SIGKILL');
		await Promise.race([w.child.exited, lib.sleep(5000)]);
		w.killed = true;
	}

	/** n8n processes first (they hold connections), then the rest; every one by PID. */
	async stop() {
		const n8n = [...this.workers.values()].map((w) => w.child);
		if (this.main) n8n.push(this.main.child);
		await Promise.all(n8n.map((c) => lib.stopProcess(c, { graceMs: 8000 })));
		if (this.pg && !this.pg.child.exitInfo) {
			killGroup(this.pg.pid, 'SIGINT'); // fast shutdown
			await Promise.race([this.pg.child.exited, lib.sleep(8000)]);
		}
		await lib.stopAll({ graceMs: 5000 });
		const alive = [];
		for (const [n, c] of [
			['main', this.main && this.main.child],
			...[...this.workers].map(([k, w]) => [k, w.child]),
			['simulator', this.sim && this.sim.child],
			['redis', this.redis && this.redis.child],
			['postgres', this.pg && this.pg.child],
		]) {
			if (c && c.pid && lib.isAlive(c.pid)) alive.push(`${n} (pid ${c.pid})`);
		}
		return alive;
	}
}

module.exports = { Cluster, ensureDebianPackages, memoryOf, rssOf, mb, MB, postJson, killGroup, postgresBinDir, findBinary };
