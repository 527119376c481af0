// The messages between the cluster server's primary and its worker processes.

export type ToClusterWorker = { type: 'shutdown' };
export type ClusterWorkerMessage = { type: 'listening'; port: number; address: string };
