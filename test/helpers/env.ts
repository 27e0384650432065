// Runs in every test file before anything else: a quiet, deterministic test environment
// whose only network is loopback (house style: outbound network blocked except loopback).
import net from 'node:net';

process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';

const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string;
  const host =
    typeof first === 'object' && first !== null
      ? first.host
      : typeof args[1] === 'string'
        ? args[1]
        : undefined;
  const isPipe = typeof first === 'object' && first !== null && typeof first.path === 'string';
  if (!isPipe && host !== undefined && !loopback.test(host)) {
    throw new Error(`Tests may only reach loopback; refused a connection to ${host}`);
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
