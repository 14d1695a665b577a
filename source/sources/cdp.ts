import CDP from 'chrome-remote-interface';
import type {AppBus} from '../bus/app-bus.js';
import type {ConnectionState, SourceStatus} from '../bus/messages.js';
import {cleanText} from '../protocol/untrusted-text.js';
import {CdpFrames, defaultBackendHost, isGameSocketUrl, type CdpFrameOutput} from './cdp-frames.js';
import type {Source} from './source.js';

/**
The CDP source: attach to a Chrome tab (the user's own, logged in, or one that
`--launch` opened) and publish the game socket's frames as the page sees them,
sent and received. Chrome does all the talking to rugs.fun; rugs-tui only
listens through the DevTools protocol. Anything that goes away — the tab, the
browser, the page's socket — becomes a status, and the source tries again.
*/

export type CdpSourceOptions = {
	host: string;
	port: number;
	/** Attach to the first page whose URL contains this text. */
	target: string;
	/** Reload the tab once after the first attach, for a clean start. */
	reload?: boolean;
	/** Host of the game's backend, recognised as a game socket besides `socket.io` URLs. */
	backendHost?: string;
	/** First retry delay; doubles per attempt up to `maxRetryMs`. */
	retryMs?: number;
	maxRetryMs?: number;
	/** Give up (status `ended`) after this many failed attempts in a row; default never. */
	maxReconnects?: number;
	/** Silence on the game socket longer than this marks it stale; default from the Engine.IO handshake (ping interval + timeout), else 45 s. */
	silenceMs?: number;
	/** Clock for envelope `ts` (epoch ms). */
	now?: () => number;
};

type Client = CDP.Client;

/** How a CDP source's run ended: stopped, or out of attempts (with what to do). */
export type CdpSourceEnd = {reason: 'stopped'} | {reason: 'gave-up'; attempts: number; lastFailure: string; message: string};

export type CdpSourceStats = {
	/** Envelopes published. */
	events: number;
	/** Frames of the game's sockets that could not be decoded (each also a `decode` problem). */
	decodeErrors: number;
	/** Frames of the page's other WebSockets, ignored. */
	ignoredFrames: number;
	/** Attached again after losing the tab or the browser. */
	reconnects: number;
	connected: boolean;
	/** Last delay from the server's ping to the page's pong, milliseconds. */
	latencyMs: number | undefined;
};

export type CdpSource = Source & {
	readonly kind: 'cdp';
	/** Settles once the source is over: stopped, or out of reconnection attempts. Never rejects. */
	readonly ended: Promise<CdpSourceEnd>;
	stats(): CdpSourceStats;
};

const connectTimeoutMs = 5000;
const defaultSilenceMs = 45_000;

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_resolve, reject) => {
				timer = setTimeout(() => {
					reject(new Error(`${what} timed out after ${ms} ms`));
				}, ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

/** Why attaching failed, said so that the user knows what to do. */
export function describeAttachError(error: unknown, host: string, port: number): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const address = `${host}:${port}`;
	if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND') {
		return `no Chrome DevTools at ${address}: start Chrome with --remote-debugging-port=${port} --user-data-dir=<a profile folder of its own>, or use --launch`;
	}

	return `cannot attach to Chrome at ${address}: ${errorText(error)}; is ${port} the port Chrome was started with (--remote-debugging-port)?`;
}

