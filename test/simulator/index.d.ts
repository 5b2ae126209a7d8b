/**
 * Types of the GMI Cloud request-queue simulator (test/simulator/index.js).
 * Usage from a TypeScript jest test:
 *   import { startSimulator, Simulator } from '../simulator';
 */

/** `/api/v1/ie/requestqueue/apikey` — every API path starts with it. */
export declare const API_BASE: string;
/** Hailuo video model ids the simulator validates as Hailuo payloads. */
export declare const hailuoVideoModels: readonly string[];
/** Default GET /models answer (Hailuo ids plus non-video models the node must filter out). */
export declare const defaultModels: readonly string[];
export declare const LIST_SHAPES: readonly ListShape[];
export declare const LIST_ORDERS: readonly ListOrder[];
export declare const LIST_TIME_FORMATS: readonly ListTimeFormat[];
/** A Hailuo model the node's rules table does not know; listed only when a test passes it in `models`. Its details narrow the values. */
export declare const unlistedHailuoModel: string;
export declare const MODEL_LIST_SHAPES: readonly ModelListShape[];
/** Every `price_info` shape GET /models/{id} can serve ('none' leaves the field out). */
export declare const PRICE_SHAPES: readonly PriceShape[];
/** Content-Type a presigned PUT must carry, per file_type (jpg needs `image/jpg`). */
export declare const UPLOAD_CONTENT_TYPES: Readonly<Record<UploadFileType, string>>;
/** The exact bytes served for a video of `size` bytes (deterministic; for assertions on small sizes). */
export declare function videoContent(size: number): Buffer;
/** The real sample MP4 served for videoBytes 'sample'. */
export declare const SAMPLE_VIDEO: Buffer;

/**
 * 'unknown' wraps the records in a field no contract names (`results`); 'stringtotal' sends `total`
 * as a string; 'ignorespage' answers page 1 to every `page`.
 */
export type ListShape = 'requests' | 'array' | 'items' | 'data' | 'list' | 'nototal' | 'unknown' | 'stringtotal' | 'ignorespage';
/**
 * Order of GET /requests: by submit order newest or oldest first, or newest second first with the
 * jobs of one second in a new random order on every request (ORDER BY created_at without a tie-breaker).
 */
export type ListOrder = 'newest-first' | 'oldest-first' | 'ties-shuffled';
/** Times in GET /requests: unix seconds, or ISO dates without a zone ("2026-01-05T09:00:00", meant as UTC). */
export type ListTimeFormat = 'unix' | 'iso-no-zone';
/** What GET /requests does beyond its shape. API answers always carry an HTTP Date on the simulator's clock. */
export interface ListBehaviour {
	/** Default 'newest-first'. */
	order: ListOrder;
	/** Each list answer is sent this many real ms late (default 0). */
	delayMs: number;
	/** The server serves at most this many records per page whatever page_size asks, and pages on by it (default null: uncapped). */
	pageSizeCap: number | null;
	/** Default 'unix'. */
	timeFormat: ListTimeFormat;
}
/** GET /models answer: `{model_ids}` (default), `{models: [ids]}`, `{models: [{id}|{model_id}]}`, or an unknown wrapper. */
export type ModelListShape = 'model_ids' | 'models' | 'model-objects' | 'unknown';
/**
 * The `price_info` GET /models/{id} serves (GMI's SDK reads `{price, pricing_type, unit}`; what they
 * hold is undocumented). The amounts are the simulator's own:
 * - 'none': no `price_info` (the default);
 * - 'per-second': `{price: 0.045, pricing_type: "per_second", unit: "USD"}` (USD per second of video);
 * - 'per-video': `{price: 0.28, pricing_type: "fixed", unit: "video"}` (no currency stated);
 * - 'per-request': `{price: "$0.25", pricing_type: "per_request", unit: "request"}`;
 * - 'string-amount': `{price: "0.05", pricing_type: "per_second", unit: "second"}`;
 * - 'no-unit': `{price: 0.28}` (per nothing: no estimate);
 * - 'unreadable': `{price: "from 0.19", pricing_type: "per_video", unit: "video"}`;
 * - 'tiered': an array of `{resolution, duration, price}` instead of one price.
 */
