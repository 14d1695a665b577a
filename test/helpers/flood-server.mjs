/*
A Socket.IO server on 127.0.0.1 that floods every client with small
standard/newTrade events at a given rate (argv[2], events a second; default
130,000), as fast as it can when the rate is out of reach. Prints its port on
stdout, then on stderr how many it sent every second. Run as its own process,
so that the flood does not compete with the test for its event loop.
*/
import {createServer} from 'node:http';
import {Server} from 'socket.io';

const rate = Number(process.argv[2] ?? 130_000);
const http = createServer();
const io = new Server(http, {transports: ['websocket']});
io.on('connection', socket => {
	const started = performance.now();
	let sent = 0;
	const tick = () => {
		if (socket.disconnected) {
			return;
		}

		const due = Math.floor(((performance.now() - started) / 1000) * rate);
		for (let batch = 0; sent < due && batch < 5000; batch++, sent++) {
			socket.emit('standard/newTrade', {id: `t${sent}`, gameId: '20251212-floodfloodflood', type: 'buy', price: 1.01, qty: 0.1, amount: 0.101, tickIndex: sent % 500});
		}

		setImmediate(tick);
	};

	tick();
	setInterval(() => {
		process.stderr.write(`sent ${sent}\n`);
	}, 1000).unref();
});
http.listen(0, '127.0.0.1', () => {
	process.stdout.write(`${http.address().port}\n`);
});