export function createCdpSource(bus: AppBus, options: CdpSourceOptions): CdpSource {
	const {host, port, target} = options;
	const address = `${host}:${port}`;
	const retryMs = options.retryMs ?? 500;
	const maxRetryMs = options.maxRetryMs ?? 5000;
	const backendHost = options.backendHost ?? defaultBackendHost;
	const frames = new CdpFrames({isGameSocket: url => isGameSocketUrl(url, backendHost), now: options.now});

	let started = false;
	let stopped = false;
	let stopping: Promise<void> | undefined;
	let client: Client | undefined;
	let tabLabel = '';
	let reloaded = false;
	let reconnects = 0;
	let latencyMs: number | undefined;
	let silenceMs = options.silenceMs ?? defaultSilenceMs;
	let lastFrameAt = 0;
	let stale = false;
	let state: ConnectionState = 'idle';
	let silenceTimer: NodeJS.Timeout | undefined;
	let wake: (() => void) | undefined;
	let endSession: (() => void) | undefined;
	let loopDone: Promise<void> | undefined;
	let resolveEnded!: (end: CdpSourceEnd) => void;
	const ended = new Promise<CdpSourceEnd>(resolve => {
		resolveEnded = resolve;
	});

	const status = (next: ConnectionState, detail: string, extra: Partial<SourceStatus> = {}) => {
		state = next;
		const message: SourceStatus = {source: 'cdp', state: next, ts: Date.now(), detail, ...extra};
		if (latencyMs !== undefined && message.latencyMs === undefined) {
			message.latencyMs = Math.round(latencyMs * 10) / 10;
		}

		if (reconnects > 0) {
			message.reconnects = reconnects;
		}

		bus.publish('status', message);
	};

	let socketLabel = '';
	const connectedDetail = () => `tab ${tabLabel} at ${address}${socketLabel === '' ? '' : `, ${socketLabel}`}`;

	const onOutput = (output: CdpFrameOutput) => {
		switch (output.kind) {
			case 'envelope': {
				bus.publish('envelope', output.envelope);
				break;
			}

			case 'decode-error': {
				bus.publish('problem', {kind: 'decode', source: 'cdp', ts: Date.now(), message: output.message});
				break;
			}

			case 'socket-error': {
				bus.publish('problem', {kind: 'source', source: 'cdp', ts: Date.now(), message: `game socket error in the tab: ${output.message}`});
				break;
			}

			case 'socket-open': {
				// Connected once frames flow (below); nothing to report yet for a created socket.
				break;
			}

			case 'socket-closed': {
				if (frames.openGameSockets === 0) {
					status('reconnecting', `the tab's game socket closed; waiting for the page to reconnect (${connectedDetail()})`);
				}

				break;
			}

			case 'handshake': {
				if (options.silenceMs === undefined && output.pingInterval !== undefined && output.pingTimeout !== undefined) {
					silenceMs = output.pingInterval + output.pingTimeout;
				}

				break;
			}

			case 'latency': {
				latencyMs = output.ms;
				if (state === 'connected') {
					status('connected', connectedDetail());
				}

				break;
			}
		}
	};

	const onEvent = (message: {method: string; params?: unknown}) => {
		const {method, params} = message;
		if (method === 'Page.frameNavigated') {
			const frame = (params as {frame?: {parentId?: string; url?: string}} | undefined)?.frame;
			if (frame !== undefined && frame.parentId === undefined) {
				// A reload or navigation: the old sockets are gone without a webSocketClosed.
				frames.reset();
				socketLabel = '';
				if (typeof frame.url === 'string') {
					tabLabel = cleanText(frame.url, 120);
				}

				status('connecting', `page navigated; waiting for the game socket (${connectedDetail()})`);
			}

			return;
		}

		if (!method.startsWith('Network.webSocket')) {
			return;
		}

		const before = frames.openGameSockets;
		const outputs = frames.handle(method, params);
		for (const output of outputs) {
			if (output.kind === 'socket-open') {
				socketLabel = output.how === 'joined' ? 'game socket opened before rugs-tui attached' : `game socket ${cleanText(output.url, 120)}`;
			}
		}

		if (method === 'Network.webSocketFrameReceived' || method === 'Network.webSocketFrameSent') {
			if (frames.openGameSockets > 0) {
				lastFrameAt = Date.now();
				if (state !== 'connected' || stale) {
					stale = false;
					status('connected', connectedDetail());
				}
			}
		} else if (frames.openGameSockets > before && state !== 'connected') {
			status('connecting', `the tab opened its game socket (${connectedDetail()})`);
		}

		for (const output of outputs) {
			onOutput(output);
		}
	};

	const checkSilence = () => {
		if (state === 'connected' && !stale && frames.openGameSockets > 0 && Date.now() - lastFrameAt > silenceMs) {
			stale = true;
			status('reconnecting', `no frames from the tab's game socket for ${silenceMs >= 1000 ? `${Math.round(silenceMs / 1000)} s` : `${silenceMs} ms`} (${connectedDetail()})`);
		}
	};

	const sleep = async (ms: number) => new Promise<void>(resolve => {
		const timer = setTimeout(() => {
			wake = undefined;
			resolve();
		}, ms);
		wake = () => {
			clearTimeout(timer);
			wake = undefined;
			resolve();
		};
	});

	/** Find the tab. A string is the reason there is none. */
	const findTarget = async (): Promise<CDP.Target | string> => {
		let targets: CDP.Target[];
		try {
			targets = await withTimeout(CDP.List({host, port}), connectTimeoutMs, `listing the tabs at ${address}`);
		} catch (error) {
			return describeAttachError(error, host, port);
		}

		const page = targets.find(candidate => candidate.type === 'page' && candidate.url.includes(target) && typeof candidate.webSocketDebuggerUrl === 'string');
		return page ?? `no tab whose URL contains "${cleanText(target, 80)}" in the Chrome at ${address}: open rugs.fun there (or change --target)`;
	};

	/** Attach and listen until the tab or browser goes away (or stop). Returns why it ended. */
	const session = async (page: CDP.Target): Promise<string | undefined> => {
		let connection: Client;
		try {
			connection = await withTimeout(CDP({host, port, target: page, local: true}), connectTimeoutMs, `attaching to the tab at ${address}`);
		} catch (error) {
			return describeAttachError(error, host, port);
		}

		if (stopped) {
			await connection.close().catch(() => undefined);
			return undefined;
		}

		client = connection;
		tabLabel = cleanText(page.url, 120);
		socketLabel = '';
		frames.reset();
		let why: string | undefined;
		const ended = new Promise<void>(resolve => {
			// stop() closes the client itself, which emits no 'disconnect'.
			endSession = resolve;
			connection.on('disconnect', () => {
				why ??= `lost the tab (the browser at ${address} closed or crashed)`;
				resolve();
			});
		});
		connection.on('event', onEvent);
		connection.on('Inspector.detached', (parameters: {reason?: string}) => {
			why = parameters.reason === 'target_closed' ? `the tab was closed (${address})` : `detached from the tab: ${cleanText(parameters.reason ?? 'unknown reason', 80)}`;
		});
		connection.on('Inspector.targetCrashed', () => {
			// The page and its sockets are gone; a reload (by the user, or --reload) brings them back as a navigation.
			frames.reset();
			socketLabel = '';
			status('reconnecting', `the tab crashed: reload it in Chrome (${connectedDetail()})`);
		});

		try {
			// Inspector events (detached, crashed) explain a loss; not every DevTools host has the domain.
			await withTimeout(connection.Inspector.enable(), connectTimeoutMs, 'Inspector.enable').catch(() => undefined);
			await withTimeout(connection.Network.enable({}), connectTimeoutMs, 'Network.enable');
			await withTimeout(connection.Page.enable(), connectTimeoutMs, 'Page.enable');
			if (options.reload === true && !reloaded) {
				reloaded = true;
				await withTimeout(connection.Page.reload({ignoreCache: true}), connectTimeoutMs, 'Page.reload');
			}
		} catch (error) {
			why ??= `cannot listen to the tab at ${address}: ${errorText(error)}`;
			await connection.close().catch(() => undefined);
			client = undefined;
			return why;
		}

		if (state !== 'connected') {
			status('connecting', `attached to ${connectedDetail()}; waiting for the game socket`);
		}

		await ended;
		endSession = undefined;
		client = undefined;
		return stopped ? undefined : why;
	};

	const run = async () => {
		let failures = 0;
		let everAttached = false;
		status('connecting', `looking for a tab whose URL contains "${cleanText(target, 80)}" at ${address}`);
		while (!stopped) {
			let reason: string;
			const page = await findTarget();
			if (stopped) {
				break;
			}

			if (typeof page === 'string') {
				reason = page;
			} else {
				if (everAttached) {
					reconnects++;
				}

				everAttached = true;
				const ended = await session(page);
				if (stopped) {
					break;
				}

				if (ended === undefined) {
					continue;
				}

				reason = ended;
				// The attach worked: the next failure starts a fresh back-off.
				failures = 0;
				// Losing an attached tab or browser is an outage: one counted problem, however many attempts follow
				// (as the direct source reports a lost connection); the status shows each attempt.
				bus.publish('problem', {kind: 'source', source: 'cdp', ts: Date.now(), message: `${reason}; reconnecting`});
			}

			failures++;
			if (options.maxReconnects !== undefined && failures > options.maxReconnects) {
				const attempts = options.maxReconnects;
				const message = `${reason}; gave up after ${attempts} reconnection attempt${attempts === 1 ? '' : 's'} (allow more with --max-reconnects)`;
				status('ended', message, {attempt: attempts});
				resolveEnded({reason: 'gave-up', attempts, lastFailure: reason, message});
				return;
			}

			const delay = Math.min(maxRetryMs, retryMs * (2 ** Math.min(failures - 1, 16)));
			status('reconnecting', reason, {attempt: failures, nextRetryMs: delay});
			await sleep(delay);
		}
	};

	return {
		kind: 'cdp',
		ended,
		stats: () => ({
			events: frames.seq,
			decodeErrors: frames.decodeErrors,
			ignoredFrames: frames.ignoredFrames,
			reconnects,
			connected: state === 'connected',
			latencyMs,
		}),
		start() {
			if (started || stopped) {
				return;
			}

			started = true;
			silenceTimer = setInterval(checkSilence, Math.min(1000, Math.max(10, silenceMs / 4)));
			silenceTimer.unref();
			loopDone = run().catch((error: unknown) => {
				// The loop handles its own failures; this is a bug, reported rather than thrown.
				bus.publish('problem', {kind: 'source', source: 'cdp', ts: Date.now(), message: `CDP source stopped: ${errorText(error)}`});
				status('disconnected', `CDP source stopped after an internal error: ${errorText(error)}`);
			});
		},
		async stop() {
			stopping ??= (async () => {
				stopped = true;
				clearInterval(silenceTimer);
				wake?.();
				endSession?.();
				const open = client;
				client = undefined;
				await open?.close().catch(() => undefined);
				await loopDone;
				if (started && state !== 'ended') {
					status('disconnected', `detached from ${tabLabel === '' ? address : connectedDetail()}`);
				}

				resolveEnded({reason: 'stopped'});
			})();
			return stopping;
		},
	};
}
