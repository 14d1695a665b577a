import type {AppBus} from '../bus/app-bus.js';
import type {ConnectionState} from '../bus/messages.js';
import {asRecord} from '../protocol/read.js';
import {cleanText} from '../protocol/untrusted-text.js';
import {errorText} from '../protocol/error-text.js';
import type {BackoffPolicy} from './backoff.js';
import {checkCdpHost, urlHost, type Resolve} from './cdp-address.js';
import {CdpFrames, defaultBackendHost, isGameSocketUrl, type CdpFrameOutput} from './cdp-frames.js';
import {describeFailedLoad, errorCodeIn, failedLoad, readErrorCode, type FrameInfo} from './cdp-page-load.js';
import {DevToolsSession, listTargets, type DevToolsTarget} from './devtools-client.js';
import {defaultStableAfterMs, Reconnector} from './reconnector.js';
import type {Source, SourceEnd} from './source.js';

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
	/**
	Connect to DevTools outside this machine (`--allow-remote-cdp`). Otherwise
	every address the source connects to — the host, what a host name resolves
	to, the tab's advertised debugger URL — must be loopback (./cdp-address.ts).
	*/
	allowRemote?: boolean;
	/** Name resolution for the loopback rule (tests give their own); default the system's. */
	resolve?: Resolve;
	/** Sockets of the page tracked at once (default 64; ./cdp-frames.ts). */
	maxSockets?: number;
	/** Attach to the first page whose URL contains this text. */
	target: string;
	/** Reload the tab once after the first attach, for a clean start. */
	reload?: boolean;
	/** Host of the game's backend, recognised as a game socket besides `socket.io` URLs. */
	backendHost?: string;
	/** Spacing of reconnection attempts (./backoff.ts); default 0.5 s doubling to 5 s, as the browser is local. */
	backoff?: Partial<BackoffPolicy>;
	/** Random numbers in [0, 1) for the backoff jitter (tests make it fixed). */
	random?: () => number;
	/** Give up (status `ended`) after this many failed reconnection attempts in a row; default never. */
	maxReconnects?: number;
	/** A session that held this long ends the outage: the next failure is attempt 1 again (default 10 s). */
	stableAfterMs?: number;
	/** Time allowed for each step of an attempt: listing the tabs, opening the tab's DevTools socket, Network.enable (default 5 s). */
	attachTimeoutMs?: number;
	/** Silence on the game socket longer than this marks it stale; default from the Engine.IO handshake (ping interval + timeout), else 45 s. */
	silenceMs?: number;
	/** Clock for envelope `ts` (epoch ms). */
	now?: () => number;
};

type Client = DevToolsSession;

export type CdpSourceStats = {
	/** Envelopes published. */
	events: number;
	/** Frames of the game's sockets that could not be decoded (each also a `decode` problem). */
	decodeErrors: number;
	/** Frames of the page's other WebSockets, ignored. */
	ignoredFrames: number;
	/** Sockets of the page forgotten to keep the tracked ones within the bound. */
	evictedSockets: number;
	/** DevTools messages that were not protocol messages, skipped. */
	badMessages: number;
	/** Attached again after losing the tab or the browser. */
	reconnects: number;
	connected: boolean;
	/** Last delay from the server's ping to the page's pong, milliseconds. */
	latencyMs: number | undefined;
};

export type CdpSource = Source & {
	readonly kind: 'cdp';
	stats(): CdpSourceStats;
};

/** The browser is on this machine (or a trusted one): retry soon, and never wait long. */
const defaultCdpBackoff: BackoffPolicy = {minMs: 500, maxMs: 5000, jitter: 0.5};
const defaultAttachTimeoutMs = 5000;
const defaultSilenceMs = 45_000;

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
function describeAttachError(error: unknown, host: string, port: number): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const address = `${host}:${port}`;
	if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND') {
		return `no Chrome DevTools at ${address}: start Chrome with --remote-debugging-port=${port} --user-data-dir=<a profile folder of its own>, or use --launch`;
	}

	return `cannot attach to Chrome at ${address}: ${errorText(error)}; is ${port} the port Chrome was started with (--remote-debugging-port)?`;
}

type Settings = {
	host: string;
	port: number;
	target: string;
	reload: boolean;
	allowRemote: boolean;
	options: CdpSourceOptions;
	attachTimeoutMs: number;
};

/** One attempt, and the session it becomes once attached: never reused. */
type Session = {
	client: Client | undefined;
	/** Network.enable answered: the reconnector counts the attempt as a success. */
	attached: boolean;
	/** Why the tab went away, as the Inspector said just before the DevTools socket closed. */
	why: string | undefined;
};

