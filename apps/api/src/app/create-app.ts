import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger, RequestMethod, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, urlencoded, type NextFunction, type Request, type Response } from 'express';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '@portcullis/config';
import { ProblemFilter, toProblem } from '../platform/problem.filter';
import { completeDocument } from '../platform/openapi';
import { sendRegistryError } from '../registry-auth/registry-error';
import { tokenRoute } from '../registry-auth/token-route';
import { notificationRoute } from '../registry-events/notification-route';
import { createLogging, requestLogScope } from '../observability/logging';
import { Metrics } from '../observability/metrics';
import { httpMetrics, METRICS_PATH, metricsEndpoint } from '../observability/metrics-http';
import { AppModule } from './app.module';
import { Draining, drainingHeaders } from '../platform/graceful-shutdown';

/** CreateAppOptions: `logDestination` replaces stdout for the JSON logs (tests capture them). */
export interface CreateAppOptions {
  readonly logDestination?: DestinationStream;
}

/** createApp builds the api (used by main.ts and by the supertest suites), without listening. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const logging = createLogging(config, options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { logger: logging.root }), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoNestLogger));
  app.disable('x-powered-by');
  // First, for every request Express sees: its id and access line, its latency, and Connection: close once
  // draining; then /metrics (its own access rule, see metricsRefusal).
  const metrics = app.get(Metrics);
  app.use(logging.http);
  app.use(httpMetrics(metrics));
  app.use(drainingHeaders(app.get(Draining)));
  app.use(METRICS_PATH, metricsEndpoint(metrics, config.metricsToken));
  // Behind a reverse proxy, its X-Forwarded-* headers give the client IP (rate limits, audit) and the
  // scheme (Secure cookies); they are believed only from the configured proxies, never by default.
  if (config.trustProxy !== null) app.set('trust proxy', trustProxyValue(config.trustProxy));
  // The OAuth2 token form (POST /v2/token) is urlencoded; its errors stay in the registry's format.
  const tokenForm = urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });
  // The token realm is answered ahead of everything else (static files, parsers, Nest's router): see tokenRoute.
  app.use('/v2/token', tokenRoute(app, tokenForm));
  // The registry's notifications, likewise (one per manifest push and per pull): see notificationRoute.
  notificationRoute(app, requestLogScope(logging.root));
  // The registry's endpoints (token realm, notifications) live at /v2/*, where registries and clients expect them.
  app.setGlobalPrefix('api', { exclude: [{ path: 'v2/{*path}', method: RequestMethod.ALL }] });
  // 1 MiB is far above any legitimate request; larger bodies get 413 before any work is done.
  app.use('/api', json({ limit: '1mb', strict: true, type: ['application/json', 'application/*+json'] }));
  // body-parser's errors (malformed JSON, too large) never reach Nest's filters: answer them here.
  app.use('/api', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    const problem = toProblem(error);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  // What tokenRoute passes on (HEAD, a Portus-Auth header) reaches TokenController through the same parser.
  app.use('/v2/token', tokenForm);
  app.use('/v2/token', (error: unknown, _req: Request, res: Response, next: NextFunction) =>
    error ? sendRegistryError(res, error) : next(),
  );
  app.useGlobalFilters(new ProblemFilter());
  // No enableShutdownHooks: main.ts drains before Nest's shutdown hooks close the stores (graceful-shutdown.ts).

  // Response schemas, problems and components come from libs/contracts (platform/openapi.ts).
  const doc = completeDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Portcullis API')
        .setDescription(
          'Portus-compatible REST API v1 (plus Portcullis extensions). Errors are application/problem+json with a Portus `message` member.',
        )
        .setVersion('v1')
        .addApiKey({ type: 'apiKey', in: 'header', name: 'Portus-Auth' }, 'Portus-Auth')
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json' });

  // The built Angular app, when present, is served by the api in embedded mode.
  const web = join(process.cwd(), 'dist/apps/web/browser');
  if (existsSync(join(web, 'index.html'))) {
    app.useStaticAssets(web, { index: false });
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/v2')) return next();
      res.sendFile(join(web, 'index.html'));
    });
  }
  return app;
}

/** trustProxyValue maps http.trust_proxy to Express's forms: a hop count, true, or a list of addresses/subnets. */
export function trustProxyValue(raw: string): number | boolean | string[] {
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw === 'true') return true;
  return raw.split(',').map((s) => s.trim());
}

/** listen starts the HTTP server and logs where. */
export async function listen(app: INestApplication, config: AppConfig): Promise<string> {
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  new Logger('api').log(`Portcullis api listening on ${url} (data dir ${config.dataDir})`);
  return url;
}
