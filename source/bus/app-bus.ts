import {errorText} from '../protocol/error-text.js';
import {EventBus} from './event-bus.js';
import type {BusTopics} from './messages.js';

export type AppBus = EventBus<BusTopics>;

/** The bus the whole application shares; failing subscribers become problems. */
export function createAppBus(): AppBus {
	const bus: AppBus = new EventBus<BusTopics>({
		onError({name, topic, error}) {
			const message = errorText(error);
			bus.publish('problem', {kind: 'subscriber', message: `${name} (${topic}): ${message}`, ts: Date.now()});
		},
	});
	return bus;
}
