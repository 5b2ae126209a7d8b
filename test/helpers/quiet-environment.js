'use strict';
/**
 * The jest environment of every suite: Node's, plus what keeps expected failures quiet. n8n logs
 * every error a node throws (n8n-core's ErrorReporter → n8n's Logger → a winston console
 * transport); in tests that expect the error, those lines read like failures. test/helpers/n8nLogs.ts
 * routes n8n's Logger into `__n8nLogs` instead; this environment empties it when a test starts
 * and, when the test (or a hook) fails, prints what n8n logged during it on the test file's
 * console, where jest shows console output.
 */
const { TestEnvironment } = require('jest-environment-node');

class QuietN8nLogsEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		/** @type {string[]} filled by test/helpers/n8nLogs.ts inside the test's sandbox */
		this.global.__n8nLogs = [];
	}

	/** @param {import('jest-circus').Event} event */
	async handleTestEvent(event) {
		const logs = this.global.__n8nLogs;
		if (event.name === 'test_start') logs.length = 0;
		const failed = (event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure';
		if (failed && logs.length) {
			const where = event.name === 'test_done' ? event.test.name : `${event.hook.type} hook`;
			this.global.console.log(`n8n logged during "${where}":\n${logs.join('\n')}`);
		}
		if (event.name === 'test_done' || event.name === 'hook_failure') logs.length = 0;
	}
}

module.exports = QuietN8nLogsEnvironment;