/**
Each attempt lists the tabs, opens the matching tab's DevTools socket and
enables the Network domain; only that answer makes it a success for
./reconnector.ts, which numbers the attempts, spaces them and gives up after
`--max-reconnects` failed ones in a row, as for the direct source. A tab that
is listed but never answers is a failed attempt like a browser that is not
there, not a success that resets the count.

What happens inside a session (the page's own socket closing and reopening, a
navigation, a crash, a silent socket) is the page's business: statuses, but
not attempts.
*/
class CdpConnection implements CdpSource {
	readonly ended: Promise<SourceEnd>;

	readonly #bus: AppBus;
	readonly #settings: Settings;
	readonly #address: string;
	readonly #frames: CdpFrames;
	readonly #retry: Reconnector;
	#started = false;
	/** The attempt under way, or the session it became. */
	#session: Session | undefined;
	#tabLabel = '';
	#socketLabel = '';
	#reloaded = false;
	#latencyMs: number | undefined;
	#silenceMs: number;
	#lastFrameAt = 0;
	#stale = false;
	#state: ConnectionState = 'idle';
	#silenceTimer: NodeJS.Timeout | undefined;
	/** Why the tab's last page load failed (Network.loadingFailed of the Document), for ./cdp-page-load.ts. */
	#loadError: string | undefined;
	/** Each host name's addresses, looked up once for the life of the source. */
	readonly #names = new Map<string, Promise<string[]>>();
	#badMessages = 0;