export type PriceShape = 'none' | 'per-second' | 'per-video' | 'per-request' | 'string-amount' | 'no-unit' | 'unreadable' | 'tiered';
/** Bytes of placeholder video, or 'sample' for the real sample MP4. */
export type VideoBytes = number | 'sample';
export type UploadFileType = 'png' | 'jpg' | 'jpeg' | 'mp4' | 'mp3' | 'wav';
export type FinalStatus = 'success' | 'failed' | 'cancelled' | 'never';
export type FailureField =
	| 'error_message'
	| 'error'
	| 'outcome.error'
	| 'outcome.message'
	| 'outcome.error_message'
	| 'outcome.fail_reason';

/** How one job behaves. Defaults come from config, then prompt markers, then options.plan(). */
export interface Plan {
	/** Time spent `queued` after submit (ms). */
	queuedMs: number;
	/** Time spent `processing` after queued (ms). */
	processingMs: number;
	/** Terminal status; 'never' stays `queued` forever. */
	final: FinalStatus;
	/** Where a failed job's reason is placed. Default 'error_message'. */
	failureField: FailureField | string;
	/** Default "Video generation failed: content moderation". */
	failureReason: string;
	/** 'video' = {video_url, thumbnail_image_url}; 'media' = {media_urls:[{id,url}]}; 'none' = {} (marker #nourl). */
	outcome: 'video' | 'media' | 'none';
	/** Submit's answer leaves out request_id, though the job is created (marker #noid). */
	answerWithoutId?: boolean;
	/** GET answers the record without its status field (marker #nostatus). */
	recordWithoutStatus?: boolean;
	/** Unknown in-flight statuses shown between processing and the final status. */
	extraStatuses: string[];
	/** How long each extra status lasts (ms). Default 50. */
	extraStatusMs: number;
	/** After this many ms since submit, GET answers 404 and the list omits the job. */
	disappearAfterMs: number | null;
	/** Size of the served placeholder video, or 'sample' for the real sample MP4. */
	videoBytes: VideoBytes;
	/** Never shown by GET /requests (marker #unlisted); its own GET still answers. */
	unlisted: boolean;
	/** GET /requests shows this status instead of the real one (marker #listed-as=failed). */
	listedAs: string | null;
	/** GET /requests shows the job without created_at, queued_at and updated_at (marker #listed-without-time); its own GET keeps them. */
	listedWithoutTime?: boolean;
}

export interface SimulatorOptions {
	/** API server port (default 0 = ephemeral). */
	port?: number;
	/** Files server port (default 0 = ephemeral). */
	filesPort?: number;
	/** Expected bearer key (default 'test-key'). */
	apiKey?: string;
	/** Further accepted keys: other accounts on the same host. */
	extraApiKeys?: string[];
	/** GET /models list (default: defaultModels). */
	models?: string[];
	/** Default queued time (ms, default 50). */
	queuedMs?: number;
	/** Default processing time (ms, default 150). */
	processingMs?: number;
	/**
	 * Default video: a placeholder of this many bytes (an MP4 header, then a pattern; default 4096),
	 * or 'sample' for a real 6 s MP4 (samples/sample.mp4, what the CLI serves by default).
	 */
	videoBytes?: VideoBytes;
	/** GET /requests response shape (default 'requests'). */
	listShape?: ListShape;
	/** GET /models response shape (default 'model_ids'). */
	modelListShape?: ModelListShape;
	/** GET /requests shows every job as it was this many ms ago (default 0). */
	listLagMs?: number;
	/** GET /models/{id} `price_info` of every model (default 'none'). */
	priceShape?: PriceShape;
	/** Per model id, a `price_info` shape that wins over `priceShape` (default {}). */
	modelPriceShapes?: Record<string, PriceShape>;
	/** Order, delay, page-size cap and time format of GET /requests (defaults: newest first, at once, uncapped, unix). */
	listBehaviour?: Partial<ListBehaviour>;
	/** Per-job override of the plan; wins over prompt markers. index = 0-based accepted submit index. */
	plan?: (payload: any, index: number) => Partial<Plan> | undefined | void;
	/** Clock in ms (default Date.now). Job status is derived from it on every GET. */
	now?: () => number;
	/** Receives one line per request/fault (the CLI's --verbose writes them to stderr). */
	log?: (line: string) => void;
}

