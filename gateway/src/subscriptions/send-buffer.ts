import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { SendBuffer } from './subscriber-cursor';

/**
 * A WebSocket's send buffer: `ws` counts the bytes it has not yet handed to the kernel
 * (`bufferedAmount`); the TCP socket underneath says when its queue emptied (`drain`). The
 * re-check after `recheckMs` covers a buffer that never went over the socket's own high-water
 * mark, which emits no `drain`.
 */
export function webSocketSendBuffer(
  webSocket: WebSocket,
  tcpSocket: Socket,
  limitBytes: number,
  recheckMs = 50,
): SendBuffer {
  return {
    isBackedUp: () => webSocket.bufferedAmount > limitBytes,
    drained: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          tcpSocket.off('drain', done);
          tcpSocket.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, recheckMs);
        tcpSocket.once('drain', done);
        tcpSocket.once('close', done);
      }),
  };
}

/**
 * An HTTP response's send buffer (Server-Sent Events, multipart): what it holds beyond the kernel's
 * socket buffer (`writableLength`), drained when the response says so, re-checked like a WebSocket's.
 */
export function responseSendBuffer(response: ServerResponse, limitBytes: number, recheckMs = 50): SendBuffer {
  return {
    isBackedUp: () => response.writableLength > limitBytes,
    drained: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, recheckMs);
        response.once('drain', done);
        response.once('close', done);
      }),
  };
}

/** For callers without a socket (tests, in-process use): never backed up. */
export const unboundedSendBuffer: SendBuffer = { isBackedUp: () => false, drained: async () => undefined };