	constructor(bus: AppBus, settings: Settings) {
		const {host, port, target, options} = settings;
		this.#bus = bus;
		this.#settings = settings;
		this.#address = `${host}:${port}`;
		const backendHost = options.backendHost ?? defaultBackendHost;
		this.#frames = new CdpFrames({isGameSocket: url => isGameSocketUrl(url, backendHost), now: options.now, maxSockets: options.maxSockets});
		this.#silenceMs = options.silenceMs ?? defaultSilenceMs;
		this.#retry = new Reconnector(bus, {
			source: 'cdp',
			endpoint: this.#address,
			connectingDetail: `looking for a tab whose URL contains "${cleanText(target, 80)}" at ${this.#address}`,
			maxReconnects: options.maxReconnects,
			backoff: {...defaultCdpBackoff, ...options.backoff},
			random: options.random ?? Math.random,
			stableAfterMs: options.stableAfterMs ?? defaultStableAfterMs,
		}, {
			connect: () => {
				this.#connect();
			},
			// Chrome not being there is the normal case of `--source auto`: only losing an attached tab is a problem.
			outage: (reason, lost, next) => lost ? `${reason}; ${next}` : undefined,
			gaveUp: (reason, gaveUp) => `${reason}; ${gaveUp} (allow more with --max-reconnects)`,
		});
		this.ended = this.#retry.ended;
		void this.ended.then(() => {
			clearInterval(this.#silenceTimer);
			this.#state = 'ended';
		});
	}

	get kind(): 'cdp' {
		return 'cdp';
	}

	start(): void {
		if (this.#started) {
			return;
		}

		this.#started = true;
		this.#silenceTimer = setInterval(() => {
			this.#checkSilence();
		}, Math.min(1000, Math.max(10, this.#silenceMs / 4)));
		this.#silenceTimer.unref();
		this.#retry.start();
	}

	async stop(): Promise<void> {
		// Stopped is stopped: a later start() does nothing.
		this.#started = true;
		let detail = 'stopped';
		await this.#retry.stop(async () => {
			clearInterval(this.#silenceTimer);
			const session = this.#session;
			this.#session = undefined;
			if (session?.attached === true) {
				detail = `stopped; detached from ${this.#connectedDetail()}`;
			}

			// At once: a peer that floods or never answers must not hold up the stop. An attempt
			// still listing the tabs or opening a socket finds itself superseded and closes what it opened.
			session?.client?.close();
		}, () => detail);
	}

	stats(): CdpSourceStats {
		return {
			events: this.#frames.seq,
			decodeErrors: this.#frames.decodeErrors,
			ignoredFrames: this.#frames.ignoredFrames,
			evictedSockets: this.#frames.evictedSockets,
			badMessages: this.#badMessages + (this.#session?.client?.badMessages ?? 0),
			reconnects: this.#retry.reconnects,
			connected: this.#state === 'connected',
			latencyMs: this.#latencyMs,
		};
	}

	#connectedDetail(): string {
		return `tab ${this.#tabLabel} at ${this.#address}${this.#socketLabel === '' ? '' : `, ${this.#socketLabel}`}`;
	}

	#status(state: ConnectionState, detail: string): void {
		this.#state = state;
		const latencyMs = state === 'connected' && this.#latencyMs !== undefined ? Math.round(this.#latencyMs * 10) / 10 : undefined;
		this.#retry.status(state, {detail, latencyMs});
	}

	/** One attempt (called by the reconnector). */
	#connect(): void {
		const session: Session = {client: undefined, attached: false, why: undefined};
		this.#session = session;
		this.#state = 'connecting';
		this.#attach(session).catch((error: unknown) => {
			// The attempt handles its own failures; this is a bug, reported rather than thrown.
			this.#retry.problem('source', `internal error in the CDP source: ${errorText(error)}`);
			this.#end(session, `internal error in the CDP source: ${errorText(error)}`);
		});
	}

	async #attach(session: Session): Promise<void> {
		const {host, port} = this.#settings;
		const address = await this.#checked(host, `--cdp ${host}`, true);
		if (session !== this.#session || address === undefined) {
			return;
		}

		const page = await this.#findTarget(address);
		if (session !== this.#session) {
			return;
		}

		if (typeof page === 'string') {
			this.#end(session, page);
			return;
		}

		const url = await this.#debuggerUrl(page);
		if (session !== this.#session) {
			return;
		}

		if (url.startsWith('!')) {
			// Said every time, not once per outage: the endpoint is pointing rugs-tui somewhere it must not go.
			this.#retry.problem('source', url.slice(1));
			this.#end(session, url.slice(1));
			return;
		}

		let client: Client;
		try {
			client = await this.#open(url);
		} catch (error) {
			this.#end(session, describeAttachError(error, host, port));
			return;
		}

		if (session !== this.#session) {
			client.close();
			return;
		}

		session.client = client;
		this.#listen(session, client);
		// Inspector events (detached, crashed) explain a loss; not every DevTools host has the
		// domain, so its answer is not waited for.
		client.send('Inspector.enable').catch(() => undefined);
		try {
			await this.#enableNetwork(session, client, page);
			await withTimeout(client.send('Page.enable'), this.#settings.attachTimeoutMs, 'Page.enable');
			void this.#checkPageLoad(session);
			if (this.#settings.reload && !this.#reloaded) {
				this.#reloaded = true;
				await withTimeout(client.send('Page.reload', {ignoreCache: true}), this.#settings.attachTimeoutMs, 'Page.reload');
			}
		} catch (error) {
			this.#end(session, session.why ?? `cannot listen to the tab at ${this.#address}: ${errorText(error)}`);
		}
	}

	/**
	An address the loopback rule allows for `host`, or undefined when it refused:
	for the `--cdp` host (`fatal`) a refusal ends the source, since no attempt
	could ever be allowed; a name that does not resolve is a failed attempt.
	*/
	async #checked(host: string, what: string, fatal: boolean): Promise<string | undefined> {
		const checked = await checkCdpHost(host, what, {allowRemote: this.#settings.allowRemote, resolve: this.#settings.options.resolve, cache: this.#names});
		if (checked.ok) {
			return checked.address;
		}

		const session = this.#session;
		if (session !== undefined) {
			if (fatal && checked.fatal) {
				this.#session = undefined;
				this.#retry.refused(checked.reason);
			} else {
				this.#end(session, checked.reason);
			}
		}

		return undefined;
	}

	/**
	The tab's advertised debugger URL, made safe to open: a ws: or wss: URL whose
	host the loopback rule allows, with that host replaced by the address it was
	checked as (so nothing is looked up again). A string starting with "!" is
	why it was refused.
	*/
	async #debuggerUrl(page: DevToolsTarget): Promise<string> {
		let url: URL;
		try {
			url = new URL(page.webSocketDebuggerUrl ?? '');
		} catch {
			return `!the tab's debugger URL ${JSON.stringify(cleanText(page.webSocketDebuggerUrl, 120))} is not a URL`;
		}

		if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
			return `!the tab's debugger URL ${cleanText(url.href, 120)} is not a WebSocket URL`;
		}

		const checked = await checkCdpHost(url.hostname, `the tab's debugger URL (${cleanText(url.href, 120)}) names`, {allowRemote: this.#settings.allowRemote, resolve: this.#settings.options.resolve, cache: this.#names});
		if (!checked.ok) {
			return `!${checked.reason}`;
		}

		// A remote host the user allowed keeps its name (a wss: certificate names it); a local one is pinned to its address.
		if (!this.#settings.allowRemote) {
			url.hostname = urlHost(checked.address);
		}

		return url.href;
	}

	/** Find the tab. A string is the reason there is none. */
	async #findTarget(address: string): Promise<DevToolsTarget | string> {
		const {host, port, target, attachTimeoutMs} = this.#settings;
		let targets: DevToolsTarget[];
		try {
			targets = await withTimeout(listTargets(address, port, attachTimeoutMs), attachTimeoutMs, `listing the tabs at ${this.#address}`);
		} catch (error) {
			return describeAttachError(error, host, port);
		}

		const page = targets.find(candidate => candidate.type === 'page' && candidate.url.includes(target) && typeof candidate.webSocketDebuggerUrl === 'string');
		return page ?? `no tab whose URL contains "${cleanText(target, 80)}" in the Chrome at ${this.#address}: open rugs.fun there (or change --target)`;
	}

	/** Open the tab's DevTools socket; one that opens after its time is up is closed at once. */
	async #open(url: string): Promise<Client> {
		const {attachTimeoutMs} = this.#settings;
		const opening = DevToolsSession.open(url, attachTimeoutMs);
		try {
			return await withTimeout(opening, attachTimeoutMs, `opening the tab's DevTools socket at ${this.#address}`);
		} catch (error) {
			opening.then(late => {
				late.close();
			}, () => undefined);
			throw error;
		}
	}

	#listen(session: Session, client: Client): void {
		client.onClose = () => {
			this.#badMessages += client.badMessages;
			this.#end(session, session.why ?? (session.attached
				? `lost the tab (the browser at ${this.#address} closed or crashed)`
				: `the tab's DevTools socket at ${this.#address} closed before it answered`));
		};

		client.onEvent = (method, parameters) => {
			if (session !== this.#session) {
				return;
			}

			if (method === 'Inspector.detached') {
				const reason = asRecord(parameters)?.['reason'];
				session.why = reason === 'target_closed' ? `the tab was closed (${this.#address})` : `detached from the tab: ${cleanText(reason, 80)}`;
				return;
			}

			if (method === 'Inspector.targetCrashed') {
				// The page and its sockets are gone; a reload (by the user, or --reload) brings them back as a navigation.
				this.#frames.reset();
				this.#socketLabel = '';
				this.#status('reconnecting', `the tab crashed: reload it in Chrome (${this.#connectedDetail()})`);
				return;
			}

			this.#onEvent(method, parameters);
		};
	}

	/**
	The attempt succeeds when Network.enable is answered. The reply is handled
	in its callback, before any event read after it, so that the attach is
	counted (and said) before the first frame of the session is.
	*/
	async #enableNetwork(session: Session, client: Client, page: DevToolsTarget): Promise<void> {
		const answered = new Promise<void>((resolve, reject) => {
			client.command('Network.enable', {}, error => {
				if (error !== undefined) {
					reject(error);
					return;
				}

				if (session === this.#session) {
					session.attached = true;
					this.#tabLabel = cleanText(page.url, 120);
					this.#socketLabel = '';
					this.#frames.reset();
					this.#stale = false;
					this.#retry.connected();
					this.#status('connecting', `attached to ${this.#connectedDetail()}; waiting for the game socket`);
				}

				resolve();
			});
		});
		await withTimeout(answered, this.#settings.attachTimeoutMs, 'Network.enable');
	}

	/** The attempt failed, or its session ended: let go of it, and let the reconnector decide what comes next. */
	#end(session: Session, reason: string): void {
		if (session !== this.#session) {
			return;
		}

		this.#session = undefined;
		this.#socketLabel = '';
		this.#stale = false;
		const {client} = session;
		session.client = undefined;
		if (client !== undefined) {
			this.#badMessages += client.badMessages;
			client.close();
		}

		this.#state = 'reconnecting';
		this.#retry.failed({reason});
	}

	#onEvent(method: string, parameters: unknown): void {
		if (method === 'Page.frameNavigated') {
			const frame = (parameters as {frame?: {parentId?: string; url?: string}} | undefined)?.frame;
			if (frame !== undefined && frame.parentId === undefined) {
				// A reload or navigation: the old sockets are gone without a webSocketClosed.
				this.#frames.reset();
				this.#socketLabel = '';
				if (typeof frame.url === 'string') {
					this.#tabLabel = cleanText(frame.url, 120);
				}

				this.#status('connecting', `page navigated; waiting for the game socket (${this.#connectedDetail()})`);
				void this.#checkPageLoad(this.#session, frame);
			}

			return;
		}

		if (method === 'Network.loadingFailed') {
			const failure = parameters as {type?: unknown; errorText?: unknown} | undefined;
			this.#loadError = failure?.type === 'Document' ? errorCodeIn(failure.errorText) ?? this.#loadError : this.#loadError;
			return;
		}

		if (!method.startsWith('Network.webSocket')) {
			return;
		}

		const frames = this.#frames;
		const before = frames.openGameSockets;
		const outputs = frames.handle(method, parameters);
		for (const output of outputs) {
			if (output.kind === 'socket-open') {
				this.#socketLabel = output.how === 'joined' ? 'game socket opened before rugs-tui attached' : `game socket ${cleanText(output.url, 120)}`;
			}
		}

		if (method === 'Network.webSocketFrameReceived' || method === 'Network.webSocketFrameSent') {
			if (frames.openGameSockets > 0) {
				this.#lastFrameAt = Date.now();
				if (this.#state !== 'connected' || this.#stale) {
					this.#stale = false;
					this.#status('connected', this.#connectedDetail());
				}
			}
		} else if (frames.openGameSockets > before && this.#state !== 'connected') {
			this.#status('connecting', `the tab opened its game socket (${this.#connectedDetail()})`);
		}

		for (const output of outputs) {
			this.#onOutput(output);
		}
	}

	#onOutput(output: CdpFrameOutput): void {
		switch (output.kind) {
			case 'envelope': {
				this.#bus.publish('envelope', output.envelope);
				break;
			}

			case 'decode-error': {
				this.#retry.problem('decode', output.message);
				break;
			}

			case 'socket-error': {
				this.#retry.problem('source', `game socket error in the tab: ${output.message}`);
				break;
			}

			case 'socket-open': {
				// Connected once frames flow (above); nothing to report yet for a created socket.
				break;
			}

			case 'socket-closed': {
				if (this.#frames.openGameSockets === 0) {
					this.#status('reconnecting', `the tab's game socket closed; waiting for the page to reconnect (${this.#connectedDetail()})`);
				}

				break;
			}

			case 'handshake': {
				if (output.problem !== undefined) {
					// The page deals with its own server; the silence check keeps its default.
					this.#retry.problem('decode', `game socket handshake: ${output.problem}`);
				} else if (this.#settings.options.silenceMs === undefined && output.pingInterval !== undefined && output.pingTimeout !== undefined) {
					this.#silenceMs = output.pingInterval + output.pingTimeout;
				}

				break;
			}

			case 'latency': {
				this.#latencyMs = output.ms;
				if (this.#state === 'connected') {
					this.#status('connected', this.#connectedDetail());
				}

				break;
			}
		}
	}

	/** Say so when the tab shows Chrome's error page instead of its page (./cdp-page-load.ts): no game socket opens there. */
	async #checkPageLoad(session: Session | undefined, frame?: FrameInfo): Promise<void> {
		const client = session?.client;
		if (client === undefined) {
			return;
		}

		const tree = frame === undefined ? await withTimeout(client.send('Page.getFrameTree') as Promise<{frameTree?: {frame?: FrameInfo}} | undefined>, this.#settings.attachTimeoutMs, 'Page.getFrameTree').catch(() => undefined) : undefined;
		const url = failedLoad(frame ?? tree?.frameTree?.frame);
		if (url === undefined || session !== this.#session) {
			return;
		}

		const code = this.#loadError ?? await readErrorCode(client);
		this.#loadError = undefined;
		if (session !== this.#session) {
			return;
		}

		const message = describeFailedLoad(cleanText(url, 200), code);
		this.#retry.problem('source', message);
		this.#status('connecting', `${message} (${this.#connectedDetail()})`);
	}

	#checkSilence(): void {
		const silenceMs = this.#silenceMs;
		if (this.#state === 'connected' && !this.#stale && this.#frames.openGameSockets > 0 && Date.now() - this.#lastFrameAt > silenceMs) {
			this.#stale = true;
			this.#status('reconnecting', `no frames from the tab's game socket for ${silenceMs >= 1000 ? `${Math.round(silenceMs / 1000)} s` : `${silenceMs} ms`} (${this.#connectedDetail()})`);
		}
	}
}

export function createCdpSource(bus: AppBus, options: CdpSourceOptions): CdpSource {
	return new CdpConnection(bus, {
		host: options.host,
		port: options.port,
		target: options.target,
		reload: options.reload === true,
		allowRemote: options.allowRemote === true,
		options,
		attachTimeoutMs: options.attachTimeoutMs ?? defaultAttachTimeoutMs,
	});
}
