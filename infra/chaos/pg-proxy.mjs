// A TCP proxy between the services and Postgres, so an outage can be made on any machine without
// touching the server: pause() drops every connection and refuses new ones, resume() serves again.
import net from 'node:net';

export class TcpProxy {
  sockets = new Set();
  paused = false;

  /** @param {{ port: number, targetHost: string, targetPort: number }} options */
  constructor({ port, targetHost, targetPort }) {
    this.port = port;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = net.createServer((client) => {
      this.accept(client);
    });
  }

  listen() {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve(undefined);
      });
    });
  }

  accept(client) {
    if (this.paused) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: this.targetHost, port: this.targetPort });
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Drops every open connection (a reset, as a dead server or a cut network shows it). */
  pause() {
    this.paused = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  resume() {
    this.paused = false;
  }

  close() {
    this.pause();
    return new Promise((resolve) =>
      this.server.close(() => {
        resolve(undefined);
      }),
    );
  }
}
