#!/usr/bin/env node
'use strict';
/**
 * Run the GMI Cloud simulator as a separate process (for end-to-end runs against real n8n).
 *
 *   node test/simulator/cli.js [--port N] [--files-port N] [--api-key KEY] [--queued-ms N]
 *        [--processing-ms N] [--video-bytes N|sample] [--list-shape SHAPE] [--list-lag-ms N]
 *        [--price-shape SHAPE] [--verbose]
 *
 * Videos are the real sample MP4 (samples/sample.mp4) unless --video-bytes asks for a placeholder
 * of N bytes; a prompt's #bytes=N marker asks for one per job.
 *
 * Prints exactly one JSON line {"url","filesUrl","apiKey"} to stdout once listening; anything
 * else goes to stderr (only with --verbose), so callers can parse stdout safely.
 * Control it over HTTP under <url>/__sim/ (stats, requests, faults, reset, config, list-behaviour).
 */
const { startSimulator } = require('./index');

/** Flags taking a number, mapped to option names. */
const NUMBER_FLAGS = /** @type {const} */ ({
	'--port': 'port',
	'--files-port': 'filesPort',
	'--queued-ms': 'queuedMs',
	'--processing-ms': 'processingMs',
	'--list-lag-ms': 'listLagMs',
});

/**
 * @param {string[]} argv
 * @returns {{ options: import('./index').SimulatorOptions, verbose: boolean }}
 */
function parseArgs(argv) {
	/** @type {any} */
	const options = { port: process.env.SIM_PORT ? Number(process.env.SIM_PORT) : 0, videoBytes: 'sample' };
	let verbose = false;
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s, 2);
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`missing value for ${flag}`);
			return v;
		};
		if (flag in NUMBER_FLAGS) {
			const n = Number(value());
			if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number >= 0`);
			options[NUMBER_FLAGS[/** @type {keyof typeof NUMBER_FLAGS} */ (flag)]] = n;
		} else if (flag === '--video-bytes') {
			const v = value();
			const n = Number(v);
			if (v !== 'sample' && !(v.trim() !== '' && Number.isFinite(n) && n >= 0)) throw new Error(`${flag} needs a number >= 0 or "sample"`);
			options.videoBytes = v === 'sample' ? v : n;
		} else if (flag === '--api-key') options.apiKey = value();
		else if (flag === '--list-shape') options.listShape = value();
		else if (flag === '--price-shape') options.priceShape = value();
		else if (flag === '--verbose') verbose = true;
		else throw new Error(`unknown argument: ${argv[i]}`);
	}
	return { options, verbose };
}

async function main() {
	const { options, verbose } = parseArgs(process.argv.slice(2));
	if (verbose) options.log = (line) => process.stderr.write(line + '\n');
	const sim = await startSimulator(options);
	process.stdout.write(JSON.stringify({ url: sim.url, filesUrl: sim.filesUrl, apiKey: sim.apiKey }) + '\n');

	const stop = (/** @type {string} */ signal) => {
		if (verbose) process.stderr.write(`[sim] ${signal}, closing\n`);
		sim.close().then(() => process.exit(0));
	};
	process.once('SIGTERM', () => stop('SIGTERM'));
	process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
	process.stderr.write(`simulator: ${err.message}\n`);
	process.exit(1);
});
