import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CommandBus } from '@nestjs/cqrs';
import { CreateTokenCommand } from '../users/users.commands';
import { ReadSide } from '../platform/read-side';
import { createApp } from '../app/create-app';
import { ResponseContracts } from './response-contracts';
import { loadConfig, type AppConfig } from '@portcullis/config';
import { Problem } from '@portcullis/contracts';

/** TestApi is a real api on a throwaway data dir, with the projections running in-process. */
export interface TestApi {
  app: INestApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  dataDir: string;
  /** admin is the bootstrapped admin's Portus-Auth header value. */
  admin: string;
  close(): Promise<void>;
  /** restart closes the app and starts a new one on the same data dir. */
  restart(env?: Record<string, string>): Promise<void>;
  /** user creates a user (and an application token) and returns its id and Portus-Auth header. */
  user(username: string, options?: { bot?: boolean }): Promise<{ id: number; auth: string }>;
}

/** startApi boots the api like `npm start` does, minus the separate projector process. */
export async function startApi(
  env: Record<string, string> = {},
  options: { bootstrap?: boolean; registry?: boolean } = {},
): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-api-'));
  const make = async (extra: Record<string, string>) => {
    const config = loadConfig({
      PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_LOG_LEVEL: 'silent',
      PORTCULLIS_PROJECTOR_EMBEDDED: 'true',
      ...env,
      ...extra,
    });
    const app = await createApp(config);
    // Every answer of the suites is held to the OpenAPI document's schemas (see ResponseContracts).
    app.useGlobalInterceptors(new ResponseContracts());
    await app.init();
    watchCommands(app, notData);
    return { app, config };
  };
  const notData: string[] = [];
  let { app, config } = await make({});
  const api: TestApi = {
    app,
    config,
    dataDir,
    http: request(app.getHttpServer()),
    admin: '',
    async close() {
      await api.app.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (notData.length) throw new Error(`commands are data, but these carried a function: ${[...new Set(notData)]}`);
    },
    async restart(extra = {}) {
      await api.app.close();
      ({ app, config } = await make(extra));
      api.app = app;
      api.config = config;
      api.http = request(app.getHttpServer());
    },
    async user(username, opts = {}) {
      const created = await api.http
        .post('/api/v1/users')
        .set('Portus-Auth', api.admin)
        .send({
          user: { username, email: `${username}@example.com`, password: 'password1234', bot: opts.bot ?? false },
        })
        .expect(201);
      const id = created.body.id as number;
      if (opts.bot) {
        // Admins manage bots' tokens (Portus), so a bot's first token comes through the API.
        const t = await api.http
          .post(`/api/v1/users/${id}/application_tokens`)
          .set('Portus-Auth', api.admin)
          .send({ application: 'test' })
          .expect(201);
        return { id, auth: `${username}:${t.body.plain_token}` };
      }
      return { id, auth: await tokenFor(api, id, username) };
    },
  };
  if (options.bootstrap !== false) {
    const res = await api.http
      .post('/api/v1/users/bootstrap')
      .send({ user: { username: 'admin', email: 'admin@example.com', password: 'password1234' } })
      .expect(201);
    api.admin = `admin:${res.body.plain_token}`;
    if (options.registry !== false) {
      await api.http
        .post('/api/v1/registries')
        .set('Portus-Auth', api.admin)
        .send({ registry: { name: 'main', hostname: 'registry.test:5000', use_ssl: false }, force: true })
        .expect(201);
    }
  }
  return api;
}

/**
 * watchCommands checks every command the app dispatches is plain data (docs/architecture.md, "One write door"):
 * structuredClone refuses functions, so a closure in a command is reported, and close() fails the suite.
 */
function watchCommands(app: INestApplication, notData: string[]): void {
  app.get(CommandBus).subscribe((command: object) => {
    try {
      structuredClone(command);
    } catch {
      notData.push(command.constructor.name);
    }
  });
}

/**
 * tokenFor mints a user's first application token as that user. Only the owner may create tokens,
 * and the API authenticates with tokens, not passwords, until UI sessions land (identity issue), so
 * the test dispatches the same command the endpoint would, acting as the user.
 */
async function tokenFor(api: TestApi, id: number, username: string): Promise<string> {
  const bus = api.app.get(CommandBus);
  const done = await bus.execute(new CreateTokenCommand({ id, username, admin: false }, id, 'test', null));
  await api.app.get(ReadSide).waitFor(done.position);
  return `${username}:${done.plainToken}`;
}

/** expectProblem asserts a problem+json answer with a Portus `message`. */
export function expectProblem(res: request.Response, status: number, message?: RegExp) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  if (!String(res.headers['content-type']).startsWith('application/problem+json'))
    throw new Error(`not problem+json: ${res.headers['content-type']}`);
  const body = JSON.parse(res.text) as { message: string; status: number };
  // Every problem answers the document's Problem schema (libs/contracts).
  const parsed = Problem.safeParse(body);
  if (!parsed.success) throw new Error(`problem body does not match the Problem schema: ${res.text}`);
  if (body.status !== status || typeof body.message !== 'string' || !body.message)
    throw new Error(`bad problem body ${res.text}`);
  if (message && !message.test(body.message))
    throw new Error(`message ${JSON.stringify(body.message)} does not match ${message}`);
  return body;
}
