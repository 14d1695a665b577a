/*
Preloaded with `node --import` by the command-line tests that must not touch
the network: every attempt to open a connection or to look up a host name is
written, one a line, to the file named by RUGS_TUI_NETWORK_LOG, and fails
(ECONNREFUSED) without leaving the process. A test then reads the file: empty
means nothing was tried.
*/
import {appendFileSync} from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';

const logFile = process.env.RUGS_TUI_NETWORK_LOG;

function attempt(what) {
	if (logFile) {
		appendFileSync(logFile, `${what}\n`);
	}
}

function refused(what) {
	return Object.assign(new Error(`connect ECONNREFUSED (denied by the test: ${what})`), {code: 'ECONNREFUSED'});
}

const {connect} = net.Socket.prototype;
net.Socket.prototype.connect = function (...args) {
	// Node's own callers pass their arguments normalised, as one array.
	const first = Array.isArray(args[0]) ? args[0][0] : args[0];
	const target = typeof first === 'object' && first !== null ? `${first.host ?? first.path ?? ''}:${first.port ?? ''}` : String(first);
	attempt(`connect ${target}`);
	process.nextTick(() => {
		this.destroy(refused(target));
	});
	return this;
};

// Kept for anything that needs the original (nothing in the command line should).
net.Socket.prototype.connectUndenied = connect;

const {lookup} = dns;
dns.lookup = function (hostname, ...rest) {
	attempt(`lookup ${hostname}`);
	const callback = rest.at(-1);
	process.nextTick(() => {
		callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (denied by the test)`), {code: 'ENOTFOUND'}));
	});
};

dns.lookupUndenied = lookup;
dns.promises.lookup = async hostname => {
	attempt(`lookup ${hostname}`);
	throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (denied by the test)`), {code: 'ENOTFOUND'});
};
