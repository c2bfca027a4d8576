/**
 * ComponentHealth is what an adapter says about its connection: GET /api/v1/health shows it per
 * component, and the adapter logs every change of `status` once (never per request).
 */
export interface ComponentHealth {
  /** status: up (answering), reconnecting (lost, the client is retrying), down (unreachable). */
  readonly status: 'up' | 'reconnecting' | 'down';
  /** message says what is wrong, in words an operator can act on; it never contains credentials. */
  readonly message: string;
}

/** AdapterLogger is the part of a logger (Nest's Logger, pino) adapters report connection changes to. */
export interface AdapterLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** SILENT_LOGGER drops every line: the default when the caller passes no logger (library use, tests). */
export const SILENT_LOGGER: AdapterLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** HealthReporter is implemented by adapters that track their own connection state. */
export interface HealthReporter {
  /** health probes the backend (bounded by the adapter's deadline) and says how it is; it never throws. */
  health(): Promise<ComponentHealth>;
}

/** hasHealth tells whether an adapter reports health (embedded SQLite adapters do not need to). */
export function hasHealth(adapter: unknown): adapter is HealthReporter {
  return (
    typeof adapter === 'object' && adapter !== null && typeof (adapter as Partial<HealthReporter>).health === 'function'
  );
}
