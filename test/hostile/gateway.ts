/**
 * A reverse proxy in front of the GMI simulator, for the two hostile hosts the simulator does not
 * play itself: a storage host whose result URLs are signed like Google Cloud Storage's (so errors
 * can be checked for leaked signatures), and a gateway that echoes the caller's Authorization
 * header into its error pages (so errors and outputs can be checked for a leaked API key).
 */
import http from 'http';
import type { AddressInfo } from 'net';

/** The query string GCS puts on a signed URL; the signature value is what must never be shown. */
export const RESULT_SIGNATURE = 'c0ffee5ignatured00dfeedbeef0123456789abcdef';
export const SIGNED_QUERY = `X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=gmi-results%40storage&X-Goog-Signature=${RESULT_SIGNATURE}`;

export interface EchoRule {
	method: string;
	path: RegExp;
	status: number;
	/** How many matching requests it answers (Infinity allowed). */
	times: number;
}

export interface GatewayOptions {
	/** The simulator's API root (sim.url). */
	target: string;
	/** The simulator's storage root (sim.filesUrl): its result URLs get a signed query string. */
	filesUrl?: string;
	/** Answer matching requests with an error page echoing the Authorization header. */
	echoAuth?: EchoRule;
}

export interface Gateway {
	url: string;
	/** Requests answered by the echo rule. */
	echoed: number;
	close(): Promise<void>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
	const target = new URL(options.target);
	let echoLeft = options.echoAuth?.times ?? 0;
	const signable = options.filesUrl ? new RegExp(`(${escapeRegExp(options.filesUrl)}/(?:videos|thumbs)/[^"?\\s]+)`, 'g') : undefined;

	const gateway: Gateway = { url: '', echoed: 0, close: async () => undefined };
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const rule = options.echoAuth;
			if (rule && echoLeft > 0 && req.method === rule.method && rule.path.test(req.url ?? '')) {
				echoLeft--;
				gateway.echoed++;
				const authorization = String(req.headers.authorization ?? '');
				// GMI's nested error shape, so the node digs all the way down to the echoed header.
				const body = JSON.stringify({
					error: {
						message: 'Gateway refused the request',
						details: JSON.stringify({ error: { message: `upstream rejected credentials "${authorization}" (key ${authorization.replace(/^Bearer\s+/i, '')})` } }),
					},
				});
				res.writeHead(rule.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
				res.end(body);
				return;
			}
			const upstream = http.request(
				{ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
				(answer) => {
					const parts: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => parts.push(chunk));
					answer.on('end', () => {
						let body = Buffer.concat(parts);
						if (signable && String(answer.headers['content-type'] ?? '').includes('json')) {
							body = Buffer.from(body.toString('utf8').replace(signable, `$1?${SIGNED_QUERY}`));
						}
						const headers = { ...answer.headers, 'content-length': String(body.length) };
						delete headers['transfer-encoding'];
						res.writeHead(answer.statusCode ?? 502, headers);
						res.end(body);
					});
					answer.on('error', () => res.destroy());
				},
			);
			upstream.on('error', () => res.destroy());
			upstream.end(Buffer.concat(chunks));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	gateway.close = async () =>
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	return gateway;
}
