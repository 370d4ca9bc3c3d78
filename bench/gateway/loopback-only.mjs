// Preloaded into the Portkey gateway (`node --import ./loopback-only.mjs …`): its start script listens on every
// interface and has no host option, and bench servers must bind to 127.0.0.1 only. Plain JS so that Portkey runs
// on bare Node, exactly as its users run it.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, callback]): put 127.0.0.1 in place of a missing host.
    const host = typeof args[1] === 'string' ? args[1] : undefined;
    if (host === undefined) args.splice(1, 0, '127.0.0.1');
    else if (host !== '127.0.0.1' && host !== 'localhost') args[1] = '127.0.0.1';
  } else if (first && typeof first === 'object' && first.path === undefined) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