export interface Fault {
	method?: string;
	/** Prefix of the path after API_BASE ('/requests/', '/models'), or a regex; full path on the files server. */
	path?: string | RegExp;
	/** JSON-friendly regex form (for POST /__sim/faults). */
	pathRegex?: string;
	/** Default 'api'. */
	server?: 'api' | 'files';
	kind: '429' | 'status' | 'html' | 'reset' | 'hang' | 'malformed' | 'empty' | 'auth';
	/** How many matching requests it hits (default 1; Infinity allowed). */
	times?: number;
	/** Seconds, sent as Retry-After with kind '429'. */
	retryAfter?: number;
	/** Status for kinds 'status' (default 500) and 'html' (default 500). */
	status?: number;
	/** Only requests carrying this API key (one account). */
	apiKey?: string;
}

export interface ActiveFault extends Fault {
	times: number;
	remaining: number;
}

export interface RecordedRequest {
	server: 'api' | 'files';
	method: string;
	/** Full path, without the query string. */
	path: string;
	query: Record<string, string>;
	/** Lower-cased header names. */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON, else the string, null when empty; uploads (files PUT): {bytes, contentType}. */
	body: any;
	/** ms timestamp (options.now clock). */
	at: number;
}

export interface Job {
	id: string;
	index: number;
	model: string;
	payload: Record<string, unknown>;
	orgId: string;
	/** ms timestamp of the submit. */
	submittedAt: number;
	plan: Plan;
}

export interface Upload {
	token: string;
	fileType: UploadFileType;
	signature: string;
	contentType: string;
	/** Bytes received by the presigned PUT, null until then. */
	data: Buffer | null;
}

export interface SimConfig {
	queuedMs: number;
	processingMs: number;
	videoBytes: VideoBytes;
	listShape: ListShape;
	modelListShape: ModelListShape;
	listLagMs: number;
	/** The `price_info` of every model without its own entry in `modelPriceShapes`. */
	priceShape: PriceShape;
	/** Model id (exact) → its `price_info` shape; `configure` replaces the whole map. */
	modelPriceShapes: Record<string, PriceShape>;
}

export interface SimStats {
	/** Authorised POST /requests that reached validation (rejected ones included). */
	submits: number;
	submitsByPrompt: Record<string, number>;
	requestIds: string[];
	/** id → current status ('gone' once vanished). */
	statuses: Record<string, string>;
	filesRequestsWithAuth: number;
}

export declare class Simulator {
	/** API server root, e.g. http://127.0.0.1:PORT (use as the node's base URL). */
	readonly url: string;
	/** url + API_BASE. */
	readonly baseUrl: string;
	/** Storage server root (result videos, thumbnails, uploads). */
	readonly filesUrl: string;
	readonly apiKey: string;
	/** Further accepted keys (other accounts on this host); push to add one. */
	readonly extraApiKeys: string[];
	readonly models: string[];
	readonly config: SimConfig;
	/** Current GET /requests behaviour (also GET/POST /__sim/list-behaviour). */
	readonly listBehaviour: ListBehaviour;
	/** Every request to either server, in arrival order (control calls excluded). */
	readonly requests: RecordedRequest[];
	readonly jobs: Map<string, Job>;
	/** Issued request ids, in submit order. */
	readonly requestIds: string[];
	/** prompt → number of authorised submits carrying it (rejected ones included). */
	readonly submitsByPrompt: Map<string, number>;
	readonly uploads: Map<string, Upload>;
	/** Pending faults, in consumption order. */
	readonly faults: readonly ActiveFault[];

	addFault(fault: Fault | Fault[]): void;
	clearFaults(): void;
	setListShape(shape: ListShape): void;
	/** Change the GET /requests behaviour from now on; reset() restores the start options'. */
	setListBehaviour(patch: Partial<ListBehaviour>): void;
	/** Replace the plan function for jobs submitted from now on (undefined = markers only). */
	setPlan(plan: SimulatorOptions['plan']): void;
	/** Change queuedMs/processingMs/videoBytes (new jobs), listShape, modelListShape, listLagMs, priceShape and modelPriceShapes. */
	configure(patch: Partial<SimConfig>): void;
	/** Clear requests, jobs, uploads, faults, counters; config and plan return to the start options. */
	reset(): void;
	/** Current status of a job ('gone' once vanished), undefined when unknown. */
	statusOf(id: string): string | undefined;
	stats(): SimStats;
	/** Close both servers, destroying hanging connections. */
	close(): Promise<void>;
}

export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
