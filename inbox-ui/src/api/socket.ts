import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { AgentClientEvents, AgentServerEvents } from './types';

export type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

/**
 * Connects to the `/agent` namespace. The httpOnly session cookie authenticates the handshake,
 * so no token passes through JavaScript.
 */
export function connectAgentSocket(): AgentSocket {
  return io('/agent', {
    withCredentials: true,
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}
