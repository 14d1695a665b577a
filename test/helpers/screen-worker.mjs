// A worker thread that draws the App for the rendering fuzz tests, so that a
// hang (an endless loop in a chart or a formatter) can be stopped and reported
// instead of freezing the test run. Uses the built code (dist/): `npm test` builds first.
import {parentPort} from 'node:worker_threads';
import {renderToString} from 'ink';
import {createElement} from 'react';
import {createAppBus} from '../../dist/bus/app-bus.js';
import {makeEnvelope} from '../../dist/protocol/envelope.js';
import {App} from '../../dist/ui/app.js';
import {FairOverlay} from '../../dist/ui/components/FairOverlay.js';
import {MonitorStore} from '../../dist/ui/store.js';

function draw({steps, problems, status, size, view}) {
	const bus = createAppBus();
	const store = new MonitorStore(bus);
	for (const [index, {event, args, direction}] of steps.entries()) {
		bus.publish('envelope', makeEnvelope({seq: index + 1, ts: 1_765_577_818_000 + (index * 250), source: 'replay', direction, event, args}));
	}

	for (const problem of problems ?? []) {
		bus.publish('problem', {...problem, ts: 1_765_577_818_000});
	}

	if (status !== undefined) {
		bus.publish('status', {source: 'replay', ts: 1_765_577_818_000, ...status});
	}

	const {internalErrors} = store.snapshot().state.stats;
	const element = view === 'fair'
		? createElement(FairOverlay, {history: store.snapshot().state.history, width: size.columns, height: Math.max(1, size.rows - 3)})
		: createElement(App, {store, fps: 10, size, onQuit() {}});
	const output = renderToString(element, {columns: Math.max(1, size.columns)});
	store.close();
	return {output, internalErrors};
}

parentPort.on('message', ({id, input}) => {
	try {
		parentPort.postMessage({id, result: draw(input)});
	} catch (error) {
		parentPort.postMessage({id, error: error instanceof Error ? error.stack ?? error.message : String(error)});
	}
});
