// event-loop: one thread serves every client. Each socket's reads and writes are events on Node's
// loop (epoll underneath), so a client waiting costs a few kilobytes, not a thread.

import { Session, type SessionOptions } from '../shared/session.ts';
import {
  createHexServer,
  sessionOptions,
  type ConcurrencyModel,
  type HexServer,
  type ListenTuning,
} from '../shared/hex-server.ts';
import type { ServerOptions } from '../shared/options.ts';

export function createEventLoopServer(options: ServerOptions, tuning: ListenTuning = {}): HexServer {
  const perSession = sessionOptions(options, tuning.servedBy ?? 'main thread');
  return createHexServer('event-loop', options, (changed) => eventLoopModel(perSession, changed), tuning);
}

/** Every session on this thread, started as its socket is accepted (the pool variant shares it). */
export function eventLoopModel(perSession: SessionOptions, changed: () => void): ConcurrencyModel {
  const sessions = new Set<Session>();
  const forget = (session: Session): void => {
    sessions.delete(session);
    changed();
  };
  return {
    pauseOnConnect: false,
    get connections() {
      return sessions.size;
    },
    accept(socket) {
      sessions.add(new Session(socket, perSession, forget));
      changed();
    },
    async drain() {
      await Promise.all(Array.from(sessions, (session) => {
        session.shutdown();
        return session.closed;
      }));
    },
    destroyAll() {
      for (const session of sessions) session.destroy();
    },
  };
}
