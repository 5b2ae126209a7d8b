'use strict';
/**
 * A local OpenAI-compatible chat-completions server for the AI Agent cases: n8n's OpenAI Chat Model
 * talks to it through an `openAiApi` credential whose Base URL is `<url>/v1`. It plays a model that
 * always takes the same two turns, so a real AI Agent drives a real tool call without the internet:
 *
 *  1. no tool result in the conversation yet: call the tool named in the user's message, with the
 *     arguments written there (`tool: <name> arguments: {…}`);
 *  2. a tool result is there: answer in text, quoting what the tool returned (`Tool result: …`).
 *
 * When the named tool is not among those offered, it answers in text saying so, naming the offered
 * tools, so a failing case shows what n8n gave the model. Streaming requests get the same turns as
 * server-sent events. Every request is recorded (body and path; the Authorization header only as
 * whether it was sent).
 */

const http = require('http');

const DIRECTIVE = /tool:\s*(\S+)\s+arguments:\s*(\{.*\})/s;

/** Text of a chat message whose content is a string or a list of parts. */
function textOf(message) {
	const c = message && message.content;
	if (typeof c === 'string') return c;
	if (Array.isArray(c)) return c.map((p) => (typeof p === 'string' ? p : p && typeof p.text === 'string' ? p.text : '')).join('');
	return '';
}

const toolNameOf = (tool) => (tool && tool.function ? tool.function.name : tool && tool.name);

/** The reply for one request: `{ content }` or `{ toolCall: { id, name, arguments } }`. */
function turn(body, count) {
	const messages = Array.isArray(body.messages) ? body.messages : [];
	const toolResults = messages.filter((m) => m.role === 'tool');
	if (toolResults.length) return { content: `Tool result: ${toolResults.map(textOf).join('\n')}` };
	const userText = messages
		.filter((m) => m.role === 'user')
		.map(textOf)
		.join('\n');
	const m = DIRECTIVE.exec(userText);
	if (!m) return { content: 'FAKE MODEL: the user message names no tool to call.' };
	const offered = (Array.isArray(body.tools) ? body.tools : []).map(toolNameOf);
	if (!offered.includes(m[1])) return { content: `FAKE MODEL: tool ${m[1]} was not offered (offered: ${offered.join(', ') || 'none'}).` };
	return { toolCall: { id: `call_fake_${count}`, name: m[1], arguments: m[2] } };
}

function completion(body, reply, count) {
	const message = reply.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [{ id: reply.toolCall.id, type: 'function', function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments } }],
			}
		: { role: 'assistant', content: reply.content };
	return {
		id: `chatcmpl-fake-${count}`,
		object: 'chat.completion',
		created: 1767225600,
		model: body.model || 'fake-model',
		choices: [{ index: 0, message, logprobs: null, finish_reason: reply.toolCall ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
	};
}

function streamChunks(body, reply, count) {
	const base = { id: `chatcmpl-fake-${count}`, object: 'chat.completion.chunk', created: 1767225600, model: body.model || 'fake-model' };
	const delta = reply.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [{ index: 0, id: reply.toolCall.id, type: 'function', function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments } }],
			}
		: { role: 'assistant', content: reply.content };
	const chunks = [
		{ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] },
		{ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: reply.toolCall ? 'tool_calls' : 'stop' }] },
	];
	if (body.stream_options && body.stream_options.include_usage) {
		chunks.push({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
	}
	return chunks;
}

/** Start on 127.0.0.1 (a free port). Resolves to { url, baseUrl, requests(), close() }. */
function start() {
	const recorded = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = {};
			try {
				body = raw ? JSON.parse(raw) : {};
			} catch {}
			const path = String(req.url).split('?')[0];
			const send = (status, json) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(json));
			};
			if (req.method === 'GET' && /\/models$/.test(path)) return send(200, { object: 'list', data: [{ id: 'fake-model', object: 'model', owned_by: 'e2e' }] });
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(path)) {
				return send(404, { error: { message: `the fake OpenAI server has no ${req.method} ${path}`, type: 'invalid_request_error' } });
			}
			const count = recorded.length + 1;
			const reply = turn(body, count);
			recorded.push({ path, authorized: !!req.headers.authorization, body, reply });
			if (body.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
				for (const c of streamChunks(body, reply, count)) res.write(`data: ${JSON.stringify(c)}\n\n`);
				return res.end('data: [DONE]\n\n');
			}
			return send(200, completion(body, reply, count));
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => {
			const url = `http://127.0.0.1:${server.address().port}`;
			resolve({
				url,
				baseUrl: `${url}/v1`,
				/** The chat-completion requests so far (copies of their bodies and the replies given). */
				requests: () => JSON.parse(JSON.stringify(recorded)),
				close: () =>
					new Promise((r) => {
						server.close(() => r());
						server.closeAllConnections();
					}),
			});
		}),
	);
}

module.exports = { start, turn };
