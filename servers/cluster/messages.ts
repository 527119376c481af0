// cluster's messages, typed in one place: ToWorker (primary → a worker process) and FromWorker
// (worker process → primary).

export type ToWorker = { type: 'shutdown' };
export type FromWorker = { type: 'listening'; port: number; address: string };
