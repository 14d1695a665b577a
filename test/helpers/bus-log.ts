import {createAppBus, type AppBus} from '../../source/bus/app-bus.js';
import type {Problem, SourceStatus} from '../../source/bus/messages.js';
import type {Envelope} from '../../source/protocol/envelope.js';

/** A fresh application bus and everything published on it, in order. */
export type BusLog = {
	bus: AppBus;
	envelopes: Envelope[];
	statuses: SourceStatus[];
	problems: Problem[];
};

export function createBusLog(): BusLog {
	const bus = createAppBus();
	const log: BusLog = {bus, envelopes: [], statuses: [], problems: []};
	bus.subscribe('envelope', envelope => {
		log.envelopes.push(envelope);
	});
	bus.subscribe('status', status => {
		log.statuses.push(status);
	});
	bus.subscribe('problem', problem => {
		log.problems.push(problem);
	});
	return log;
}
